package dev.loupe.server.dashboard;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.Rejection;
import dev.loupe.lake.CalendarDay;
import dev.loupe.lake.IngestedBatch;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.lake.live.LiveAggregates;
import dev.loupe.lake.live.LiveMetrics;
import dev.loupe.lake.live.UniqueEstimate;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.RouteModule;
import dev.loupe.server.ServerContext;
import dev.loupe.sql.report.DailyReport;
import dev.loupe.sql.report.DailyReportRow;
import dev.loupe.sql.report.DailyReportScheduler;
import dev.loupe.sql.report.SessionsOverview;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The web dashboard and the API behind it (documented in {@code /openapi.json}); its SQL console
 * calls {@code POST /v1/query} of {@link dev.loupe.server.QueryRoutes}, which a server with the
 * dashboard must also register.
 *
 * <ul>
 *   <li>{@code GET /} and {@code /dashboard/}: the single-page dashboard (overview, daily report,
 *       SQL console), its assets, and Chart.js served from its WebJar;
 *   <li>{@code GET /v1/metrics/live?minutes=60}: live aggregates (read key);
 *   <li>{@code GET /v1/reports/daily?date=D[&segment_property=P]}: the day's report, written or
 *       computed now (read key); {@code POST} writes it now; {@code GET
 *       /v1/reports/daily/dates} lists the days with events or reports;
 *   <li>{@code GET /v1/sessions/summary?date=D}: sessions that start on a day, with a duration
 *       distribution (read key);
 *   <li>{@code GET /v1/dashboard/config}: what the page needs before its first call.
 * </ul>
 *
 * <p>On {@link #register} it opens the live aggregates of the data directory (continuing from
 * what was saved, and rebuilding from the lake any hour whose counts differ from it, see {@link
 * LiveReconciler}), listens to every durably accepted batch, and starts the daily-report scheduler
 * (checks every minute; writes a UTC day's report {@link Settings#reportGrace()} after midnight,
 * and again when late events change the day). {@link #close()} saves the aggregates.
 */
public final class DashboardRoutes implements RouteModule, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DashboardRoutes.class.getName());
  private static final Pattern ASSET = Pattern.compile("[a-z0-9_-]+\\.(html|js|css|svg)");
  private static final String RESOURCES = "/dev/loupe/server/dashboard/";

  /**
   * Settings.
   *
   * @param live live-aggregate retention and persistence
   * @param segmentProperty event property that defines the report's user_segment
   * @param reportGrace time after midnight UTC before a day's report is written (flush lag)
   * @param reportCheckInterval how often the scheduler looks for due reports
   */
  public record Settings(
      LiveMetrics.Config live, String segmentProperty, Duration reportGrace, Duration reportCheckInterval) {
    public Settings {
      Objects.requireNonNull(live, "live");
      Objects.requireNonNull(segmentProperty, "segmentProperty");
      if (reportGrace.isNegative()) {
        throw new IllegalArgumentException("reportGrace must not be negative but was " + reportGrace);
      }
      if (reportCheckInterval.toMillis() < 100) {
        throw new IllegalArgumentException("reportCheckInterval must be at least 100 ms but was " + reportCheckInterval);
      }
    }

    public static Settings withDefaults() {
      return new Settings(LiveMetrics.Config.withDefaults(), DailyReport.DEFAULT_SEGMENT_PROPERTY, Duration.ofMinutes(5), Duration.ofMinutes(1));
    }
  }

  private final Settings settings;
  private final ObjectMapper json = new ObjectMapper();
  private volatile LiveMetrics live;
  private volatile DailyReport report;
  private volatile ServerContext context;
  private ScheduledExecutorService scheduler;

  private DashboardRoutes(Settings settings) {
    this.settings = settings;
  }

  public static DashboardRoutes withDefaults() {
    return new DashboardRoutes(Settings.withDefaults());
  }

  public static DashboardRoutes create(Settings settings) {
    return new DashboardRoutes(Objects.requireNonNull(settings, "settings"));
  }

  /** The live aggregates (after {@link #register}). */
  public LiveMetrics live() {
    return Objects.requireNonNull(live, "not registered yet");
  }

  @Override
  public synchronized void register(RoutesConfig routes, ServerContext ctx) {
    if (live != null) {
      throw new IllegalStateException("a DashboardRoutes instance can be registered once");
    }
    context = ctx;
    report = DailyReport.of(ctx.layout()).withSegmentProperty(settings.segmentProperty());
    live = LiveMetrics.open(ctx.layout(), ctx.clock(), settings.live());
    try {
      // Nothing is accepted before the server starts: bring the replayed log into the lake, then
      // make the live counts agree with it (they may miss the last seconds after a hard kill).
      ctx.ingest().flush();
      // On the lake's maintenance thread: a compaction meanwhile could show a partition's rows twice.
      LiveMetrics m = live;
      List<Long> rebuilt = ctx.ingest().readWhileMaintenancePaused(() -> LiveReconciler.reconcile(ctx.layout(), m));
      if (!rebuilt.isEmpty()) {
        LOG.info("live aggregates: rebuilt " + rebuilt.size() + " hour(s) from the lake");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "live aggregates could not be checked against the lake; continuing with the saved ones", e);
    }
    live.start();
    ctx.ingest().addListener(this::onBatch);
    startReportScheduler(ctx);

    routes.get("/", c -> c.redirect("/dashboard/"));
    routes.get("/dashboard", c -> asset(c, "index.html")); // Javalin ignores a trailing slash
    routes.get("/dashboard/{file}", c -> asset(c, c.pathParam("file")));
    routes.get("/webjars/chart.js/{file}", this::chartJs);
    routes.get("/openapi.json", c -> resource(c, RESOURCES + "openapi.json", "application/json"));

    routes.get("/v1/dashboard/config", this::config);
    routes.get("/v1/metrics/live", this::liveMetrics);
    routes.get("/v1/reports/daily", this::getDailyReport);
    routes.post("/v1/reports/daily", this::writeDailyReport);
    routes.get("/v1/reports/daily/dates", this::reportDates);
    routes.get("/v1/sessions/summary", this::sessionsSummary);
  }

  /** Counts a durably accepted batch; rejected events are counted with their reasons. */
  void onBatch(IngestedBatch batch) {
    LiveMetrics m = live;
    m.accepted(batch.accepted());
    for (Rejection r : batch.rejections()) {
      m.rejected(batch.receivedAt(), r.reason());
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    if (live != null) {
      live.close();
    }
  }

  // ---- API

  private void config(Context c) {
    ObjectNode o = json.createObjectNode();
    LoupeConfig cfg = context.config();
    // The development key is public (it is in the source); the page may use it without asking.
    if (LoupeConfig.DEFAULT_READ_KEY.equals(cfg.readKey())) {
      o.put("dev_read_key", cfg.readKey());
    } else {
      o.putNull("dev_read_key");
    }
    o.put("read_key_header", ServerContext.READ_KEY_HEADER);
    o.put("segment_property", settings.segmentProperty());
    o.put("hll_relative_standard_error", LiveAggregates.RELATIVE_STANDARD_ERROR);
    o.put("sessions_available", true);
    LoupeServer.json(c, 200, o);
  }

  private void liveMetrics(Context c) {
    context.requireReadKey(c);
    int minutes = LiveView.parseMinutes(c.queryParam("minutes"));
    c.header("Cache-Control", "no-store");
    LoupeServer.json(c, 200, LiveView.build(json, live, minutes, context.ingest().ingestionLag()));
  }

  private void getDailyReport(Context c) {
    context.requireReadKey(c);
    LocalDate day = parseDate(c.queryParam("date"));
    DailyReport r = segmentReport(c.queryParam("segment_property"));
    boolean standard = r.segmentProperty().equals(report.segmentProperty());
    Optional<List<DailyReportRow>> written = standard ? r.read(day) : Optional.empty();
    List<DailyReportRow> rows;
    String status;
    if (written.isPresent()) {
      rows = written.get();
      status = "written";
    } else {
      rows = r.compute(day);
      status = rows.isEmpty() ? "no_data" : "computed";
    }
    LoupeServer.json(c, 200, reportBody(day, r, rows, status, standard ? r.writtenAt(day) : Optional.empty()));
  }

  private void writeDailyReport(Context c) {
    context.requireReadKey(c);
    LocalDate day = parseDate(c.queryParam("date"));
    LocalDate today = context.clock().instant().atZone(ZoneOffset.UTC).toLocalDate();
    if (!day.isBefore(today)) {
      throw new IllegalArgumentException("date must be a closed UTC day, before " + today + ", but was " + day);
    }
    if (c.queryParam("segment_property") != null && !c.queryParam("segment_property").equals(report.segmentProperty())) {
      throw new IllegalArgumentException(
          "segment_property of a written report is the server's (" + report.segmentProperty() + ") but was '" + c.queryParam("segment_property") + "'");
    }
    List<DailyReportRow> rows = context.ingest().readWhileMaintenancePaused(() -> report.write(day));
    LoupeServer.json(c, 200, reportBody(day, report, rows, "written", report.writtenAt(day)));
  }

  private void sessionsSummary(Context c) {
    context.requireReadKey(c);
    LocalDate day = parseDate(c.queryParam("date"));
    SessionsOverview.Summary s = SessionsOverview.of(context.layout()).summarize(day);
    ObjectNode o = json.createObjectNode();
    o.put("date", day.toString());
    o.put("gap_minutes", 30);
    o.put("sessions", s.sessions());
    putNumber(o, "mean_duration_min", s.meanDurationMin());
    putNumber(o, "mean_events_per_session", s.meanEventsPerSession());
    ArrayNode buckets = o.putArray("duration_buckets");
    for (SessionsOverview.Bucket b : s.durations()) {
      ObjectNode x = buckets.addObject().put("lower_min", b.lowerMin());
      if (b.upperMin() == null) {
        x.putNull("upper_min");
      } else {
        x.put("upper_min", b.upperMin());
      }
      x.put("sessions", b.sessions());
    }
    LoupeServer.json(c, 200, o);
  }

  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  private void reportDates(Context c) {
    context.requireReadKey(c);
    TreeSet<LocalDate> lake = new TreeSet<>(report.lakeDates());
    TreeSet<LocalDate> written = new TreeSet<>(report.reportDates());
    TreeSet<LocalDate> all = new TreeSet<>(lake);
    all.addAll(written);
    ObjectNode o = json.createObjectNode();
    ArrayNode dates = o.putArray("dates");
    for (LocalDate d : all.descendingSet()) {
      dates.addObject().put("date", d.toString()).put("in_lake", lake.contains(d)).put("report_written", written.contains(d));
    }
    LoupeServer.json(c, 200, o);
  }

  // ---- helpers

  private ObjectNode reportBody(LocalDate day, DailyReport r, List<DailyReportRow> rows, String status, Optional<Instant> writtenAt) {
    ObjectNode o = json.createObjectNode();
    o.put("date", day.toString());
    o.put("segment_property", r.segmentProperty());
    o.put("status", status);
    if (writtenAt.isPresent()) {
      o.put("written_at", writtenAt.get().toString());
    } else {
      o.putNull("written_at");
    }
    LocalDate today = context.clock().instant().atZone(ZoneOffset.UTC).toLocalDate();
    o.put("closed", day.isBefore(today));
    ArrayNode arr = o.putArray("rows");
    long total = 0;
    for (DailyReportRow row : rows) {
      total += row.totalEvents();
      arr.addObject()
          .put("metric_date", row.metricDate().toString())
          .put("user_segment", row.userSegment())
          .put("event_type", row.eventType())
          .put("total_events", row.totalEvents())
          .put("unique_users", row.uniqueUsers());
    }
    o.putObject("totals").put("events", total);

    Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = from.plus(Duration.ofDays(1));
    LiveAggregates dayLive = live.day(day);
    ObjectNode l = o.putObject("live");
    l.put("events", dayLive.events(from, to, null));
    l.put("unique_users", dayLive.uniqueUsers(from, to, null).estimate());
    ArrayNode byType = l.putArray("by_event_type");
    Map<String, Long> reportByType = new TreeMap<>();
    rows.forEach(row -> reportByType.merge(row.eventType(), row.totalEvents(), Long::sum));
    TreeSet<String> types = new TreeSet<>(dayLive.eventTypes());
    types.addAll(reportByType.keySet());
    for (String t : types) {
      UniqueEstimate u = dayLive.uniqueUsers(from, to, t);
      byType.addObject()
          .put("event_type", t)
          .put("events", dayLive.events(from, to, t))
          .put("report_events", reportByType.getOrDefault(t, 0L))
          .put("unique_users", u.estimate());
    }
    return o;
  }

  private DailyReport segmentReport(String property) {
    return property == null || property.isBlank() ? report : report.withSegmentProperty(property);
  }

  static LocalDate parseDate(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("date is required: give ?date=YYYY-MM-DD");
    }
    try {
      return CalendarDay.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("date " + e.getMessage(), e);
    }
  }

  private void startReportScheduler(ServerContext ctx) {
    DailyReportScheduler s = DailyReportScheduler.of(report, settings.reportGrace());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "loupe-daily-reports");
              t.setDaemon(true);
              return t;
            });
    long ms = settings.reportCheckInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            // Reports are written once and kept: each is computed while no compaction changes the
            // files, one day per pause so that a catch-up of many days does not hold up flushing.
            for (LocalDate d : s.dueDays(ctx.clock().instant())) {
              ctx.ingest().readWhileMaintenancePaused(() -> report.write(d));
              LOG.info("daily report written for " + d);
            }
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "writing daily reports failed (will retry)", e);
          }
        },
        Math.min(ms, 5_000),
        ms,
        TimeUnit.MILLISECONDS);
  }

  private static void asset(Context c, String file) {
    if (!ASSET.matcher(file).matches()) {
      c.status(404).result("not found");
      return;
    }
    String type =
        switch (file.substring(file.lastIndexOf('.') + 1)) {
          case "html" -> "text/html; charset=utf-8";
          case "js" -> "text/javascript; charset=utf-8";
          case "css" -> "text/css; charset=utf-8";
          default -> "image/svg+xml";
        };
    resource(c, RESOURCES + file, type);
  }

  private void chartJs(Context c) {
    String file = c.pathParam("file");
    if (!file.equals("chart.umd.min.js") && !file.equals("chart.umd.js")) {
      c.status(404).result("not found");
      return;
    }
    c.header("Cache-Control", "public, max-age=86400");
    resource(c, "/META-INF/resources/webjars/chart.js/" + ChartJs.VERSION + "/dist/" + file, "text/javascript; charset=utf-8");
  }

  private static void resource(Context c, String path, String type) {
    InputStream in = DashboardRoutes.class.getResourceAsStream(path);
    if (in == null) {
      c.status(404).result("not found");
      return;
    }
    c.contentType(type).result(in);
  }

  /** The Chart.js version of the WebJar on the class path. */
  static final class ChartJs {
    static final String VERSION = version();

    private static String version() {
      try (InputStream in = DashboardRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
        Properties p = new Properties();
        if (in != null) {
          p.load(in);
        }
        return p.getProperty("version", "4.5.1");
      } catch (IOException e) {
        return "4.5.1";
      }
    }
  }
}
