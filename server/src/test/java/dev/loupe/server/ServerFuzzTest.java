package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.events.EventCodec;
import dev.loupe.lake.LoupeConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any byte payload gets an answer with a reason (200 with per-event rejections, 400 or 413),
 * nothing else, and the server keeps serving: the counters add up and a good batch still goes
 * through afterwards.
 */
class ServerFuzzTest {

  static Path dir;
  static LoupeServer server;
  static URI events;
  static final AtomicLong answered = new AtomicLong();

  static final String VALID = "[" + Http.event("v1", Instant.now().toString()) + ","
      + "{\"event_id\":\"v2\",\"user_id\":7,\"event_type\":\"add_to_cart\","
      + "\"event_time\":\"" + Instant.now() + "\",\"properties\":{\"price\":1.5,\"x\":[1,{}]}}]";

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("loupe-fuzz");
    server = LoupeServer.builder(LoupeConfig.withDefaults().withDataDir(dir).withPort(0)
        .withLimits(16 * 1024, 64L << 20).withFlushInterval(Duration.ofMillis(500))).start();
    events = server.uri().resolve("/v1/events");
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      HttpResponse<String> health = Http.get(server.uri().resolve("/health"));
      assertThat(health.statusCode()).isEqualTo(200);
      String fresh = Http.event("after-fuzz-" + System.nanoTime(), Instant.now().toString());
      HttpResponse<String> ok = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY, fresh);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(EventCodec.mapper().readTree(ok.body()).get("accepted").asInt()).isEqualTo(1);
      assertThat(server.ingest().stats().received()).isEqualTo(answered.get() + 1);
      long accepted = server.ingest().stats().accepted();
      long rejected = server.ingest().stats().rejected();
      server.close();
      // every answered event reached the lake: none is stuck in the log, none was dropped
      assertThat(Files.list(dir.resolve("wal")).count()).isZero();
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
          java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM read_parquet('"
              + dir.resolve("events") + "/*/*/*.parquet')), (SELECT count(*) FROM read_parquet('"
              + dir.resolve("rejected") + "/*/*.parquet'))")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(accepted);
        assertThat(rs.getLong(2)).isEqualTo(rejected);
      }
    } finally {
      server.close();
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 150)
  void anyBytes_getAnAnswerWithAReason(@ForAll("payloads") byte[] body) throws Exception {
    HttpResponse<String> r = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY, body);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 400, 413);
    JsonNode j = EventCodec.mapper().readTree(r.body());
    if (r.statusCode() == 200) {
      int items = j.get("accepted").asInt() + j.get("duplicates").asInt() + j.get("rejected").size();
      assertThat(items).isPositive();
      answered.addAndGet(items);
      for (JsonNode rej : j.get("rejected")) {
        assertThat(rej.get("index").asInt()).isBetween(0, items - 1);
        assertThat(rej.get("field").asText()).isNotBlank();
        assertThat(rej.get("reason").asText()).isNotBlank();
      }
    } else {
      assertThat(j.get("error").asText()).isNotBlank();
      assertThat(j.get("status").asInt()).isEqualTo(r.statusCode());
    }
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
    byte[] ndjson = VALID.substring(1, VALID.length() - 1).replace("},{\"event_id\":\"v2\"",
        "}\n{\"event_id\":\"v2\"").getBytes(StandardCharsets.UTF_8);
    Arbitrary<byte[]> base = Arbitraries.of(List.of(valid, ndjson, EventCodec.gzip(valid)));
    Arbitrary<byte[]> mutated = Combinators.combine(base,
            Arbitraries.integers().between(0, 10_000).list().ofMaxSize(6),
            Arbitraries.bytes().list().ofMaxSize(6))
        .as(ServerFuzzTest::mutate);
    Arbitrary<byte[]> huge = Arbitraries.just(new byte[20 * 1024]);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, random), net.jqwik.api.Tuple.of(6, mutated),
        net.jqwik.api.Tuple.of(1, huge), net.jqwik.api.Tuple.of(1, base));
  }

  /** Flips, truncates and inserts bytes at the given positions. */
  static byte[] mutate(byte[] base, List<Integer> positions, List<Byte> values) {
    byte[] b = base.clone();
    for (int i = 0; i < positions.size(); i++) {
      int pos = positions.get(i) % b.length;
      byte v = i < values.size() ? values.get(i) : (byte) '"';
      switch (i % 3) {
        case 0 -> b[pos] = v;
        case 1 -> b = java.util.Arrays.copyOf(b, Math.max(1, pos));
        default -> {
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, pos);
          c[pos] = v;
          System.arraycopy(b, pos, c, pos + 1, b.length - pos);
          b = c;
        }
      }
    }
    return b;
  }
}
