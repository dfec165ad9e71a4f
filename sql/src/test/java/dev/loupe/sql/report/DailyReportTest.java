package dev.loupe.sql.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.live.LiveAggregates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class DailyReportTest {

  @TempDir Path dir;

  static final LocalDate DAY = LocalDate.parse("2026-11-25");
  static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase"};
  static final String[] PLATFORMS = {"ios", "android", "web"};

  /**
   * 30,000 events of 12,000 users over two days; each user keeps one platform (some users send
   * no platform, some events are anonymous), so per event type the segments partition the users.
   */
  public static List<Event> events(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Event> out = new ArrayList<>();
    Instant start = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int i = 0; i < 30_000; i++) {
      int user = r.nextInt(12_000);
      boolean anonymous = r.nextInt(50) == 0;
      String props =
          user % 10 == 0 ? "{\"country\":\"DE\"}"
              : "{\"platform\":\"" + PLATFORMS[user % 3] + "\",\"country\":\"" + (user % 2 == 0 ? "US" : "FR") + "\"}";
      Instant t = start.plusSeconds(r.nextInt(2 * 86_400));
      out.add(new Event("e" + i, anonymous ? null : "user-" + user, TYPES[r.nextInt(TYPES.length)], t, props, t.plusMillis(r.nextInt(5_000))));
    }
    return out;
  }

  @Test
  void compute_equalsLiveMinuteBucketsAndHllWithinStatedError() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    List<Event> events = events(42);
    TestLake.write(layout, events, "part-0.parquet");
    LiveAggregates live = LiveAggregates.create();
    events.forEach(live::accept);

    List<DailyReportRow> rows = DailyReport.of(layout).compute(DAY);

    Instant from = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = from.plus(Duration.ofDays(1));
    assertThat(rows).isNotEmpty().allMatch(r -> r.metricDate().equals(DAY));
    for (String type : TYPES) {
      long reportEvents = rows.stream().filter(r -> r.eventType().equals(type)).mapToLong(DailyReportRow::totalEvents).sum();
      long reportUsers = rows.stream().filter(r -> r.eventType().equals(type)).mapToLong(DailyReportRow::uniqueUsers).sum();
      assertThat(reportEvents).as("events of %s", type).isEqualTo(live.events(from, to, type));
      double hll = live.uniqueUsers(from, to, type).estimate();
      assertThat(Math.abs(hll - reportUsers) / reportUsers)
          .as("HLL %s vs exact %s for %s", hll, reportUsers, type)
          .isLessThan(3 * LiveAggregates.RELATIVE_STANDARD_ERROR);
    }
  }

  @Test
  void compute_equalsCountsComputedInJava() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    List<Event> events = events(7);
    TestLake.write(layout, events, "part-0.parquet");

    Map<List<String>, Long> total = new HashMap<>();
    Map<List<String>, Set<String>> users = new HashMap<>();
    for (Event e : events) {
      if (!e.eventTime().atZone(ZoneOffset.UTC).toLocalDate().equals(DAY)) {
        continue;
      }
      String country = e.properties().contains("\"country\":\"DE\"") ? "DE" : e.properties().contains("\"US\"") ? "US" : "FR";
      List<String> key = List.of(country, e.eventType());
      total.merge(key, 1L, Long::sum);
      Set<String> u = users.computeIfAbsent(key, k -> new HashSet<>());
      if (e.userId() != null) {
        u.add(e.userId());
      }
    }

    List<DailyReportRow> rows = DailyReport.of(layout).withSegmentProperty("country").compute(DAY);

    assertThat(rows).hasSize(total.size());
    for (DailyReportRow r : rows) {
      List<String> key = List.of(r.userSegment(), r.eventType());
      assertThat(r.totalEvents()).as("events %s", key).isEqualTo(total.get(key));
      assertThat(r.uniqueUsers()).as("users %s", key).isEqualTo(users.get(key).size());
    }
  }

  @Test
  void compute_absentProperty_isUnknown() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    TestLake.write(layout, events(1), "part-0.parquet");
    List<DailyReportRow> rows = DailyReport.of(layout).compute(DAY);
    assertThat(rows).extracting(DailyReportRow::userSegment).containsOnly("android", "ios", "web", "unknown");
    assertThat(DailyReport.of(layout).withSegmentProperty("plan").compute(DAY))
        .extracting(DailyReportRow::userSegment)
        .containsOnly("unknown");
  }

  @Test
  void write_thenReadAndQueryWithView_sameRows() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    TestLake.write(layout, events(3), "part-0.parquet");
    DailyReport report = DailyReport.of(layout);

    List<DailyReportRow> written = report.write(DAY);

    assertThat(written).isEqualTo(report.compute(DAY));
    assertThat(report.read(DAY)).contains(written);
    assertThat(report.reportDates()).containsExactly(DAY);
    assertThat(Files.list(layout.dailyReports().resolve("metric_date=" + DAY)))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("report.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT sum(total_events), count(*), min(metric_date) FROM (" + DailyReport.viewSql(layout) + ")")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(written.stream().mapToLong(DailyReportRow::totalEvents).sum());
      assertThat(rs.getLong(2)).isEqualTo(written.size());
      assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(DAY);
    }
    try (dev.loupe.sql.SqlSandbox sandbox = dev.loupe.sql.SqlSandbox.open(layout)) {
      dev.loupe.sql.QueryResult r = sandbox.query("SELECT sum(total_events), count(*) FROM daily_reports");
      assertThat(((Number) r.rows().get(0).get(0)).longValue()).isEqualTo(written.stream().mapToLong(DailyReportRow::totalEvents).sum());
      assertThat(((Number) r.rows().get(0).get(1)).longValue()).isEqualTo(written.size());
    }
  }

  @Test
  void write_dayWithoutEvents_writesEmptyReport() {
    DailyReport report = DailyReport.of(LakeLayout.of(dir));
    assertThat(report.read(DAY)).isEmpty();
    assertThat(report.write(DAY)).isEmpty();
    assertThat(report.read(DAY)).contains(List.of());
  }

  @Test
  void withSegmentProperty_badName_namesTheRule() {
    DailyReport report = DailyReport.of(LakeLayout.of(dir));
    assertThatThrownBy(() -> report.withSegmentProperty("x') OR 1=1 --"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment property must be 1-64 letters, digits, '_' or '-' starting with a letter or '_' but was 'x') OR 1=1 --'");
    assertThatThrownBy(() -> report.withSegmentProperty(""))
        .hasMessageEndingWith("but was ''");
    // a long value is shown cut, with its length
    assertThatThrownBy(() -> report.withSegmentProperty("a".repeat(5000)))
        .hasMessageEndingWith("but was '" + "a".repeat(80) + "…' (5000 characters)");
  }

  @Test
  void scheduler_writesClosedDaysOnlyAndRewritesAfterLateEvents() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    List<Event> events = events(9);
    TestLake.write(layout, events, "part-0.parquet");
    DailyReport report = DailyReport.of(layout);
    DailyReportScheduler scheduler = DailyReportScheduler.of(report, Duration.ofMinutes(10));
    LocalDate next = DAY.plusDays(1);

    Instant justAfterMidnight = next.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60);
    assertThat(scheduler.runOnce(justAfterMidnight)).isEmpty();
    Instant afterGrace = next.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(11));
    assertThat(scheduler.runOnce(afterGrace)).containsExactly(DAY);
    assertThat(scheduler.runOnce(afterGrace)).isEmpty();

    // A late event lands in the closed day's partition: the report is due again.
    Instant late = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
    Path reportFile = layout.dailyReports().resolve("metric_date=" + DAY).resolve("report.parquet");
    Files.setLastModifiedTime(reportFile, FileTime.from(Instant.now().minusSeconds(60)));
    TestLake.write(layout, List.of(new Event("late-1", "late-user", "click", late, "{}", afterGrace)), "part-1.parquet");
    assertThat(scheduler.runOnce(afterGrace)).containsExactly(DAY);
    long total = report.read(DAY).orElseThrow().stream().mapToLong(DailyReportRow::totalEvents).sum();
    long expected = events.stream().filter(e -> e.eventTime().atZone(ZoneOffset.UTC).toLocalDate().equals(DAY)).count() + 1;
    assertThat(total).isEqualTo(expected);
  }
}
