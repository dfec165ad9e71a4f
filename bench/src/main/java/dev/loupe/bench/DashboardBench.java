package dev.loupe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live aggregation under load: what it costs the collector and how fresh the dashboard is.
 *
 * <ol>
 *   <li>Maximum ingestion rate, server in a child JVM, {@code clients} closed-loop HTTP clients
 *       posting batches of 1,000 events (durable acks), with the dashboard module on and off,
 *       alternating, {@code reps} times each, {@code maxSeconds} per run: the rate lost to live
 *       aggregation is 1 − median(on) / median(off).
 *   <li>Open loop at 80% of median(off) for {@code loadSeconds} with the dashboard on, a page-like
 *       poller reading {@code /v1/metrics/live} every second and a probe polling every 100 ms:
 *       freshness = time from a batch's acknowledgement until a poll response shows the server's
 *       accepted count including it; p50 and p99 for both pollers.
 * </ol>
 *
 * <p>Run: {@code java -cp "bench/target/loupe-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * dev.loupe.bench.DashboardBench [clients=4] [maxSeconds=20] [reps=2] [loadSeconds=120] [openLoopRate]}:
 * the open loop runs at {@code openLoopRate} when given (else 80% of the measured maximum without
 * the dashboard); with {@code reps=0} only the open loop runs.
 */
public final class DashboardBench {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String WRITE_KEY = "loupe-dev-write-key";
  static final String READ_KEY = "loupe-dev-read-key";
  static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase", "search", "share"};
  static final String[] PLATFORMS = {"ios", "android", "web"};
  static final String[] COUNTRIES = {"US", "DE", "FR", "BR", "IN", "JP"};
  static final int BATCH = 1_000;

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int maxSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int loadSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 120;
    double openLoopRate = args.length > 4 ? Double.parseDouble(args[4]) : Double.NaN;

    if (reps == 0) {
      // Only the open loop, at a given rate (e.g. 80% of the ingestion benchmark's maximum).
      openLoop(clients, openLoopRate, loadSeconds);
      return;
    }
    List<Double> isolated = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      isolated.add(aggregationRate(2));
    }
    double agg = median(isolated);
    System.out.printf(Locale.ROOT, "live aggregation alone (LiveMetrics.accepted, one thread): %s -> median %.0f events/s%n", fmt(isolated), agg);

    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      off.add(maxRate(false, clients, maxSeconds, r));
      on.add(maxRate(true, clients, maxSeconds, r));
    }
    double medOff = median(off);
    double medOn = median(on);
    System.out.printf(Locale.ROOT, "max rate, dashboard off: %s -> median %.0f events/s%n", fmt(off), medOff);
    System.out.printf(Locale.ROOT, "max rate, dashboard on:  %s -> median %.0f events/s%n", fmt(on), medOn);
    List<Double> paired = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      paired.add(on.get(r) / off.get(r));
    }
    System.out.printf(Locale.ROOT, "rate lost to live aggregation: %.1f%% (ratio of medians), %.1f%% (median of the %d paired runs %s);"
            + " %.1f%% of one core at %.0f events/s (from the isolated rate)%n",
        100 * (1 - medOn / medOff), 100 * (1 - median(paired)), reps, fmt2(paired), 100 * medOff / agg, medOff);

    double target = Double.isNaN(openLoopRate) ? 0.8 * medOff : openLoopRate;
    openLoop(clients, target, loadSeconds);
  }

  // ---- phase 0

  /** Events per second through {@code LiveMetrics.accepted} on one thread, batches of 1,000. */
  static double aggregationRate(int seconds) throws Exception {
    Path dir = Files.createTempDirectory("loupe-live-bench");
    try (dev.loupe.lake.live.LiveMetrics live = dev.loupe.lake.live.LiveMetrics.open(
        dev.loupe.lake.LakeLayout.of(dir), java.time.Clock.systemUTC(), dev.loupe.lake.live.LiveMetrics.Config.withDefaults())) {
      SplittableRandom r = new SplittableRandom(5);
      List<List<dev.loupe.events.Event>> batches = new ArrayList<>();
      Instant now = Instant.now();
      long id = 0;
      for (int b = 0; b < 200; b++) {
        List<dev.loupe.events.Event> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
          int user = r.nextInt(200_000);
          Instant t = now.minusMillis(r.nextInt(120_000));
          batch.add(new dev.loupe.events.Event("e" + id++, "u" + user, TYPES[r.nextInt(TYPES.length)], t,
              "{\"platform\":\"" + PLATFORMS[user % 3] + "\"}", now));
        }
        batches.add(batch);
      }
      long events = 0;
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      int k = 0;
      while (System.nanoTime() < end) {
        live.accepted(batches.get(k++ % batches.size()));
        events += BATCH;
      }
      return events / ((System.nanoTime() - start) / 1e9);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  // ---- phase 1

  static double maxRate(boolean dashboard, int clients, int seconds, int rep) throws Exception {
    try (Child server = Child.start(dashboard)) {
      HttpClient http = HttpClient.newHttpClient();
      warmUp(http, server.uri, clients);
      AtomicLong acked = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        int id = c;
        Thread t = new Thread(() -> {
          Generator g = new Generator(rep * 100 + id + (dashboard ? 50 : 0));
          while (running.get()) {
            acked.addAndGet(post(http, server.uri, g.batch()));
          }
        });
        t.start();
        threads.add(t);
      }
      Thread.sleep(seconds * 1000L);
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      double rate = acked.get() / ((System.nanoTime() - start) / 1e9);
      System.out.printf(Locale.ROOT, "  run %d dashboard %-3s %.0f events/s%n", rep, dashboard ? "on" : "off", rate);
      return rate;
    }
  }

  static void warmUp(HttpClient http, URI uri, int clients) throws Exception {
    Generator g = new Generator(999);
    for (int i = 0; i < 20; i++) {
      post(http, uri, g.batch());
    }
  }

  // ---- phase 2

  record Poll(long sentNanos, long receivedNanos, long accepted) {}

  record Ack(long nanos, long cumulative) {}

  static void openLoop(int clients, double rate, int seconds) throws Exception {
    try (Child server = Child.start(true)) {
      HttpClient http = HttpClient.newHttpClient();
      warmUp(http, server.uri, clients);
      long base = accepted(http, server.uri, 1);
      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
      List<Poll> page = Collections.synchronizedList(new ArrayList<>());
      List<Poll> probe = Collections.synchronizedList(new ArrayList<>());
      AtomicLong acked = new AtomicLong(base);
      AtomicLong nextBatch = new AtomicLong();
      long start = System.nanoTime();
      double batchesPerSecond = rate / BATCH;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int id = c;
        Thread t = new Thread(() -> {
          Generator g = new Generator(1_000 + id);
          while (running.get()) {
            long i = nextBatch.getAndIncrement();
            long due = start + (long) (i / batchesPerSecond * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
              sleepNanos(wait);
            }
            if (!running.get()) {
              break;
            }
            int n = post(http, server.uri, g.batch());
            long after = acked.addAndGet(n);
            acks.add(new Ack(System.nanoTime(), after));
          }
        });
        t.start();
        threads.add(t);
      }
      Thread pagePoller = poller(http, server.uri, 60, 1_000, running, page);
      Thread probePoller = poller(http, server.uri, 1, 100, running, probe);
      Thread.sleep(seconds * 1000L);
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      pagePoller.join();
      probePoller.join();
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "open loop: target %.0f events/s, achieved %.0f events/s over %d s%n",
          rate, (acked.get() - base) / elapsed, seconds);
      report("freshness, page polling every 1 s", acks, page);
      report("freshness, probe polling every 100 ms", acks, probe);
      List<Double> pageLatency = new ArrayList<>();
      for (Poll p : page) {
        pageLatency.add((p.receivedNanos - p.sentNanos) / 1e6);
      }
      System.out.printf(Locale.ROOT, "GET /v1/metrics/live?minutes=60 latency under load: p50 %.1f ms, p99 %.1f ms (%d polls)%n",
          quantile(pageLatency, 0.5), quantile(pageLatency, 0.99), pageLatency.size());
    }
  }

  static Thread poller(HttpClient http, URI uri, int minutes, long everyMs, AtomicBoolean running, List<Poll> out) {
    Thread t = new Thread(() -> {
      while (running.get()) {
        long sent = System.nanoTime();
        try {
          long a = accepted(http, uri, minutes);
          out.add(new Poll(sent, System.nanoTime(), a));
        } catch (Exception e) {
          System.err.println("poll failed: " + e.getMessage());
        }
        long left = everyMs * 1_000_000 - (System.nanoTime() - sent);
        if (left > 0) {
          sleepNanos(left);
        }
      }
    });
    t.start();
    return t;
  }

  /** For each ack: time until the first poll received after it that counts it (ms). */
  static void report(String name, ConcurrentLinkedQueue<Ack> acks, List<Poll> polls) {
    List<Poll> ps = new ArrayList<>(polls);
    ps.sort((a, b) -> Long.compare(a.receivedNanos, b.receivedNanos));
    List<Double> fresh = new ArrayList<>();
    int missing = 0;
    for (Ack a : acks) {
      double f = -1;
      for (Poll p : ps) { // polls are few (one per 100 ms or 1 s); a linear scan is fine
        if (p.receivedNanos >= a.nanos && p.accepted >= a.cumulative) {
          f = (p.receivedNanos - a.nanos) / 1e6;
          break;
        }
      }
      if (f < 0) {
        missing++;
      } else {
        fresh.add(f);
      }
    }
    System.out.printf(Locale.ROOT, "%s: p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d acks (%d after the last poll)%n",
        name, quantile(fresh, 0.5), quantile(fresh, 0.99), quantile(fresh, 1.0), fresh.size(), missing);
  }

  // ---- HTTP

  static int post(HttpClient http, URI uri, byte[] body) {
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(uri.resolve("/v1/events"))
                .header("X-Loupe-Write-Key", WRITE_KEY)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body()).get("accepted").asInt();
        }
        if (r.statusCode() != 503 || attempt > 100) {
          throw new IllegalStateException("POST /v1/events: " + r.statusCode() + " " + r.body());
        }
        Thread.sleep(50);
      } catch (java.io.IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static long accepted(HttpClient http, URI uri, int minutes) throws Exception {
    HttpResponse<byte[]> r = http.send(
        HttpRequest.newBuilder(uri.resolve("/v1/metrics/live?minutes=" + minutes)).header("X-Loupe-Read-Key", READ_KEY).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    JsonNode m = JSON.readTree(r.body());
    return m.at("/ingestion/accepted_since_start").asLong();
  }

  // ---- helpers

  /** NDJSON batches of unique events "now" (±5 s) from 200,000 users. */
  static final class Generator {
    final SplittableRandom random;
    final String prefix;
    long n;

    Generator(long seed) {
      random = new SplittableRandom(seed);
      prefix = Long.toHexString(seed) + "-" + Long.toHexString(System.nanoTime()) + "-";
    }

    byte[] batch() {
      StringBuilder sb = new StringBuilder(BATCH * 220);
      Instant now = Instant.now();
      for (int i = 0; i < BATCH; i++) {
        int user = random.nextInt(200_000);
        sb.append("{\"event_id\":\"").append(prefix).append(n++)
            .append("\",\"user_id\":\"u").append(user)
            .append("\",\"event_type\":\"").append(TYPES[random.nextInt(TYPES.length)])
            .append("\",\"event_time\":\"").append(now.minusMillis(random.nextInt(5_000)))
            .append("\",\"properties\":{\"platform\":\"").append(PLATFORMS[user % 3])
            .append("\",\"country\":\"").append(COUNTRIES[user % 6]).append("\",\"page\":\"/p/").append(random.nextInt(500))
            .append("\"}}\n");
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The server in a child JVM over a fresh data directory. */
  static final class Child implements AutoCloseable {
    final Process process;
    final URI uri;
    final Path dir;

    private Child(Process process, URI uri, Path dir) {
      this.process = process;
      this.uri = uri;
      this.dir = dir;
    }

    static Child start(boolean dashboard) throws Exception {
      Path dir = Files.createTempDirectory("loupe-dash-bench");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-Xmx4g", "-cp", System.getProperty("java.class.path"),
          DashboardBenchServer.class.getName(), dir.toString(), "0", dashboard ? "on" : "off")
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
        // skip
      }
      if (line == null) {
        throw new IllegalStateException("the bench server did not start");
      }
      return new Child(p, URI.create("http://localhost:" + line.substring(6).trim()), dir);
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static double median(List<Double> xs) {
    return quantile(xs, 0.5);
  }

  static double quantile(List<Double> xs, double q) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int i = (int) Math.ceil(q * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }

  static String fmt2(List<Double> xs) {
    StringBuilder sb = new StringBuilder("[");
    for (double x : xs) {
      sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", x));
    }
    return sb.append("]").toString();
  }

  static String fmt(List<Double> xs) {
    StringBuilder sb = new StringBuilder("[");
    for (double x : xs) {
      sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", x));
    }
    return sb.append("]").toString();
  }
}
