package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportAndPlanCommandsTest {

  @TempDir Path dir;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() {
    out = new StringWriter();
    err = new StringWriter();
  }

  int run(String... args) {
    return Loupe.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** 1,000 clicks by 50 users on 2026-11-25: users 0-9 on ios, the rest without a platform. */
  void writeLake() throws Exception {
    Path part = dir.resolve("events/event_date=2026-11-25/event_type=click");
    Files.createDirectories(part);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      c.createStatement().execute(
          "COPY (SELECT 'e' || i AS event_id, 'u' || (i % 50) AS user_id,"
              + " TIMESTAMP '2026-11-25 00:00:00' + to_seconds(i * 60) AS event_time,"
              + " CASE WHEN i % 50 < 10 THEN '{\"platform\":\"ios\",\"page\":\"/home\"}' ELSE '{\"page\":\"/cart\"}' END AS properties,"
              + " TIMESTAMP '2026-11-25 00:00:01' + to_seconds(i * 60) AS received_at FROM range(1000) t(i)) TO '"
              + part.resolve("p.parquet") + "' (FORMAT parquet)");
    }
  }

  @Test
  void reportDaily_lakeDay_writesAndPrintsRows() throws Exception {
    writeLake();
    int code = run("report", "daily", "--date", "2026-11-25", "--data-dir", dir.toString(), "--format", "csv");

    assertThat(code).as(err.toString()).isEqualTo(0);
    assertThat(out.toString().lines()).containsExactly(
        "metric_date,user_segment,event_type,total_events,unique_users",
        "2026-11-25,ios,click,200,10",
        "2026-11-25,unknown,click,800,40");
    assertThat(dir.resolve("reports/daily/metric_date=2026-11-25/report.parquet")).isRegularFile();
  }

  @Test
  void reportDaily_badDate_exit2WithMessage() {
    assertThat(run("report", "daily", "--date", "25/11/2026", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--date': must be a date YYYY-MM-DD but was '25/11/2026'");
    err.getBuffer().setLength(0);
    assertThat(run("report", "daily", "--date", "2999-01-01", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--date must not be in the future").contains("but was 2999-01-01");
  }

  @Test
  void reportDaily_badSegmentProperty_exit2WithRule() {
    assertThat(run("report", "daily", "--date", "2026-11-25", "--segment-property", "a b", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("segment property must be 1-64 letters").contains("but was 'a b'");
  }

  @Test
  void planCapacity_noLake_assumesSeedRatioAndSaysSo() throws Exception {
    int code = run("plan", "capacity", "--events-per-day", "5e9", "--event-bytes", "500", "--retention", "2y",
        "--data-dir", dir.toString(), "--bench-readme", dir.resolve("none.md").toString(), "--format", "json");

    assertThat(code).as(err.toString()).isEqualTo(0);
    JsonNode rows = Output.json().readTree(out.toString());
    assertThat(value(rows, "events_per_second")).isEqualTo(57_870.4);
    assertThat(value(rows, "compressed_bytes_per_day")).isEqualTo(5e11);
    assertThat(value(rows, "total_stored_bytes")).isEqualTo(3.65e14);
    assertThat(value(rows, "monthly_cost")).isEqualTo(8395.0);
    assertThat(value(rows, "node_events_per_second")).isEqualTo(250_000.0);
    assertThat(err.toString()).contains("assuming 5.0x").contains("using the default 250000 events/s per node");
    assertThat(row(rows, "compression_ratio").get("how").asText()).startsWith("ASSUMED");
  }

  @Test
  void planCapacity_withLakeAndBenchmark_measuresRatioAndReadsNodeRate() throws Exception {
    writeLake();
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "## Ingestion\n\nSustained 100,000 events/s\n");
    int code = run("plan", "capacity", "--events-per-day", "5e9", "--event-bytes", "500", "--retention", "90d",
        "--data-dir", dir.toString(), "--bench-readme", readme.toString(), "--format", "json");

    assertThat(code).as(err.toString()).isEqualTo(0);
    JsonNode rows = Output.json().readTree(out.toString());
    double ratio = value(rows, "compression_ratio");
    assertThat(row(rows, "compression_ratio").get("how").asText()).startsWith("measured on 1,000 events in 1 files");
    assertThat(value(rows, "compressed_bytes_per_day")).isCloseTo(2.5e12 / ratio, org.assertj.core.api.Assertions.withinPercentage(0.5));
    assertThat(row(rows, "compressed_bytes_per_day").get("value").isIntegralNumber()).isTrue();
    assertThat(value(rows, "nodes")).isEqualTo(2.0); // 173,611 peak events/s over 100,000 per node
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void planCapacity_badRetention_exit2WithRule() {
    assertThat(run("plan", "capacity", "--events-per-day", "5e9", "--event-bytes", "500", "--retention", "2 decades")).isEqualTo(2);
    assertThat(err.toString()).contains("--retention must be a number followed by d, w, m (30 days) or y (365 days), e.g. 2y, but was '2 decades'");
    err.getBuffer().setLength(0);
    assertThat(run("plan", "capacity", "--events-per-day", "NaN", "--event-bytes", "500", "--retention", "2y", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("events per day must be a finite number > 0 but was NaN");
  }

  private static JsonNode row(JsonNode rows, String quantity) {
    for (JsonNode r : rows) {
      if (r.get("quantity").asText().equals(quantity)) {
        return r;
      }
    }
    throw new AssertionError("no row " + quantity + " in " + rows);
  }

  private static double value(JsonNode rows, String quantity) {
    return row(rows, quantity).get("value").asDouble();
  }
}
