package dev.loupe.cli;

import dev.loupe.sql.Dedup;
import dev.loupe.sql.DedupReport;
import dev.loupe.sql.Dialect;
import dev.loupe.sql.LakeDedup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe dedup}: keep the latest version of each key. */
@Command(
    name = "dedup",
    mixinStandardHelpOptions = true,
    description = {
      "Find duplicate keys and keep the latest version of each: the greatest --order-by value wins,"
          + " a NULL version never wins, ties are broken by the other columns as text (smallest wins).",
      "Without --apply nothing changes. --apply rewrites the affected lake partitions, or deletes in"
          + " batches from a --table and adds a unique constraint. --output writes the kept rows to a file.",
      "Example: loupe dedup --key event_id --order-by received_at --format json"
    })
public final class DedupCommand implements Callable<Integer> {

  @Option(names = "--key", required = true, paramLabel = "COL", description = "The business-key column.")
  String key;

  @Option(names = "--order-by", required = true, paramLabel = "COL", description = "The version column (greatest wins).")
  String orderBy;

  @Option(names = "--apply", description = "Remove the older versions (lake or --table).")
  boolean apply;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the kept rows to a .csv or .parquet file.")
  Path output;

  @Option(names = "--batch-size", defaultValue = "10000", paramLabel = "N",
      description = "Rows per delete transaction with --apply on PostgreSQL (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin InputOptions in;
  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      return analyze();
    } catch (SQLException e) {
      throw in.explain(e);
    }
  }

  /** Refuses an --output that cannot be written, or that would overwrite the --input it reads. */
  private void checkOutput() throws IOException {
    Output.requireWritableFile("--output", output);
    Path abs = output.toAbsolutePath();
    if (in.input != null && Files.exists(abs) && Files.isSameFile(abs, in.input.toAbsolutePath())) {
      throw new IllegalArgumentException(
          "--output " + output + " is the --input file; write the kept rows to another file");
    }
  }

  /**
   * How the rows of a DuckDB input are told apart, which lets the ranking skip whole rows: a
   * table's rowid, a Parquet file's rows; null for views, CSV files and the lake (whose files
   * change while the collector runs).
   */
  private static Dedup.RowKey rowKey(InputOptions.Source src) throws SQLException {
    return switch (src.kind()) {
      case TABLE -> Dedup.RowKey.ROWID.ifPresent(src.connection(), src.expression());
      case FILE -> Dedup.RowKey.FILE_ROW.ifPresent(src.connection(), src.expression());
      case LAKE -> null;
    };
  }

  private Integer analyze() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Dedup dedup = Dedup.of(key, orderBy);
    if (output != null) {
      checkOutput();
    }
    try (InputOptions.Source src = in.open(InputOptions::events)) {
      if (output != null && src.dialect() != Dialect.DUCKDB) {
        throw new IllegalArgumentException("--output works with DuckDB inputs (the lake, --input, a DuckDB --table);"
            + " for PostgreSQL use --apply, or COPY the query yourself");
      }
      DedupReport r;
      if (!apply) {
        r = dedup.analyze(src.connection(), src.dialect(), src.expression());
      } else if (src.kind() == InputOptions.Kind.LAKE) {
        r = LakeDedup.of(in.dataDir.layout(), dedup).apply(src.connection(), m -> err.println("loupe: " + m));
      } else if (src.kind() == InputOptions.Kind.TABLE && src.dialect() == Dialect.POSTGRES) {
        r = dedup.applyPostgres(src.connection(), in.table, batchSize,
            removed -> err.println("loupe: removed " + removed + " rows"));
      } else if (src.kind() == InputOptions.Kind.TABLE) {
        r = dedup.applyDuckdb(src.connection(), in.table);
      } else {
        throw new IllegalArgumentException("--apply changes the lake or a --table; a file given with --input is"
            + " never changed: use --output FILE to write the kept rows");
      }
      if (output != null) {
        long n = dedup.writeLatest(src.connection(), src.expression(), rowKey(src), output);
        err.println("loupe: wrote " + n + " rows to " + output);
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("rows_in", r.rowsIn());
      o.put("rows_out", r.rowsOut());
      o.put("duplicate_keys", r.duplicateKeys());
      o.put("ties_at_latest", r.tiesAtLatest());
      o.put("null_versions", r.nullVersions());
      o.put("max_copies", r.maxCopies());
      o.put("null_keys", r.nullKeys());
      o.put("removed", r.removed());
      if (fmt.format() == Format.JSON) {
        Output.value(out, o);
      } else {
        Output.rows(out, fmt.format(), new ArrayList<>(o.keySet()), List.of(new ArrayList<>(o.values())));
      }
    }
    return Loupe.EXIT_OK;
  }
}
