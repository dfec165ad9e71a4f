package dev.loupe.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests. */
final class Http {

  static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  static HttpResponse<String> post(URI uri, String key, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      b.header(ServerContext.WRITE_KEY_HEADER, key);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(URI uri, String key, String body) throws Exception {
    return post(uri, key, body.getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String event(String id, String time) {
    return "{\"event_id\":\"" + id + "\",\"user_id\":\"u\",\"event_type\":\"click\","
        + "\"event_time\":\"" + time + "\",\"properties\":{}}";
  }
}
