package dev.loupe.cli;

import dev.loupe.experiments.analysis.DataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --data FILE} or {@code --sql "SELECT …"} over the lake ({@code --data-dir}). */
public final class AnalysisSource {

  @Option(names = "--data", paramLabel = "FILE", description = "CSV or Parquet file.")
  Path data;

  @Option(names = "--sql", paramLabel = "QUERY",
      description = "Read-only SQL over the lake (views events, rejected) instead of --data.")
  String sql;

  @Mixin DataDirOption dataDir;

  boolean given() {
    return data != null || sql != null;
  }

  DataSource open(String fileOption) throws SQLException {
    if (data != null && sql != null) {
      throw new IllegalArgumentException("give either " + fileOption + " or --sql, not both");
    }
    if (sql != null) {
      return DataSource.ofLakeQuery(dataDir.layout(), sql);
    }
    if (data == null) {
      throw new IllegalArgumentException(fileOption + " FILE or --sql QUERY is required");
    }
    return DataSource.ofFile(data);
  }
}
