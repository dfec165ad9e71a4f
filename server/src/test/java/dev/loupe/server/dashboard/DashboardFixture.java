package dev.loupe.server.dashboard;

import dev.loupe.server.QueryRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.lake.live.LiveMetrics;
import dev.loupe.server.LoupeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Starts a real server with the dashboard over a data directory, and talks to it over HTTP. */
final class DashboardFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String[] PLATFORMS = {"ios", "android", "web"};

  final LoupeServer server;
  final DashboardRoutes dashboard;
  final HttpClient http = HttpClient.newHttpClient();

  private DashboardFixture(LoupeServer server, DashboardRoutes dashboard) {
    this.server = server;
    this.dashboard = dashboard;
  }

  static DashboardFixture start(Path dataDir) throws Exception {
    LoupeConfig cfg = LoupeConfig.withDefaults().withDataDir(dataDir).withPort(0).withFlushInterval(Duration.ofMillis(200));
    DashboardRoutes dash =
        DashboardRoutes.create(
            new DashboardRoutes.Settings(new LiveMetrics.Config(3, 90, Duration.ofMillis(200)), "platform", Duration.ofMinutes(5), Duration.ofMinutes(1)));
    return new DashboardFixture(LoupeServer.builder(cfg).module(new QueryRoutes()).module(dash).start(), dash);
  }

  /** An event as a client sends it; user n keeps platform n % 3 (so segments partition users). */
  static ObjectNode event(String id, int user, String type, Instant time) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_id", id);
    e.put("user_id", "user-" + user);
    e.put("event_type", type);
    e.put("event_time", time.toString());
    e.putObject("properties").put("platform", PLATFORMS[user % 3]).put("page", "/p" + user % 7);
    return e;
  }

  JsonNode postEvents(List<? extends JsonNode> events) throws Exception {
    ArrayNode arr = JSON.createArrayNode();
    events.forEach(arr::add);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/v1/events"))
                .header("Content-Type", "application/json")
                .header("X-Loupe-Write-Key", LoupeConfig.DEFAULT_WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arr)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("POST /v1/events: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).header("X-Loupe-Read-Key", LoupeConfig.DEFAULT_READ_KEY).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getWithoutKey(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("X-Loupe-Read-Key", LoupeConfig.DEFAULT_READ_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  URI uri(String path) {
    return server.uri().resolve(path);
  }

  @Override
  public void close() {
    server.close();
  }
}
