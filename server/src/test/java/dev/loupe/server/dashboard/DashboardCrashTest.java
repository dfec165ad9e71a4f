package dev.loupe.server.dashboard;

import static dev.loupe.server.dashboard.DashboardFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.lake.LoupeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL the server right after acknowledgements: at the next start the live counts are whole. */
class DashboardCrashTest {

  @TempDir Path dir;

  @Test
  void sigkillAfterAcks_nextStartCountsEveryAcknowledgedEvent() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        DashboardCrashServer.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant from = now.minusSeconds(3_600).isBefore(dayStart) ? dayStart : now.minusSeconds(3_600);
    long acked = 0;
    try {
      URI uri = null;
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("PORT ")) {
          uri = URI.create("http://localhost:" + line.substring(5).trim());
          break;
        }
      }
      assertThat(uri).as("the child server started").isNotNull();
      HttpClient http = HttpClient.newHttpClient();
      for (int b = 0; b < 5; b++) {
        List<ObjectNode> events = DashboardRestartTest.events("c" + b + "-", 400, from, now, b);
        ArrayNode arr = JSON.createArrayNode();
        events.forEach(arr::add);
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(uri.resolve("/v1/events"))
                .header("X-Loupe-Write-Key", LoupeConfig.DEFAULT_WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arr))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        acked += JSON.readTree(r.body()).get("accepted").asLong();
      }
      JsonNode live = JSON.readTree(http.send(
          HttpRequest.newBuilder(uri.resolve("/v1/metrics/live?minutes=1440"))
              .header("X-Loupe-Read-Key", LoupeConfig.DEFAULT_READ_KEY).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(live.at("/today/events").asLong()).isEqualTo(acked);
    } finally {
      child.destroyForcibly(); // SIGKILL: the live aggregates were never saved
      child.waitFor(30, TimeUnit.SECONDS);
    }

    try (DashboardFixture f = DashboardFixture.start(dir)) {
      JsonNode today0 = f.getJson("/v1/metrics/live?minutes=1440").get("today");
      assertThat(today0.get("events").asLong()).isEqualTo(acked);
      JsonNode report = f.getJson("/v1/reports/daily?date=" + today);
      assertThat(report.at("/totals/events").asLong()).isEqualTo(acked);
      for (JsonNode t : report.at("/live/by_event_type")) {
        assertThat(t.get("report_events").asLong()).as(t.toString()).isEqualTo(t.get("events").asLong());
      }
    }
  }
}
