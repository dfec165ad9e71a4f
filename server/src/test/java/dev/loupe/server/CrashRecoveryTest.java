package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.events.EventCodec;
import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.LoupeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 under load, twice, then restart: every acknowledged event_id is in the lake exactly
 * once, and batches whose acknowledgement was lost are retried without creating duplicates.
 */
class CrashRecoveryTest {

  @TempDir Path dir;

  static final int THREADS = 4;
  static final int BATCH = 200;

  private Process child;

  private URI startChild() throws Exception {
    long t0 = System.nanoTime();
    try {
      return launch();
    } finally {
      System.out.printf("child server started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private URI launch() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        CrashTestServer.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        return URI.create("http://localhost:" + line.substring(5).trim() + "/v1/events");
      }
    }
    throw new IllegalStateException("the child server exited with " + child.waitFor());
  }

  @Test
  void sigkillUnderLoad_everyAcknowledgedEventReachesTheLakeExactlyOnce() throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Map<String, String> unacked = new ConcurrentHashMap<>(); // batch name -> body
    try {
      for (int cycle = 0; cycle < 2; cycle++) {
        URI events = startChild();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          String prefix = "c" + cycle + "-t" + t;
          Thread th = new Thread(() -> post(events, prefix, stop, acked, unacked));
          th.start();
          load.add(th);
        }
        Thread.sleep(2_500);
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread th : load) {
          th.join();
        }
      }
      assertThat(acked).hasSizeGreaterThan(1_000);
      URI events = startChild(); // replays the log of the killed process
      for (String body : unacked.values()) {
        HttpResponse<String> r = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY, body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = EventCodec.mapper().readTree(r.body());
        assertThat(j.get("accepted").asInt() + j.get("duplicates").asInt()).isEqualTo(BATCH);
        for (String line : body.split("\n")) {
          acked.add(EventCodec.mapper().readTree(line).get("event_id").asText());
        }
      }
      // the retry of an acknowledged batch adds nothing
      String someAcked = acked.iterator().next();
      HttpResponse<String> again = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY,
          Http.event(someAcked, Instant.now().toString()));
      assertThat(EventCodec.mapper().readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);
      child.destroy(); // SIGTERM: graceful, flushes to the lake
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
      }
    }
    Map<String, Long> counts = lakeCounts(LakeLayout.of(dir));
    // set difference, not AssertJ's containsAll: that one scans the whole key set per id (O(n²)
    // over the million or so ids a fast server acknowledges before the kill)
    Set<String> missing = new java.util.HashSet<>(acked);
    missing.removeAll(counts.keySet());
    assertThat(missing).as("acknowledged event_ids missing from the lake").isEmpty();
    assertThat(counts.entrySet()).filteredOn(e -> e.getValue() != 1).isEmpty();
    assertThat(Files.list(LakeLayout.of(dir).wal()).count()).isZero();
  }

  private static void post(URI events, String prefix, AtomicBoolean stop, Set<String> acked,
      Map<String, String> unacked) {
    String now = Instant.now().toString();
    for (int b = 0; !stop.get(); b++) {
      StringBuilder body = new StringBuilder();
      List<String> ids = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        String id = prefix + "-b" + b + "-" + i;
        ids.add(id);
        body.append(Http.event(id, now)).append('\n');
      }
      try {
        HttpResponse<String> r = Http.post(events, LoupeConfig.DEFAULT_WRITE_KEY, body.toString());
        if (r.statusCode() == 200) {
          acked.addAll(ids);
          continue;
        }
      } catch (Exception e) {
        // the server died mid-request: the acknowledgement is lost; retry after the restart
      }
      unacked.put(prefix + "-b" + b, body.toString());
      return;
    }
  }

  private static Map<String, Long> lakeCounts(LakeLayout lake) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM read_parquet('"
            + lake.events() + "/*/*/*.parquet') GROUP BY 1")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }
}
