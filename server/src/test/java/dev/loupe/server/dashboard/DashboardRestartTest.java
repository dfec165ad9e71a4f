package dev.loupe.server.dashboard;

import static dev.loupe.server.dashboard.DashboardFixture.JSON;
import static dev.loupe.server.dashboard.DashboardFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart the server mid-day: live counts continue, and the day's report still matches the lake. */
class DashboardRestartTest {

  @TempDir Path dir;

  static List<ObjectNode> events(String prefix, int n, Instant from, Instant to, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] types = {"page_view", "click", "add_to_cart"};
    List<ObjectNode> out = new ArrayList<>();
    long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
    for (int i = 0; i < n; i++) {
      out.add(event(prefix + i, r.nextInt(400), types[r.nextInt(3)], from.plusSeconds(r.nextLong(span))));
    }
    return out;
  }

  @Test
  void restart_midDay_liveCountsContinueAndReportMatchesLake() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant from = now.minusSeconds(7_200).isBefore(dayStart) ? dayStart : now.minusSeconds(7_200);

    JsonNode before;
    try (DashboardFixture f = DashboardFixture.start(dir)) {
      f.postEvents(events("a", 1_500, from, now, 1));
      before = f.getJson("/v1/metrics/live?minutes=1440").get("today");
      assertThat(before.get("events").asLong()).isEqualTo(1_500);
    }

    try (DashboardFixture f = DashboardFixture.start(dir)) {
      JsonNode afterRestart = f.getJson("/v1/metrics/live?minutes=1440").get("today");
      assertThat(afterRestart.get("events").asLong()).isEqualTo(1_500);
      assertThat(afterRestart.get("unique_users").asDouble()).isEqualTo(before.get("unique_users").asDouble());

      f.postEvents(events("b", 700, from, Instant.now(), 2));
      f.postEvents(events("a", 100, from, now, 1)); // a client retry after the restart: all duplicates
      JsonNode live = f.getJson("/v1/metrics/live?minutes=1440");
      assertThat(live.at("/today/events").asLong()).isEqualTo(2_200);
      assertThat(live.at("/ingestion/accepted_since_start").asLong()).isEqualTo(700);

      f.server.ingest().flush();
      JsonNode report = f.getJson("/v1/reports/daily?date=" + today);
      assertThat(report.get("status").asText()).isEqualTo("computed");
      assertThat(report.get("closed").asBoolean()).isFalse();
      assertThat(report.at("/totals/events").asLong()).isEqualTo(2_200);
      assertThat(report.at("/live/events").asLong()).isEqualTo(2_200);
      for (JsonNode t : report.at("/live/by_event_type")) {
        assertThat(t.get("report_events").asLong()).as(t.toString()).isEqualTo(t.get("events").asLong());
      }
      // Exact users (report, summed over platforms, which partition users) vs the HLL estimate.
      long exactUsers = 0;
      for (JsonNode row : report.get("rows")) {
        exactUsers += row.get("event_type").asText().equals("click") ? row.get("unique_users").asLong() : 0;
      }
      double hll = 0;
      for (JsonNode t : report.at("/live/by_event_type")) {
        hll = t.get("event_type").asText().equals("click") ? t.get("unique_users").asDouble() : hll;
      }
      assertThat(Math.abs(hll - exactUsers) / exactUsers).isLessThan(3 * 0.0162);

      JsonNode lake = JSON.readTree(f.post("/v1/query",
          "{\"sql\": \"SELECT count(*) FROM events WHERE event_date = DATE '" + today + "'\"}").body());
      assertThat(lake.at("/rows/0/0").asLong()).isEqualTo(2_200);
    }
  }

  @Test
  void restart_afterLiveCountsWereLost_rebuildsThemFromTheLake() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant from = now.minusSeconds(7_200).isBefore(dayStart) ? dayStart : now.minusSeconds(7_200);
    List<ObjectNode> sent = events("k", 1_200, from, now, 3);
    JsonNode before;
    try (DashboardFixture f = DashboardFixture.start(dir)) {
      f.postEvents(sent);
      before = f.getJson("/v1/metrics/live?minutes=1440").get("today");
    }
    // As after a hard kill right after the acks: the saved live counts miss the last hour(s).
    try (var files = java.nio.file.Files.list(dir.resolve("aggregates"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        java.nio.file.Files.delete(p);
      }
    }
    try (DashboardFixture f = DashboardFixture.start(dir)) {
      JsonNode after = f.getJson("/v1/metrics/live?minutes=1440").get("today");
      assertThat(after.get("events").asLong()).isEqualTo(1_200);
      assertThat(after.get("unique_users").asDouble()).isEqualTo(before.get("unique_users").asDouble());
      JsonNode report = f.getJson("/v1/reports/daily?date=" + today);
      for (JsonNode t : report.at("/live/by_event_type")) {
        assertThat(t.get("report_events").asLong()).as(t.toString()).isEqualTo(t.get("events").asLong());
      }
    }
  }
}
