package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.events.EventCodec;
import dev.loupe.lake.LoupeConfig;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoupeServerTest {

  @TempDir Path dir;
  LoupeServer server;
  URI events;
  final String key = LoupeConfig.DEFAULT_WRITE_KEY;
  final String now = Instant.now().toString();

  @BeforeEach
  void start() throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir).withPort(0)
        .withLimits(64 * 1024, 1L << 20)
        .withFlushInterval(Duration.ofMinutes(1));
    server = LoupeServer.builder(config)
        .module((routes, ctx) -> routes.get("/test/read", c -> {
          ctx.requireReadKey(c);
          c.result("ok");
        }))
        .start();
    events = server.uri().resolve("/v1/events");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return EventCodec.mapper().readTree(r.body());
  }

  @Test
  void postEvents_acceptsDeduplicatesAndRejectsPerEvent() throws Exception {
    String body = "[" + Http.event("a", now) + "," + Http.event("a", now) + ","
        + "{\"event_id\":\"b\",\"event_type\":\"click\",\"event_time\":\"2099-01-01T00:00:00Z\"},"
        + Http.event("c", now) + "]";
    HttpResponse<String> r = Http.post(events, key, body);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("accepted").asInt()).isEqualTo(2);
    assertThat(j.get("duplicates").asInt()).isEqualTo(1);
    assertThat(j.get("rejected")).hasSize(1);
    assertThat(j.get("rejected").get(0).get("index").asInt()).isEqualTo(2);
    assertThat(j.get("rejected").get(0).get("field").asText()).isEqualTo("event_time");
    assertThat(j.get("rejected").get(0).get("reason").asText())
        .contains("'2099-01-01T00:00:00Z' is more than 1 day after its reception");
  }

  @Test
  void postEvents_propertyBeyondDoubleRange_rejectedAloneAndNotStoredAsInfinity() throws Exception {
    String body = "[" + Http.event("p1", now) + ","
        + "{\"event_id\":\"p2\",\"event_type\":\"purchase\",\"event_time\":\"" + now + "\","
        + "\"properties\":{\"revenue\":1e400}}," + Http.event("p3", now) + "]";
    HttpResponse<String> r = Http.post(events, key, body);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("accepted").asInt()).isEqualTo(2);
    assertThat(j.get("rejected")).hasSize(1);
    assertThat(j.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(j.get("rejected").get(0).get("field").asText()).isEqualTo("properties");
    assertThat(j.get("rejected").get(0).get("reason").asText())
        .isEqualTo("properties.revenue is a number beyond the range of a double (its magnitude must be at most "
            + "1.7976931348623157E308)");
    server.ingest().flush();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT string_agg(event_id, ',' ORDER BY event_id) FROM read_parquet('"
            + dir.resolve("events") + "/**/*.parquet')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("p1,p3");
    }
  }

  @Test
  void postEvents_gzipNdjson() throws Exception {
    byte[] body = EventCodec.gzip((Http.event("g1", now) + "\n" + Http.event("g2", now))
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = Http.post(events, key, body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(2);
  }

  @Test
  void getEvents_is405WithAllow() throws Exception {
    HttpResponse<String> r = Http.get(events);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("POST");
    assertThat(r.body()).contains("/v1/events takes POST");
  }

  /** Requests Jetty refuses before any route sees them answer with the API's JSON error body. */
  @Test
  void malformedRequests_jsonErrors() throws Exception {
    String badLength = raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nX-Loupe-Write-Key: " + key
        + "\r\nContent-Length: abc\r\nConnection: close\r\n\r\n[]");
    assertThat(badLength).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
        .endsWith("{\"error\":\"malformed HTTP request: Invalid Content-Length Value\",\"status\":400}");
    String twoLengths = raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3"
        + "\r\nConnection: close\r\n\r\n[]");
    assertThat(twoLengths).startsWith("HTTP/1.1 400 ")
        .endsWith("{\"error\":\"malformed HTTP request: Multiple Content-Lengths\",\"status\":400}");
    String noUri = raw("GARBAGE\r\n\r\n");
    assertThat(noUri).startsWith("HTTP/1.1 400 ").contains("\"status\":400").doesNotContain("<html>");
    HttpResponse<String> unknown = Http.get(server.uri().resolve("/v1/nope"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(json(unknown).get("error").asText()).isEqualTo("Endpoint GET /v1/nope not found");
    // the server keeps serving
    assertThat(Http.post(events, key, Http.event("after-bad-requests", now)).statusCode()).isEqualTo(200);
  }

  /** Sends {@code request} as it is and returns everything the server answers until it closes. */
  private String raw(String request) throws Exception {
    try (Socket s = new Socket("localhost", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void postEvents_missingOrWrongKey401() throws Exception {
    HttpResponse<String> missing = Http.post(events, null, Http.event("k", now));
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(json(missing).get("error").asText())
        .isEqualTo("the write key is missing: send it in the X-Loupe-Write-Key header");
    HttpResponse<String> wrong = Http.post(events, "not-the-key", Http.event("k", now));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("error").asText())
        .isEqualTo("the X-Loupe-Write-Key header does not hold the write key");
    // the read key is not a write key
    assertThat(Http.post(events, LoupeConfig.DEFAULT_READ_KEY, Http.event("k", now))
        .statusCode()).isEqualTo(401);
  }

  @Test
  void postEvents_malformedBody400() throws Exception {
    HttpResponse<String> r = Http.post(events, key, "[{\"event_id\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").asText())
        .startsWith("body is not valid JSON (a JSON array of events was expected)");
    HttpResponse<String> empty = Http.post(events, key, "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("error").asText()).startsWith("body is empty");
  }

  @Test
  void postEvents_tooLarge413() throws Exception {
    byte[] big = new byte[70 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = Http.post(events, key, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).contains("larger than the limit of 65536 bytes");
  }

  @Test
  void postEvents_overload503WithRetryAfter() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      b.append(Http.event("o" + i + "-" + "x".repeat(100), now)).append('\n');
    }
    int status = 200;
    HttpResponse<String> r = null;
    for (int round = 0; round < 100 && status == 200; round++) {
      r = Http.post(events, key, b.toString().replace("\"o", "\"r" + round + "-o"));
      status = r.statusCode();
    }
    assertThat(status).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(json(r).get("error").asText()).contains("retry later");
    server.ingest().flush();
    assertThat(Http.post(events, key, Http.event("after", now)).statusCode()).isEqualTo(200);
  }

  @Test
  void metrics_prometheusCounters() throws Exception {
    Http.post(events, key, Http.event("m1", now) + "\n" + Http.event("m1", now) + "\n{}");
    server.ingest().flush();
    String text = Http.get(server.uri().resolve("/metrics")).body();
    assertThat(text).contains("loupe_events_received_total 3.0",
        "loupe_events_accepted_total 1.0", "loupe_events_rejected_total 1.0",
        "loupe_events_deduplicated_total 1.0", "loupe_flush_lag_seconds 0.0",
        "loupe_flushes_total 1.0", "loupe_dedup_window_seconds 604800.0");
    assertThat(text).containsPattern("(?m)^loupe_wal_bytes \\d");
    assertThat(text).containsPattern("(?m)^loupe_lake_files [1-9]");
    assertThat(text).containsPattern("(?m)^loupe_lake_bytes [1-9]");
  }

  @Test
  void health_ok() throws Exception {
    HttpResponse<String> r = Http.get(server.uri().resolve("/health"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void module_routesUseTheReadKey() throws Exception {
    URI read = server.uri().resolve("/test/read");
    assertThat(Http.get(read).statusCode()).isEqualTo(401);
    HttpResponse<String> ok = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(read)
        .header(ServerContext.READ_KEY_HEADER, LoupeConfig.DEFAULT_READ_KEY).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.body()).isEqualTo("ok");
  }
}
