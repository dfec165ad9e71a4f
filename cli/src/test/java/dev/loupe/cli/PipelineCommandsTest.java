package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe import} and {@code loupe sql}, run as a user runs them. */
class PipelineCommandsTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Loupe.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  final String today = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  @Test
  void importNdjson_thenSql() throws Exception {
    Path file = dir.resolve("events.ndjson");
    Files.writeString(file, String.join("\n",
        "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"click\",\"event_time\":\"" + today
            + "\",\"properties\":{\"country\":\"DE\"}}",
        "",
        "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"click\",\"event_time\":\"" + today
            + "\"}",
        "{\"event_id\":\"e2\",\"event_type\":\"purchase\",\"event_time\":\"" + today + "\"}",
        "{\"event_id\":\"e3\",\"event_type\":\"purchase\",\"event_time\":\"last tuesday\"}",
        "{broken"), StandardCharsets.UTF_8);
    String data = dir.resolve("data").toString();
    Run imp = run("import", "--data-dir", data, file.toString());
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("5 events: 2 accepted, 1 duplicates, 2 rejected",
        "line 5 (event_time): event_time 'last tuesday' is not ISO-8601",
        "line 6 ((event)): line 6 is not valid JSON");
    assertThat(imp.err()).contains("importing [##############################] 100%");

    Run sql = run("sql", "--data-dir", data, "--format", "csv",
        "SELECT event_id, event_type, properties->>'country' AS country FROM events ORDER BY 1");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out()).isEqualTo("event_id,event_type,country\ne1,click,DE\ne2,purchase,\n");

    Run rejected = run("sql", "--data-dir", data, "--format", "json",
        "SELECT batch_index, field, source FROM rejected ORDER BY 1");
    assertThat(rejected.out().replaceAll("\\s", "")).isEqualTo(
        "[{\"batch_index\":4,\"field\":\"event_time\",\"source\":\"import\"},"
            + "{\"batch_index\":5,\"field\":\"(event)\",\"source\":\"import\"}]");

    // importing the same file again adds nothing
    Run again = run("import", "--data-dir", data, file.toString());
    assertThat(again.out()).contains("0 accepted, 3 duplicates, 2 rejected");
  }

  @Test
  void importCsvAndParquet() throws Exception {
    Path csv = dir.resolve("e.csv");
    Files.writeString(csv, "event_id,user_id,event_type,event_time,properties\n"
        + "c1,u1,click," + today + ",\"{\"\"a\"\":1}\"\n"
        + "c2,,view," + today + ",\n"
        + "c3,u3,view," + today + ",not json\n");
    Path parquet = dir.resolve("e.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("COPY (SELECT 'p' || i AS event_id, 'u' || i AS user_id, 'view' AS event_type,"
          + " TIMESTAMP '" + today.replace("T", " ").replace("Z", "") + "' AS event_time"
          + " FROM range(3) t(i)) TO '" + parquet + "' (FORMAT parquet)");
    }
    String data = dir.resolve("data").toString();
    Run a = run("import", "--data-dir", data, csv.toString());
    assertThat(a.out()).as(a.err()).contains("3 events: 2 accepted, 0 duplicates, 1 rejected",
        "row 3 (properties): properties must be a JSON object but was a string ('not json')");
    Run b = run("import", "--data-dir", data, "--format", "json", parquet.toString());
    assertThat(b.out().replaceAll("\\s", "")).contains("\"events\":3,\"accepted\":3");
    Run count = run("sql", "--data-dir", data, "SELECT count(*) AS n,"
        + " count(*) FILTER (WHERE event_time = TIMESTAMP '"
        + today.replace("T", " ").replace("Z", "") + "') AS same_time FROM events");
    assertThat(count.out()).containsPattern("(?m)^5\\s+5\\s*$");
  }

  @Test
  void import_badUsage() throws Exception {
    Run missing = run("import", "--data-dir", dir.toString(), dir.resolve("nope.ndjson").toString());
    assertThat(missing.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(missing.err()).contains("FILE " + dir.resolve("nope.ndjson")
        + " does not exist or is not a file");
    Path txt = Files.writeString(dir.resolve("x.txt"), "hi");
    Run ext = run("import", "--data-dir", dir.resolve("d").toString(), txt.toString());
    assertThat(ext.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(ext.err()).contains("must end in .ndjson");
    Path noId = Files.writeString(dir.resolve("n.csv"), "user_id,event_type,event_time\nu,a,b\n");
    Run cols = run("import", "--data-dir", dir.resolve("d").toString(), noId.toString());
    assertThat(cols.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(cols.err()).contains("has no column event_id (its columns: user_id, event_type,"
        + " event_time)");
  }

  @Test
  void sql_jsonFormat_nestedValuesAreJson() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Run r = run("sql", "--data-dir", dir.resolve("data").toString(), "--format", "json",
        "SELECT {'a': 1, 'b': [1, 2]} AS s, MAP {'k': 'v'} AS m, '\\x00z'::BLOB AS b, [DATE '2026-11-26'] AS d");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().replaceAll("\\s", ""))
        .isEqualTo("[{\"s\":{\"a\":1,\"b\":[1,2]},\"m\":{\"k\":\"v\"},\"b\":\"\\\\x00z\",\"d\":[\"2026-11-26\"]}]");
  }

  @Test
  void sql_errorsAreUsageErrors() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Run bad = run("sql", "--data-dir", dir.resolve("data").toString(), "SELEC 1");
    assertThat(bad.code()).isEqualTo(Loupe.EXIT_USAGE);
    // The hardened sandbox words DuckDB's parser error itself; the point is a usage error naming it.
    assertThat(bad.err()).startsWith("loupe: query failed: ").contains("SELEC");
    Run missing = run("sql", "--data-dir", dir.resolve("none").toString(), "SELECT 1");
    assertThat(missing.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(missing.err()).contains("does not exist");
    Run empty = run("sql", "--data-dir", dir.resolve("data").toString(),
        "SELECT count(*) AS n FROM events");
    assertThat(empty.out()).isEqualTo("n\n-\n0\n");
  }

  @Test
  void serve_optionsMakeAValidatedConfig() {
    ServeCommand serve = new ServeCommand();
    picocli.CommandLine cl = new picocli.CommandLine(serve);
    cl.parseArgs("--port", "9090", "--data-dir", dir.toString(), "--flush-interval", "PT0.5S",
        "--dedup-window", "P1D", "--retention", "P30D", "--write-key", "w-key-12345",
        "--read-key", "r-key-12345");
    var config = serve.config();
    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath());
    assertThat(config.flushInterval()).hasMillis(500);
    assertThat(config.dedupWindow()).hasDays(1);
    assertThat(config.retention()).hasDays(30);
    assertThat(config.writeKey()).isEqualTo("w-key-12345");
    Run bad = run("serve", "--data-dir", dir.toString(), "--flush-interval", "PT0.01S");
    assertThat(bad.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(bad.err()).contains("--flush-interval must be between 100 ms and 1 minute but was PT0.01S");
  }
}
