package dev.loupe.server.dashboard;

import static dev.loupe.server.dashboard.DashboardFixture.JSON;
import static dev.loupe.server.dashboard.DashboardFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard API over a real server and real HTTP; every response is checked against openapi.json. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

  @TempDir static Path dir;
  DashboardFixture f;
  OpenApiSchema schema;
  Instant now;
  LocalDate yesterday;
  List<ObjectNode> recent = new ArrayList<>();
  List<ObjectNode> pastDay = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    schema = OpenApiSchema.load();
    long sinceMidnight = Instant.now().getEpochSecond() % 86_400;
    if (sinceMidnight < 120) {
      Thread.sleep((120 - sinceMidnight) * 1000); // keep "recent" events out of yesterday
    }
    f = DashboardFixture.start(dir);
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    yesterday = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
    String[] types = {"page_view", "click", "purchase"};
    for (int i = 0; i < 40; i++) {
      recent.add(event("r" + i, i % 13, types[i % 3], now.minusSeconds(i)));
    }
    Instant y = yesterday.atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int i = 0; i < 30; i++) {
      pastDay.add(event("y" + i, i % 11, types[i % 2], y.plusSeconds(i * 2_000L)));
    }
    List<JsonNode> batch = new ArrayList<>(recent);
    batch.addAll(pastDay);
    Instant twoDaysAgo = yesterday.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int i = 0; i < 12; i++) {
      batch.add(event("z" + i, i, "share", twoDaysAgo.plusSeconds(i * 3_000L)));
    }
    ObjectNode noType = JSON.createObjectNode().put("event_id", "bad-1").put("event_time", now.toString());
    ObjectNode badTime = event("bad-2", 1, "click", now);
    badTime.put("event_time", "yesterday at noon");
    batch.add(noType);
    batch.add(badTime);
    JsonNode ack = f.postEvents(batch);
    assertThat(ack.get("accepted").asInt()).isEqualTo(82);
    assertThat(ack.get("rejected")).hasSize(2);
  }

  @AfterAll
  void stop() {
    f.close();
  }

  private void assertValid(JsonNode body, String name) {
    assertThat(schema.validate(body, name)).as("%s against %s", body, name).isEmpty();
  }

  @Test
  void liveMetrics_rightAfterAck_countsEveryAcceptedEventAndRejection() throws Exception {
    JsonNode m = f.getJson("/v1/metrics/live?minutes=60");
    assertValid(m, "LiveMetrics");

    assertThat(m.at("/totals/events").asLong()).isEqualTo(40);
    assertThat(m.at("/totals/unique_users").asDouble()).isBetween(12.99, 13.01);
    assertThat(m.at("/ingestion/accepted_in_window").asLong()).isEqualTo(82);
    assertThat(m.at("/ingestion/rejected_in_window").asLong()).isEqualTo(2);
    assertThat(m.at("/ingestion/rejection_rate").asDouble()).isEqualTo(2.0 / 84);
    assertThat(m.at("/ingestion/event_lag_ms_max").asLong()).isGreaterThan(86_400_000L - 3_600_000L);
    assertThat(m.get("event_types")).extracting(JsonNode::asText).containsExactly("click", "page_view", "purchase", "share");
    long sum = 0;
    for (JsonNode s : m.get("series")) {
      sum += s.get("events").asLong();
    }
    assertThat(sum).isEqualTo(40);
    Map<String, Long> reasons = new HashMap<>();
    m.get("rejections").forEach(r -> reasons.put(r.get("reason").asText(), r.get("count").asLong()));
    assertThat(reasons.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    assertThat(String.join(" | ", reasons.keySet())).contains("event_type").contains("event_time");
  }

  @Test
  void liveMetrics_badWindow_400NamesTheRule() throws Exception {
    HttpResponse<String> r = f.get("/v1/metrics/live?minutes=0");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertValid(body, "Error");
    assertThat(body.get("error").asText()).isEqualTo("minutes must be an integer from 1 to 1440 but was 0");
    assertThat(JSON.readTree(f.get("/v1/metrics/live?minutes=ten").body()).get("error").asText())
        .isEqualTo("minutes must be an integer from 1 to 1440 but was 'ten'");
  }

  @Test
  void api_withoutReadKey_401() throws Exception {
    for (String path : List.of("/v1/metrics/live", "/v1/reports/daily?date=" + yesterday, "/v1/reports/daily/dates")) {
      HttpResponse<String> r = f.getWithoutKey(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertValid(JSON.readTree(r.body()), "Error");
    }
  }

  @Test
  void dailyReport_pastDay_computedThenWrittenAndEqualToLive() throws Exception {
    f.server.ingest().flush();
    JsonNode computed = f.getJson("/v1/reports/daily?date=" + yesterday);
    assertValid(computed, "DailyReport");
    assertThat(computed.get("status").asText()).isIn("computed", "written");
    assertThat(computed.at("/totals/events").asLong()).isEqualTo(30);
    assertThat(computed.at("/live/events").asLong()).isEqualTo(30);
    for (JsonNode t : computed.at("/live/by_event_type")) {
      assertThat(t.get("events").asLong()).as(t.toString()).isEqualTo(t.get("report_events").asLong());
    }
    // Exact uniques per segment and type, computed here from what was sent.
    Map<String, Set<String>> users = new HashMap<>();
    for (ObjectNode e : pastDay) {
      users.computeIfAbsent(e.at("/properties/platform").asText() + "/" + e.get("event_type").asText(), k -> new HashSet<>())
          .add(e.get("user_id").asText());
    }
    assertThat(computed.get("rows")).hasSize(users.size());
    for (JsonNode row : computed.get("rows")) {
      assertThat(row.get("unique_users").asLong())
          .isEqualTo(users.get(row.get("user_segment").asText() + "/" + row.get("event_type").asText()).size());
    }

    HttpResponse<String> w = f.post("/v1/reports/daily?date=" + yesterday, "");
    assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
    JsonNode written = JSON.readTree(w.body());
    assertValid(written, "DailyReport");
    assertThat(written.get("status").asText()).isEqualTo("written");
    assertThat(written.get("rows")).isEqualTo(computed.get("rows"));
    assertThat(f.getJson("/v1/reports/daily?date=" + yesterday).get("status").asText()).isEqualTo("written");

    JsonNode dates = f.getJson("/v1/reports/daily/dates");
    assertValid(dates, "ReportDates");
    assertThat(dates.get("dates").toString()).contains("{\"date\":\"" + yesterday + "\",\"in_lake\":true,\"report_written\":true}");

    JsonNode byCountry = f.getJson("/v1/reports/daily?date=" + yesterday + "&segment_property=country");
    assertValid(byCountry, "DailyReport");
    assertThat(byCountry.get("rows")).allMatch(r -> r.get("user_segment").asText().equals("unknown"));
  }

  @Test
  void sessionsSummary_pastDay_matchesSchemaAndCountsSessions() throws Exception {
    f.server.ingest().flush();
    JsonNode s = f.getJson("/v1/sessions/summary?date=" + yesterday);
    assertValid(s, "SessionsSummary");
    // 30 events 2,000 s apart by users i % 11: every user's events are more than 30 minutes apart,
    // so each event is its own 0-minute session.
    assertThat(s.get("sessions").asLong()).isEqualTo(30);
    assertThat(s.get("mean_duration_min").asDouble()).isZero();
    assertThat(s.at("/duration_buckets/0/sessions").asLong()).isEqualTo(30);
    JsonNode none = f.getJson("/v1/sessions/summary?date=2020-01-01");
    assertValid(none, "SessionsSummary");
    assertThat(none.get("mean_duration_min").isNull()).isTrue();
  }

  @Test
  void dailyReport_closedDay_writtenByTheServerItself() throws Exception {
    // The scheduler checks 5 s after start, then every minute; the day closed long ago.
    LocalDate day = yesterday.minusDays(1);
    JsonNode r = null;
    for (int i = 0; i < 150; i++) {
      r = f.getJson("/v1/reports/daily?date=" + day);
      if (r.get("status").asText().equals("written")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(r.get("status").asText()).isEqualTo("written");
    assertThat(r.at("/totals/events").asLong()).isEqualTo(12);
    assertThat(dir.resolve("reports/daily/metric_date=" + day + "/report.parquet")).isRegularFile();
  }

  @Test
  void dailyReport_badInput_400WithRule() throws Exception {
    HttpResponse<String> r = f.get("/v1/reports/daily?date=26-11-2026");
    assertThat(r.statusCode()).isEqualTo(400);
    assertValid(JSON.readTree(r.body()), "Error");
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("date must be a date YYYY-MM-DD but was '26-11-2026'");
    assertThat(JSON.readTree(f.get("/v1/reports/daily").body()).get("error").asText()).isEqualTo("date is required: give ?date=YYYY-MM-DD");
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    HttpResponse<String> p = f.post("/v1/reports/daily?date=" + today, "");
    assertThat(p.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(p.body()).get("error").asText()).isEqualTo("date must be a closed UTC day, before " + today + ", but was " + today);
    assertThat(JSON.readTree(f.get("/v1/reports/daily?date=" + today + "&segment_property=a%20b").body()).get("error").asText())
        .contains("segment property must be 1-64 letters").contains("but was 'a b'");
    // a year LocalDate reads but YYYY-MM-DD does not: it used to write reports/daily/metric_date=-999999999-01-01
    HttpResponse<String> far = f.post("/v1/reports/daily?date=-999999999-01-01", "");
    assertThat(far.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(far.body()).get("error").asText())
        .isEqualTo("date must be a date YYYY-MM-DD but was '-999999999-01-01'");
    assertThat(JSON.readTree(f.get("/v1/sessions/summary?date=2026-02-30").body()).get("error").asText())
        .isEqualTo("date must be a date YYYY-MM-DD but was '2026-02-30' (Invalid date 'FEBRUARY 30')");
  }

  @Test
  void dailyReport_dayWithoutEvents_noData() throws Exception {
    JsonNode r = f.getJson("/v1/reports/daily?date=2020-01-01");
    assertValid(r, "DailyReport");
    assertThat(r.get("status").asText()).isEqualTo("no_data");
    assertThat(r.get("rows")).isEmpty();
  }

  @Test
  void query_sql_resultAsJsonAndCsv() throws Exception {
    f.server.ingest().flush();
    String sql = "SELECT event_type, count(*) AS n, min(event_time) AS first FROM events WHERE event_id LIKE 'y%' GROUP BY 1 ORDER BY 1";
    HttpResponse<String> r = f.post("/v1/query", JSON.writeValueAsString(JSON.createObjectNode().put("sql", sql)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode q = JSON.readTree(r.body());
    assertValid(q, "QueryResult");
    assertThat(q.get("columns")).extracting(JsonNode::asText).containsExactly("event_type", "n", "first");
    assertThat(q.get("rows")).hasSize(2);
    assertThat(q.at("/rows/0/0").asText()).isEqualTo("click");
    assertThat(q.at("/rows/0/1").asLong()).isEqualTo(15);
    assertThat(q.at("/rows/1/2").asText()).isEqualTo(yesterday.atStartOfDay(ZoneOffset.UTC).toInstant().toString());

    HttpResponse<String> csv = f.post("/v1/query?format=csv", JSON.writeValueAsString(JSON.createObjectNode().put("sql", sql)));
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body().split("\r\n")).containsExactly(
        "event_type,n,first",
        "click,15," + yesterday.atStartOfDay(ZoneOffset.UTC).plusSeconds(2_000).toInstant(),
        "page_view,15," + yesterday.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  @Test
  void query_badSqlOrBody_400WithMessage() throws Exception {
    HttpResponse<String> r = f.post("/v1/query", "{\"sql\": \"SELECT nope FROM events\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertValid(JSON.readTree(r.body()), "Error");
    assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("query failed: ").contains("nope");
    HttpResponse<String> b = f.post("/v1/query", "{\"query\": 1}");
    assertThat(JSON.readTree(b.body()).get("error").asText()).startsWith("body must be a JSON object with a text field \"sql\"");
    HttpResponse<String> w = f.post("/v1/query", "{\"sql\": \"COPY events TO '/tmp/x.csv'\"}");
    assertThat(w.statusCode()).isEqualTo(400);
    HttpResponse<String> x = f.post("/v1/query?format=xml", "{\"sql\": \"SELECT 1\"}");
    assertThat(x.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(x.body()).get("error").asText()).isEqualTo("format must be json or csv but was 'xml'");
  }

  @Test
  void staticAssets_pageChartJsAndOpenApiAreServed() throws Exception {
    HttpResponse<String> page = f.getWithoutKey("/dashboard/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<title>Loupe</title>").contains("/webjars/chart.js/chart.umd.min.js");
    HttpResponse<String> chart = f.getWithoutKey("/webjars/chart.js/chart.umd.min.js");
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.body()).contains("Chart.js v4");
    assertThat(f.getWithoutKey("/dashboard/app.js").body()).contains("/v1/metrics/live");
    assertThat(f.getWithoutKey("/dashboard/secret.properties").statusCode()).isEqualTo(404);
    JsonNode api = JSON.readTree(f.getWithoutKey("/openapi.json").body());
    assertThat(api).isEqualTo(schema.root());
    JsonNode config = JSON.readTree(f.getWithoutKey("/v1/dashboard/config").body());
    assertValid(config, "DashboardConfig");
    assertThat(config.get("dev_read_key").asText()).isEqualTo("loupe-dev-read-key");
    assertThat(config.get("sessions_available").asBoolean()).isTrue();
  }
}
