package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.events.EventCodec;
import dev.loupe.lake.LoupeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryRoutesTest {

  @TempDir Path dir;
  LoupeServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path partition = dir.resolve("events/event_date=2024-01-01/event_type=click");
    Files.createDirectories(partition);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("COPY (SELECT 'e' || i AS event_id, 'u' || (i % 3) AS user_id, 'click' AS event_type,"
          + " TIMESTAMP '2024-01-01 10:00:00' + to_minutes(i) AS event_time, '{}' AS properties,"
          + " TIMESTAMP '2024-01-01 10:00:00' + to_minutes(i) AS received_at FROM range(12) t(i)) TO '"
          + partition.resolve("seg-1-0.parquet") + "' (FORMAT parquet)");
    }
    server = LoupeServer.builder(LoupeConfig.withDefaults().withDataDir(dir).withPort(0).withKeys("write-key-123", "read-key-123"))
        .modules(LoupeServer.standardModules())
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String body, String contentType, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + "/v1/query"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header(ServerContext.READ_KEY_HEADER, key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String sql) throws Exception {
    HttpResponse<String> r = post(EventCodec.mapper().createObjectNode().put("sql", sql).toString(), "application/json", "read-key-123");
    JsonNode body = EventCodec.mapper().readTree(r.body());
    assertThat(body.has("status") ? body.get("status").asInt() : 200).isEqualTo(r.statusCode());
    return body;
  }

  @Test
  void query_returnsRowsForTheReadKey() throws Exception {
    JsonNode r = json("SELECT user_id, count(*) AS n, min(event_time) AS first FROM events GROUP BY 1 ORDER BY 1");
    assertThat(r.get("columns").toString()).isEqualTo("[\"user_id\",\"n\",\"first\"]");
    assertThat(r.get("rows").toString())
        .isEqualTo("[[\"u0\",4,\"2024-01-01T10:00:00Z\"],[\"u1\",4,\"2024-01-01T10:01:00Z\"],[\"u2\",4,\"2024-01-01T10:02:00Z\"]]");
    assertThat(r.get("truncated").asBoolean()).isFalse();

    HttpResponse<String> text = post("SELECT count(*) FROM events", "text/plain", "read-key-123");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(EventCodec.mapper().readTree(text.body()).get("rows").toString()).isEqualTo("[[12]]");

    JsonNode limited = EventCodec.mapper().readTree(post("{\"sql\": \"SELECT * FROM events\", \"max_rows\": 5}",
        "application/json", "read-key-123").body());
    assertThat(limited.get("rows")).hasSize(5);
    assertThat(limited.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void query_nestedBlobAndInfiniteValues_areJsonNotJavaText() throws Exception {
    JsonNode r = json("SELECT {'a': 1, 'b': [TIMESTAMP '2024-01-01 10:00:00']} AS s, histogram(event_type) AS h,"
        + " '\\xFF\\x00a'::BLOB AS b, 'infinity'::TIMESTAMP AS t, [{'x': 1}] AS l FROM events");
    assertThat(r.get("rows").toString()).isEqualTo(
        "[[{\"a\":1,\"b\":[\"2024-01-01T10:00:00Z\"]},{\"click\":12},\"\\\\xFF\\\\x00a\",\"infinity\",[{\"x\":1}]]]");
  }

  @Test
  void getQuery_is405WithAllow() throws Exception {
    HttpResponse<String> r = Http.get(server.uri().resolve("/v1/query"));
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("POST");
    assertThat(r.body()).contains("/v1/query takes POST");
  }

  @Test
  void query_refusesWithoutReadKeyOrWithWriteKey() throws Exception {
    assertThat(post("{\"sql\": \"SELECT 1\"}", "application/json", null).statusCode()).isEqualTo(401);
    assertThat(post("{\"sql\": \"SELECT 1\"}", "application/json", "write-key-123").statusCode()).isEqualTo(401);
  }

  @Test
  void query_refusesEscapesWithClearMessages() throws Exception {
    assertThat(json("SELECT * FROM read_csv('/etc/passwd')").get("error").asText())
        .isEqualTo("the query reaches /etc/passwd, outside the lake: the sandbox reads only the views events,"
            + " rejected, sessions, daily_reports");
    assertThat(json("COPY events TO '" + dir.resolve("events/out.csv") + "'").get("error").asText())
        .startsWith("COPY is refused");
    assertThat(dir.resolve("events/out.csv")).doesNotExist();
    assertThat(json("ATTACH '/tmp/x.db'").get("error").asText()).startsWith("ATTACH is refused");
    assertThat(json("SELECT 1; SELECT 2").get("error").asText())
        .isEqualTo("query has 2 statements but the sandbox runs exactly one per request");
    assertThat(json("SELECT nope FROM events").get("error").asText()).startsWith("query failed: Binder Error");
    HttpResponse<String> bad = post("{\"query\": 1}", "application/json", "read-key-123");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("body must be a JSON object with a text field \\\"sql\\\"");
    assertThat(post("{\"sql\": \"SELECT 1\", \"max_rows\": -1}", "application/json", "read-key-123").body())
        .contains("max_rows must be an integer from 0 to 10000 but was -1");
    HttpResponse<String> fraction = post("{\"sql\": \"SELECT 1\", \"max_rows\": 2.7}", "application/json", "read-key-123");
    assertThat(fraction.statusCode()).isEqualTo(400);
    assertThat(fraction.body()).contains("max_rows must be an integer from 0 to 10000 but was 2.7");
  }

  @Test
  void query_resultTooLargeForOneAnswer_is400AndTheServerKeepsIngesting() throws Exception {
    // 1 GB of text used to exhaust the memory, which also killed the write-ahead log's writer
    JsonNode big = json("SELECT repeat('x', 100000) AS s FROM range(10000)");
    assertThat(big.get("status").asInt()).isEqualTo(400);
    assertThat(big.get("error").asText()).isEqualTo("the result holds more than 33554432 characters after 336 rows,"
        + " over the limit of one answer; select fewer rows or columns, or shorter values");
    assertThat(json("SELECT repeat('x', 40000000) AS s").get("error").asText())
        .startsWith("the result holds more than 33554432 characters after 1 rows");
    // a list counts by its text, not as one value: one row of 40 million characters
    assertThat(json("SELECT list(repeat('x', 1000)) AS l FROM range(40000)").get("error").asText())
        .startsWith("the result holds more than 33554432 characters after 1 rows");
    HttpResponse<String> ok = Http.post(server.uri().resolve("/v1/events"), "write-key-123",
        Http.event("after-big-query", java.time.Instant.now().toString()));
    assertThat(ok.statusCode()).isEqualTo(200);
  }
}
