package dev.loupe.bench;

import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.sql.QueryResult;
import dev.loupe.sql.SqlSandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * End-to-end ingestion benchmark: a real {@code loupe serve} in a child JVM, this process as the
 * HTTP load generator (batches of 1,000 NDJSON events, durable acknowledgements).
 *
 * <ol>
 *   <li>maximum sustained rate: closed loop, {@code connections} keep-alive connections each
 *       posting batch after batch, five runs of {@code seconds} each after a 10 s warm-up; the
 *       median run is reported;
 *   <li>acknowledgement latency at half that rate: open loop (requests are sent on schedule,
 *       latency counted from the scheduled time, so a stall is not hidden), p50 and p99;
 *   <li>acknowledgement → visible to {@code loupe sql}: post one event, then open a
 *       {@link SqlSandbox} and query it every 50 ms until it is there; median of 10;
 *   <li>the ceiling, after the server stopped: DuckDB Appender rows/s into an in-memory table of
 *       the lake's schema, one thread, median of 3 runs of 2 million rows.
 * </ol>
 *
 * <p>Run (after {@code mvn -B -q -DskipTests -pl bench -am package}):
 *
 * <pre>
 * java -cp "bench/target/loupe-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
 *     dev.loupe.bench.IngestBenchmark [seconds=10] [connections=8]
 * </pre>
 *
 * <p>{@code -Dloupe.bench.serverJvmOptions="…"} passes JVM options to the server (e.g. a flight
 * recording).
 */
public final class IngestBenchmark {

  static final int BATCH = 1_000;
  static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase", "share"};

  private final URI events;
  private final HttpClient http;
  private final byte[] template;
  private final int[] idOffsets;
  private final AtomicLong sequence = new AtomicLong();

  private IngestBenchmark(URI events, int connections) {
    this.events = events;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(Math.max(2, connections / 2))).build();
    String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    StringBuilder b = new StringBuilder();
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      b.append("{\"event_id\":\"bench-");
      offsets.add(b.length());
      b.append("0000000000000-").append(String.format(Locale.ROOT, "%04d", i))
          .append("\",\"user_id\":\"u").append(i * 7919 % 30_000)
          .append("\",\"event_type\":\"").append(TYPES[i % TYPES.length])
          .append("\",\"event_time\":\"").append(time)
          .append("\",\"properties\":{\"platform\":\"ios\",\"country\":\"DE\",\"page\":\"/p/")
          .append(i).append("\"}}\n");
    }
    this.template = b.toString().getBytes(StandardCharsets.US_ASCII);
    this.idOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A batch of 1,000 events with fresh ids: the template with a new 13-digit batch number. */
  byte[] nextBatch() {
    byte[] body = template.clone();
    long n = sequence.incrementAndGet();
    byte[] digits = String.format(Locale.ROOT, "%013d", n).getBytes(StandardCharsets.US_ASCII);
    for (int off : idOffsets) {
      System.arraycopy(digits, 0, body, off, digits.length);
    }
    return body;
  }

  private final ThreadLocal<RawHttpClient> connections = new ThreadLocal<>();

  /** Posts a batch on this thread's keep-alive connection; the events acknowledged (0 on 503). */
  int post(byte[] body) throws IOException {
    RawHttpClient c = connections.get();
    if (c == null) {
      c = new RawHttpClient(events, LoupeConfig.DEFAULT_WRITE_KEY);
      connections.set(c);
    }
    RawHttpClient.Response r = c.post(body);
    if (r.status() == 503) {
      return 0;
    }
    if (r.status() != 200 || !r.body().startsWith("{\"accepted\":" + BATCH + ",")) {
      throw new IllegalStateException("unexpected answer " + r.status() + ": " + r.body());
    }
    return BATCH;
  }

  /** Closed loop: events/s acknowledged over {@code seconds}. */
  double maxRate(int connections, double seconds) throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      fs.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          int n = post(nextBatch());
          if (n == 0) {
            refused.incrementAndGet();
            Thread.sleep(100);
          }
          acked.addAndGet(n);
        }
        return null;
      }));
    }
    for (var f : fs) {
      f.get();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    if (refused.get() > 0) {
      System.out.printf(Locale.ROOT, "  (%d batches got 503 back-pressure)%n", refused.get());
    }
    return acked.get() / elapsed;
  }

  /** Open loop at {@code rate} events/s: ack latencies in ms, from the scheduled send time. */
  double[] latencies(double rate, double seconds) throws Exception {
    int batches = (int) (rate * seconds / BATCH);
    long periodNanos = (long) (1e9 * BATCH / rate);
    double[] lat = new double[batches];
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(64);
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < batches; i++) {
      int k = i;
      long due = start + k * periodNanos;
      clock.schedule(() -> senders.execute(() -> {
        try {
          if (post(nextBatch()) == 0) {
            failed.incrementAndGet();
          }
        } catch (Exception e) {
          failed.incrementAndGet();
        }
        lat[k] = (System.nanoTime() - due) / 1e6;
        done.incrementAndGet();
      }), due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    while (done.get() < batches) {
      Thread.sleep(50);
    }
    clock.shutdown();
    senders.shutdown();
    if (failed.get() > 0) {
      System.out.printf(Locale.ROOT, "  (%d batches failed or got 503)%n", failed.get());
    }
    Arrays.sort(lat);
    return lat;
  }

  /** Milliseconds from the acknowledgement of one event to its visibility in a new sandbox. */
  double visibility(LakeLayout lake, int i) throws Exception {
    String id = "visible-" + System.nanoTime() + "-" + i;
    String body = "{\"event_id\":\"" + id + "\",\"event_type\":\"probe\",\"event_time\":\""
        + Instant.now() + "\"}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(events)
        .header("X-Loupe-Write-Key", LoupeConfig.DEFAULT_WRITE_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    long acked = System.nanoTime();
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.body());
    }
    while (true) {
      try (SqlSandbox sql = SqlSandbox.open(lake)) {
        QueryResult q = sql.query("SELECT count(*) FROM events WHERE event_type = 'probe'"
            + " AND event_id = '" + id + "'");
        if (((Number) q.rows().get(0).get(0)).longValue() == 1) {
          return (System.nanoTime() - acked) / 1e6;
        }
      }
      Thread.sleep(50);
    }
  }

  /** DuckDB Appender rows/s into an in-memory table of the lake's schema. */
  static double appenderRate(int rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ev (event_id VARCHAR, user_id VARCHAR, event_type VARCHAR,"
          + " event_time TIMESTAMP, properties VARCHAR, received_at TIMESTAMP)");
      LocalDateTime t = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
      String props = "{\"platform\":\"ios\",\"country\":\"DE\",\"page\":\"/p/1\"}";
      long t0 = System.nanoTime();
      try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("main", "ev")) {
        for (int i = 0; i < rows; i++) {
          a.beginRow().append("bench-" + i).append("u" + (i % 30_000))
              .append(TYPES[i % TYPES.length]).append(t).append(props).append(t).endRow();
        }
      }
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path data = Files.createTempDirectory("loupe-bench-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("loupe-bench-server", ".log");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx4g"));
    String extra = System.getProperty("loupe.bench.serverJvmOptions", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.loupe.cli.Loupe",
        "serve", "--port", Integer.toString(port), "--data-dir", data.toString()));
    Process server = new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI base = URI.create("http://localhost:" + port);
      waitForHealth(base);
      IngestBenchmark b = new IngestBenchmark(base.resolve("/v1/events"), connections);
      System.out.printf(Locale.ROOT, "server pid %d, data %s, %d connections, %.0f s runs,"
          + " load average %s%n", server.pid(), data, connections, seconds, loadAverage());
      b.maxRate(connections, 10); // warm-up: JIT, page cache, first flushes
      List<Double> rates = new ArrayList<>();
      for (int run = 0; run < 5; run++) {
        double r = b.maxRate(connections, seconds);
        rates.add(r);
        System.out.printf(Locale.ROOT, "max rate run %d: %,.0f events/s%n", run + 1, r);
      }
      double max = median(rates);
      Thread.sleep(3_000); // let the flush catch up
      double[] lat = b.latencies(max / 2, seconds);
      System.out.printf(Locale.ROOT, "latency at %,.0f events/s: p50 %.1f ms, p99 %.1f ms%n",
          max / 2, percentile(lat, 0.50), percentile(lat, 0.99));
      Thread.sleep(3_000);
      List<Double> vis = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        vis.add(b.visibility(LakeLayout.of(data), i));
      }
      System.out.printf(Locale.ROOT, "ack -> visible to loupe sql: median %.0f ms (min %.0f,"
          + " max %.0f)%n", median(vis), Collections.min(vis), Collections.max(vis));
      server.destroy();
      server.waitFor(120, TimeUnit.SECONDS);
      List<Double> app = new ArrayList<>();
      for (int run = 0; run < 3; run++) {
        app.add(appenderRate(2_000_000));
      }
      double appender = median(app);
      System.out.printf(Locale.ROOT, "DuckDB Appender (in-memory, 1 thread): %,.0f rows/s%n",
          appender);
      System.out.println();
      System.out.println("load average at the end: " + loadAverage());
      System.out.println("| figure | value |");
      System.out.println("|---|---|");
      System.out.printf(Locale.ROOT, "| sustained ingestion, HTTP, batches of 1,000, durable acks"
          + " (median of 5 × %.0f s; best %,.0f) | %,.0f events/s |%n", seconds,
          Collections.max(rates), max);
      System.out.printf(Locale.ROOT, "| DuckDB Appender, same run (ceiling) | %,.0f rows/s |%n",
          appender);
      System.out.printf(Locale.ROOT, "| ratio ingestion / Appender | %.2f |%n", max / appender);
      System.out.printf(Locale.ROOT, "| ack latency at %,.0f events/s (half max), p50 / p99 |"
          + " %.1f ms / %.1f ms |%n", max / 2, percentile(lat, 0.5), percentile(lat, 0.99));
      System.out.printf(Locale.ROOT, "| ack → visible to `loupe sql` (median of 10) | %.0f ms |%n",
          median(vis));
    } finally {
      if (server.isAlive()) {
        server.destroyForcibly();
        server.waitFor();
      }
      System.out.println("server log: " + log);
      try (var files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void waitForHealth(URI base) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (c.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the server did not start within 60 s");
  }
}
