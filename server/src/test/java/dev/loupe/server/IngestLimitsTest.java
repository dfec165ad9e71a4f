package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.events.EventCodec;
import dev.loupe.lake.LoupeConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits of POST /v1/events at the default body size (16 MiB). */
class IngestLimitsTest {

  @TempDir Path dir;
  LoupeServer server;
  URI events;

  @BeforeEach
  void start() throws Exception {
    server = LoupeServer.builder(LoupeConfig.withDefaults().withDataDir(dir).withPort(0)).start();
    events = server.uri().resolve("/v1/events");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void postEvents_tinyItemsBeyondTheEventLimit_are413AndNothingIsLogged() throws Exception {
    // 200 KB of "1," used to make 100,001 rejections, each logged and answered; 16 MiB of them
    // exhausted the server's memory
    String body = "[" + "1,".repeat(EventCodec.MAX_EVENTS) + "1]";
    HttpResponse<String> r = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY, body);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(EventCodec.mapper().readTree(r.body()).get("error").asText())
        .isEqualTo("body holds more than 100000 events, the limit per request; send smaller batches");
    assertThat(server.ingest().stats().walBytes()).isZero();

    HttpResponse<String> ok = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY,
        Http.event("after-limit", Instant.now().toString()));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(EventCodec.mapper().readTree(ok.body()).get("accepted").asInt()).isEqualTo(1);
  }
}
