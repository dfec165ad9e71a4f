package dev.loupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code loupe serve --demo}: posts synthetic events to the server over HTTP, like a fleet of
 * clients. On an empty lake it first writes a history of {@link #HISTORY_DAYS} days (weekly and
 * daily rhythm, about {@link #SESSIONS_PER_DAY} sessions a day); then it streams live sessions,
 * each event sent when its time comes. About 0.5% of events are malformed (rejected with a
 * reason) and about 2% of batches are sent twice (retries, deduplicated by event_id).
 */
public final class DemoStream implements AutoCloseable {

  static final int USERS = 30_000;
  static final int HISTORY_DAYS = 14;
  static final int SESSIONS_PER_DAY = 2_500;
  /** Live sessions started per second, on average. */
  static final double LIVE_SESSIONS_PER_SECOND = 2.0;

  private static final Logger LOG = Logger.getLogger(DemoStream.class.getName());

  private final URI endpoint;
  private final String writeKey;
  private final Clock clock;
  private final SplittableRandom random;
  private final DemoEvents events;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread thread;
  private volatile boolean running = true;

  private DemoStream(LoupeServer server, Clock clock, long seed) {
    this.endpoint = server.uri().resolve("/v1/events");
    this.writeKey = server.context().config().writeKey();
    this.clock = clock;
    this.random = new SplittableRandom(seed ^ clock.millis());
    this.events = DemoEvents.create(random.split(), USERS);
    boolean empty = isEmpty(server.context().layout().events());
    this.thread = new Thread(() -> run(empty), "loupe-demo");
    thread.setDaemon(true);
  }

  /** Starts streaming to the server in a background thread. */
  public static DemoStream start(LoupeServer server, Clock clock, long seed) {
    DemoStream s = new DemoStream(server, clock, seed);
    s.thread.start();
    return s;
  }

  private static boolean isEmpty(Path events) {
    if (!Files.isDirectory(events)) {
      return true;
    }
    try (Stream<Path> s = Files.walk(events)) {
      return s.noneMatch(p -> p.toString().endsWith(".parquet"));
    } catch (IOException e) {
      return true;
    }
  }

  private void run(boolean backfill) {
    try {
      if (backfill) {
        history();
      }
      live();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (running) {
        LOG.log(Level.WARNING, "demo stream stopped", e);
      }
    }
  }

  private void history() throws IOException, InterruptedException {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<ObjectNode> batch = new ArrayList<>();
    for (int d = HISTORY_DAYS; d >= 0 && running; d--) {
      LocalDate day = today.minusDays(d);
      double weekly = switch (day.getDayOfWeek()) {
        case SATURDAY, SUNDAY -> 0.75;
        default -> 1.0;
      };
      int sessions = (int) (SESSIONS_PER_DAY * weekly * (0.9 + 0.2 * random.nextDouble()));
      for (int s = 0; s < sessions && running; s++) {
        double hour = diurnalHour();
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant()
            .plusMillis((long) (hour * 3_600_000));
        if (start.isAfter(now.minusSeconds(3600))) {
          continue;
        }
        for (ObjectNode e : events.session(start)) {
          batch.add(e);
        }
        if (batch.size() >= 1_000) {
          send(batch);
          batch = new ArrayList<>();
        }
      }
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  /** An hour of the day, more often in the afternoon and evening. */
  private double diurnalHour() {
    while (true) {
      double h = random.nextDouble() * 24;
      double w = 0.3 + 0.7 * Math.max(0, Math.sin((h - 6) / 24 * 2 * Math.PI));
      if (random.nextDouble() < w) {
        return h;
      }
    }
  }

  private record Pending(Instant at, ObjectNode event) {}

  private void live() throws IOException, InterruptedException {
    PriorityQueue<Pending> due = new PriorityQueue<>(Comparator.comparing(Pending::at));
    while (running) {
      Instant now = clock.instant();
      int starts = poisson(LIVE_SESSIONS_PER_SECOND * 0.5);
      for (int i = 0; i < starts; i++) {
        for (ObjectNode e : events.session(now)) {
          due.add(new Pending(Instant.parse(e.get("event_time").asText()), e));
        }
      }
      List<ObjectNode> batch = new ArrayList<>();
      while (!due.isEmpty() && !due.peek().at().isAfter(now)) {
        batch.add(due.poll().event());
      }
      if (!batch.isEmpty()) {
        send(batch);
      }
      Thread.sleep(500);
    }
  }

  private int poisson(double mean) {
    int k = 0;
    double p = Math.exp(-mean);
    double s = p;
    double u = random.nextDouble();
    while (u > s) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  }

  private void send(List<ObjectNode> batch) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder(batch.size() * 250);
    for (ObjectNode e : batch) {
      body.append(random.nextDouble() < 0.005 ? events.malformed(e) : e).append('\n');
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    post(bytes);
    if (random.nextDouble() < 0.02) {
      post(bytes); // a client retry: every event comes back as a duplicate
    }
  }

  private void post(byte[] bytes) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(endpoint)
        .header(ServerContext.WRITE_KEY_HEADER, writeKey)
        .header("Content-Type", "application/x-ndjson")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
    for (int attempt = 0; running; attempt++) {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return;
      }
      if (r.statusCode() != 503 || attempt > 20) {
        LOG.warning("demo batch got " + r.statusCode() + ": " + r.body());
        return;
      }
      Thread.sleep(1000L * r.headers().firstValueAsLong("Retry-After").orElse(1));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
