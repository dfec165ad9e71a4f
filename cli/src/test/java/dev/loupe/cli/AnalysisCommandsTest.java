package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.sql.LocalPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisCommandsTest {

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Output.json().readTree(out);
    }
  }

  static Run loupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Loupe.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static LocalPostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @TempDir Path dir;

  static final String EVENTS_CSV = String.join("\n",
      "event_id,user_id,event_type,event_time",
      "1,u1,view,2024-01-01 09:00:00",
      "2,u1,click,2024-01-01 09:30:00",
      "3,u1,buy,2024-01-01 10:00:01",
      "5,u2,view,2024-01-01 23:50:00",
      "4,u2,click,2024-01-02 00:10:00",
      "6,u2,view,2024-01-02 00:10:00",
      "7,,view,2024-01-02 00:11:00",
      "8,u3,view,",
      "");

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void sessions_fromFileAsJsonAndSummary() throws Exception {
    Path csv = write("events.csv", EVENTS_CSV);
    Run r = loupe("sessions", "--input", csv.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = r.json();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("user_id").asText()).isEqualTo("u1");
    assertThat(rows.get(0).get("events_in_session").asLong()).isEqualTo(2);
    assertThat(rows.get(0).get("session_duration_min").asDouble()).isEqualTo(30.0);
    assertThat(rows.get(1).get("session_num").asLong()).isEqualTo(2);
    // ties on event_time are ordered by event_id: 4 (click) before 6 (view); midnight stays whole
    assertThat(rows.get(2).get("event_sequence").toString()).isEqualTo("[\"view\",\"click\",\"view\"]");
    assertThat(rows.get(2).get("session_end").asText()).isEqualTo("2024-01-02T00:10:00Z");
    assertThat(r.err()).contains("not in any session: 1 events without an event_time, 1 events without a user_id");

    Run s = loupe("sessions", "--input", csv.toString(), "--summary", "--format", "json");
    JsonNode sum = s.json();
    assertThat(sum.get("sessions").asLong()).isEqualTo(3);
    assertThat(sum.get("mean_events_per_session").asDouble()).isEqualTo(2.0);
    assertThat(sum.get("mean_duration_min").asDouble()).isEqualTo(50.0 / 3);

    Run gap = loupe("sessions", "--input", csv.toString(), "--gap", "31m", "--format", "csv");
    assertThat(gap.out().lines().count()).isEqualTo(1 + 2);
  }

  @Test
  void sessions_eventWithoutType_staysInItsSessionAsNull() throws Exception {
    Path csv = write("untyped.csv", String.join("\n",
        "event_id,user_id,event_type,event_time",
        "e1,u1,view,2024-01-01 10:00:00",
        "e2,u1,,2024-01-01 10:05:00",
        "e3,u1,buy,2024-01-01 10:06:00",
        ""));
    Run json = loupe("sessions", "--input", csv.toString(), "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.json().get(0).get("event_sequence").toString()).isEqualTo("[\"view\",null,\"buy\"]");
    assertThat(json.json().get(0).get("events_in_session").asLong()).isEqualTo(3);
    Run csvOut = loupe("sessions", "--input", csv.toString(), "--format", "csv");
    assertThat(csvOut.out().lines().skip(1).findFirst().orElseThrow()).endsWith(",3,\"view,,buy\"");
  }

  @Test
  void sessions_badGapAndMissingFileExitWithUsage() {
    Run r = loupe("sessions", "--gap", "0s", "--input", "x.csv");
    assertThat(r.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(r.err()).contains("--gap must be a whole number of seconds, more than 0 and less than 24 hours, but was PT0S");
    Run m = loupe("sessions", "--input", dir.resolve("missing.csv").toString());
    assertThat(m.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(m.err()).contains("does not exist or is not a file");
    Run lake = loupe("sessions", "--data-dir", dir.toString());
    assertThat(lake.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(lake.err()).contains("has no events yet");
  }

  @Test
  void sessions_lakeMaterializeThenQueryWithSql() throws Exception {
    Path partition = dir.resolve("events/event_date=2024-01-01/event_type=view");
    Files.createDirectories(partition);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("COPY (SELECT 'e' || i AS event_id, 'u' || (i % 4) AS user_id, 'view' AS event_type,"
          + " TIMESTAMP '2024-01-01 10:00:00' + to_minutes(i * 10) AS event_time, '{}' AS properties,"
          + " TIMESTAMP '2024-01-01 10:00:00' AS received_at FROM range(20) t(i)) TO '"
          + partition.resolve("seg-1-0.parquet") + "' (FORMAT parquet)");
    }
    Run rows = loupe("sessions", "--data-dir", dir.toString(), "--format", "csv");
    assertThat(rows.code()).as(rows.err()).isZero();
    // each user has an event every 40 minutes: every event is its own session
    assertThat(rows.out().lines().count()).isEqualTo(1 + 20);
    Run mat = loupe("sessions", "--data-dir", dir.toString(), "--materialize", "--format", "json");
    assertThat(mat.code()).as(mat.err()).isZero();
    assertThat(mat.json().get("sessions_written").asLong()).isEqualTo(20);
    Run again = loupe("sessions", "--data-dir", dir.toString(), "--materialize", "--format", "json");
    assertThat(again.json().get("sessions_written").asLong()).isZero();
    assertThat(again.err()).contains("sessions are up to date");
    Run sql = loupe("sql", "--data-dir", dir.toString(), "--format", "csv", "SELECT count(*) AS n FROM sessions");
    assertThat(sql.out()).isEqualTo("n\n20\n");
    Run refused = loupe("sql", "--data-dir", dir.toString(), "COPY sessions TO '/tmp/x.csv'");
    assertThat(refused.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(refused.err()).contains("COPY is refused");
    Run slow = loupe("sql", "--data-dir", dir.toString(), "--time-limit", "200ms",
        "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3");
    assertThat(slow.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(slow.err()).contains("query ran longer than the time limit of 200 ms and was stopped");
  }

  static final String RAW_CSV = String.join("\n",
      "id,v,payload",
      "a,1,x", "a,2,y", "a,2,z", "b,,n", "b,1,m", "c,5,q", "");

  @Test
  void dedup_fileReportOutputAndApplyRefused() throws Exception {
    Path csv = write("raw.csv", RAW_CSV);
    Path out = dir.resolve("kept.csv");
    Run r = loupe("dedup", "--input", csv.toString(), "--key", "id", "--order-by", "v", "--output", out.toString(),
        "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("rows_in").asLong()).isEqualTo(6);
    assertThat(j.get("rows_out").asLong()).isEqualTo(3);
    assertThat(j.get("duplicate_keys").asLong()).isEqualTo(2);
    assertThat(j.get("ties_at_latest").asLong()).isEqualTo(1);
    assertThat(j.get("null_versions").asLong()).isEqualTo(1);
    assertThat(Files.readAllLines(out)).containsExactlyInAnyOrder("id,v,payload", "a,2,y", "b,1,m", "c,5,q");
    Run apply = loupe("dedup", "--input", csv.toString(), "--key", "id", "--order-by", "v", "--apply");
    assertThat(apply.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(apply.err()).contains("a file given with --input is never changed");
    Run badKey = loupe("dedup", "--input", csv.toString(), "--key", "id;drop", "--order-by", "v");
    assertThat(badKey.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(badKey.err()).contains("--key must be a plain column name");
  }

  /** Parquet files and DuckDB tables (and views) are ranked by row; the kept rows are the same. */
  @Test
  void dedup_parquetInputAndDuckdbTableOrView_keepTheSameRows() throws Exception {
    Path csv = write("raw.csv", RAW_CSV);
    Path parquet = dir.resolve("raw.parquet");
    Path db = dir.resolve("raw.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE raw AS SELECT * FROM read_csv('" + csv + "', header = true)");
      st.execute("CREATE VIEW raw_view AS SELECT * FROM raw");
      st.execute("COPY raw TO '" + parquet + "' (FORMAT parquet)");
    }
    List<String> expected = List.of("id,v,payload", "a,2,y", "b,1,m", "c,5,q");
    Path fromParquet = dir.resolve("from-parquet.csv");
    Run p = loupe("dedup", "--input", parquet.toString(), "--key", "id", "--order-by", "v", "--output", fromParquet.toString());
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(Files.readAllLines(fromParquet)).containsExactlyInAnyOrderElementsOf(expected);
    for (String table : List.of("raw", "raw_view")) {
      Path out = dir.resolve("from-" + table + ".csv");
      Run t = loupe("dedup", "--jdbc-url", "jdbc:duckdb:" + db, "--table", table, "--key", "id", "--order-by", "v",
          "--output", out.toString());
      assertThat(t.code()).as(t.err()).isZero();
      assertThat(Files.readAllLines(out)).as(table).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void dedup_postgresTableApplyIsIdempotentAndSessionsMatchDuckdb() throws Exception {
    String db = "cli_" + System.nanoTime();
    try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + db + "?user=postgres";
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE raw (id TEXT, v INTEGER, payload TEXT)");
      st.execute("INSERT INTO raw VALUES ('a',1,'x'),('a',2,'y'),('a',2,'z'),('b',NULL,'n'),('b',1,'m'),('c',5,'q')");
      st.execute("CREATE TABLE events (event_id INTEGER, user_id TEXT, event_type TEXT, event_time TIMESTAMP)");
      for (String line : EVENTS_CSV.lines().skip(1).toList()) {
        String[] f = line.split(",", -1);
        st.execute("INSERT INTO events VALUES (" + f[0] + ", " + (f[1].isEmpty() ? "NULL" : "'" + f[1] + "'") + ", '"
            + f[2] + "', " + (f[3].isEmpty() ? "NULL" : "'" + f[3] + "'") + ")");
      }
    }
    Run first = loupe("dedup", "--engine", "postgres", "--jdbc-url", url, "--table", "raw", "--key", "id",
        "--order-by", "v", "--apply", "--batch-size", "2", "--format", "json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.json().get("removed").asLong()).isEqualTo(3);
    assertThat(first.err()).contains("removed 2 rows", "removed 3 rows");
    Run second = loupe("dedup", "--engine", "postgres", "--jdbc-url", url, "--table", "raw", "--key", "id",
        "--order-by", "v", "--apply", "--format", "json");
    assertThat(second.json().get("removed").asLong()).isZero();
    assertThat(second.json().get("duplicate_keys").asLong()).isZero();

    Run pg = loupe("sessions", "--engine", "postgres", "--jdbc-url", url, "--table", "events", "--format", "json");
    Run duck = loupe("sessions", "--input", write("events.csv", EVENTS_CSV).toString(), "--format", "json");
    assertThat(pg.code()).as(pg.err()).isZero();
    assertThat(pg.json()).isEqualTo(duck.json());

    Run wrongUrl = loupe("sessions", "--engine", "postgres", "--jdbc-url", "jdbc:mysql://x", "--table", "events");
    assertThat(wrongUrl.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(wrongUrl.err()).contains("--jdbc-url must start with jdbc:postgresql: for --engine postgres");
  }

  @Test
  void org_jsonHasEmployeesCyclesAndOrphans() throws Exception {
    Path csv = write("employees.csv", String.join("\n",
        "employee_id,name,manager_id,department,salary",
        "1,Ceo,,x,100", "2,Vp,1,x,50", "3,Rep,2,x,10", "4,Self,4,x,7", "5,Lost,99,x,5", ""));
    Run r = loupe("org", "--input", csv.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("cycles").toString()).isEqualTo("[[4]]");
    assertThat(j.get("orphans").toString()).isEqualTo("[5]");
    JsonNode ceo = j.get("employees").get(0);
    assertThat(ceo.get("employee_id").asLong()).isEqualTo(1);
    assertThat(ceo.get("team_size").asLong()).isEqualTo(3);
    assertThat(ceo.get("team_salary").asLong()).isEqualTo(160);
    assertThat(ceo.get("direct_reports").asLong()).isEqualTo(1);
    assertThat(ceo.get("indirect_reports").asLong()).isEqualTo(1);
    assertThat(j.get("employees").get(2).get("chain").asText()).isEqualTo("Ceo → Vp → Rep");
    assertThat(r.err()).contains("management cycle: [4] (manages themselves)", "orphans (manager_id names nobody): [5]");
    Run table = loupe("org", "--input", csv.toString());
    assertThat(table.out()).contains("    Rep");
    Run none = loupe("org", "--data-dir", dir.toString());
    assertThat(none.code()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(none.err()).contains("give --input FILE or --table NAME");
  }
}
