package dev.loupe.cli;

import dev.loupe.sql.QueryResult;
import dev.loupe.sql.SqlSandbox;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loupe sql "SELECT …"}: read-only SQL over the lake. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one read-only SELECT over the lake: views `events` (event_id, user_id, event_type,"
          + " event_time, properties, received_at, event_date), `rejected` (received_at,"
          + " source, batch_index, field, reason, raw, received_date), `sessions` (materialized by"
          + " `loupe sessions --materialize`) and `daily_reports`. Files outside the lake, ATTACH,"
          + " INSTALL, LOAD, COPY, SET, PRAGMA and writes are refused.",
      "Example: loupe sql \"SELECT event_type, count(*) FROM events GROUP BY 1\""
    })
public final class SqlCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query.")
  String query;

  @Option(names = "--max-rows", defaultValue = "10000",
      description = "Most rows printed (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Option(names = "--time-limit", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Stop the query after this long, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
  java.time.Duration timeLimit;

  @Mixin DataDirOption dataDir;
  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws SQLException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    QueryResult r;
    try (SqlSandbox sandbox = SqlSandbox.open(dataDir.layout(), timeLimit)) {
      r = sandbox.query(query, maxRows);
    } catch (SQLException e) {
      throw new IllegalArgumentException("query failed: " + e.getMessage().strip(), e);
    }
    Output.rows(out, fmt.format(), r.columns(), r.rows());
    if (r.truncated()) {
      err.println("loupe: only the first " + maxRows + " rows are shown (--max-rows)");
    }
    return Loupe.EXIT_OK;
  }
}
