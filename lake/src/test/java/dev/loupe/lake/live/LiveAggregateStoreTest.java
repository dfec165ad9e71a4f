package dev.loupe.lake.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveAggregateStoreTest {

  @TempDir Path dir;

  static final Instant FROM = LiveAggregatesTest.FROM;
  static final Instant TO = LiveAggregatesTest.TO;

  @Test
  void saveThenLoad_roundTripsEveryBucket() {
    LiveAggregates a = LiveAggregates.create();
    LiveAggregatesTest.stream(11, 5_000).forEach(a::accept);
    a.acceptRejected(LiveAggregatesTest.T0, "event_time: more than 1 day in the future");
    LiveAggregateStore store = LiveAggregateStore.of(dir);
    long first = Math.floorDiv(FROM.getEpochSecond(), 3600);
    store.save(a, LongStream.range(first, Math.floorDiv(TO.getEpochSecond(), 3600)).boxed().toList());

    LiveAggregates back = store.load(LocalDate.parse("2026-11-01"));
    assertThat(back.minutes(FROM, TO)).isEqualTo(a.minutes(FROM, TO));
    assertThat(back.ingestion(FROM, TO)).isEqualTo(a.ingestion(FROM, TO));
    assertThat(back.uniqueUsers(FROM, TO, null)).isEqualTo(a.uniqueUsers(FROM, TO, null));
    assertThat(store.loadDay(LocalDate.parse("2026-11-26")).minutes(FROM, TO))
        .isEqualTo(a.day(LocalDate.parse("2026-11-26")).minutes(FROM, TO));
  }

  @Test
  void loadDay_corruptFile_namesTheFile() throws Exception {
    LiveAggregates a = LiveAggregates.create();
    a.accept(new Event("e", "u", "click", LiveAggregatesTest.T0, "{}", LiveAggregatesTest.T0));
    LiveAggregateStore store = LiveAggregateStore.of(dir);
    long hour = LiveAggregatesTest.T0.getEpochSecond() / 3600;
    store.save(a, List.of(hour));
    Path f = store.file(hour);
    byte[] bytes = Files.readAllBytes(f);
    bytes[20] ^= 0x55;
    Files.write(f, bytes);

    assertThatThrownBy(() -> store.loadDay(LocalDate.parse("2026-11-26")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("live aggregate file " + f + " is corrupt: checksum mismatch");
  }

  @Test
  void load_corruptHour_isSetAsideAndTheRestLoads() throws Exception {
    LiveAggregates a = LiveAggregates.create();
    Instant t1 = LiveAggregatesTest.T0;
    Instant t2 = t1.plusSeconds(3_600);
    a.accept(new Event("e1", "u", "click", t1, "{}", t1));
    a.accept(new Event("e2", "u", "click", t2, "{}", t2));
    LiveAggregateStore store = LiveAggregateStore.of(dir);
    store.save(a, List.of(t1.getEpochSecond() / 3600, t2.getEpochSecond() / 3600));
    Path bad = store.file(t1.getEpochSecond() / 3600);
    Files.write(bad, new byte[] {1, 2, 3});

    LiveAggregates back = store.load(LocalDate.parse("2026-11-01"));

    assertThat(back.events(FROM, TO, null)).isEqualTo(1);
    assertThat(bad).doesNotExist();
    assertThat(bad.resolveSibling(bad.getFileName() + ".corrupt")).exists();
  }

  @Test
  void liveMetrics_reopened_continuesFromSavedCounts() {
    LakeLayout layout = LakeLayout.of(dir);
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    LiveMetrics.Config config = new LiveMetrics.Config(2, 10, Duration.ofSeconds(1));
    List<Event> events = LiveAggregatesTest.stream(5, 2_000).stream()
        .filter(e -> !e.eventTime().isBefore(Instant.parse("2026-11-25T00:00:00Z")))
        .filter(e -> e.eventTime().isBefore(Instant.parse("2026-11-26T12:00:00Z")))
        .toList();
    List<Event> first = events.subList(0, events.size() / 2);
    List<Event> second = events.subList(events.size() / 2, events.size());

    try (LiveMetrics m = LiveMetrics.open(layout, clock, config)) {
      m.accepted(first);
      m.rejected(clock.instant(), "user_id: must be a string");
    }
    LiveAggregates oneRun = LiveAggregates.create();
    events.forEach(oneRun::accept);
    oneRun.acceptRejected(clock.instant(), "user_id: must be a string");
    try (LiveMetrics m = LiveMetrics.open(layout, clock, config)) {
      m.accepted(second);
      List<MinuteCount> minutes = m.read(a -> a.minutes(FROM, TO));
      List<IngestMinute> ingestion = m.read(a -> a.ingestion(FROM, TO));
      assertThat(minutes).isEqualTo(oneRun.minutes(FROM, TO));
      assertThat(ingestion).isEqualTo(oneRun.ingestion(FROM, TO));
      assertThat(m.acceptedSinceStart()).isEqualTo(second.size());
    }
  }

  @Test
  void liveMetrics_pastRetention_evictsFromMemoryButKeepsOnDisk() {
    LakeLayout layout = LakeLayout.of(dir);
    Instant dayOne = Instant.parse("2026-11-20T08:00:00Z");
    LiveMetrics.Config config = new LiveMetrics.Config(1, 30, Duration.ofSeconds(1));
    try (LiveMetrics m = LiveMetrics.open(layout, Clock.fixed(dayOne, ZoneOffset.UTC), config)) {
      m.accepted(List.of(new Event("e1", "u1", "click", dayOne, "{}", dayOne)));
    }
    Instant later = Instant.parse("2026-11-23T08:00:00Z");
    try (LiveMetrics m = LiveMetrics.open(layout, Clock.fixed(later, ZoneOffset.UTC), config)) {
      long inMemory = m.read(a -> a.events(FROM, TO, null));
      assertThat(inMemory).isZero();
      assertThat(m.day(LocalDate.parse("2026-11-20")).events(FROM, TO, "click")).isEqualTo(1);
    }
  }

  @Test
  void liveMetrics_eventBeforeRetainedDays_mergedIntoItsHourFile() {
    LakeLayout layout = LakeLayout.of(dir);
    Instant oldDay = Instant.parse("2026-11-20T08:30:00Z");
    Instant now = Instant.parse("2026-11-26T08:00:00Z");
    LiveMetrics.Config config = new LiveMetrics.Config(1, 30, Duration.ofSeconds(1));
    try (LiveMetrics m = LiveMetrics.open(layout, Clock.fixed(oldDay, ZoneOffset.UTC), config)) {
      m.accepted(List.of(new Event("e1", "u1", "click", oldDay, "{}", oldDay)));
    }
    try (LiveMetrics m = LiveMetrics.open(layout, Clock.fixed(now, ZoneOffset.UTC), config)) {
      m.accepted(List.of(
          new Event("e2", "u2", "click", oldDay.plusSeconds(10), "{}", now),
          new Event("e3", "u3", "view", now, "{}", now)));
      m.persist();
      LiveAggregates day = m.day(LocalDate.parse("2026-11-20"));
      assertThat(day.events(FROM, TO, "click")).isEqualTo(2);
      assertThat(day.uniqueUsers(FROM, TO, null).estimate()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-6));
      long today = m.read(a -> a.events(FROM, TO, null));
      assertThat(today).isEqualTo(1);
      List<IngestMinute> ingestion = m.read(a -> a.ingestion(FROM, TO));
      assertThat(ingestion).extracting(IngestMinute::accepted).containsExactly(2L);
    }
  }

  @Test
  void config_badValues_areRefusedWithTheRule() {
    assertThatThrownBy(() -> new LiveMetrics.Config(0, 10, Duration.ofSeconds(1)))
        .hasMessage("retainDays must be at least 1 but was 0");
    assertThatThrownBy(() -> new LiveMetrics.Config(3, 2, Duration.ofSeconds(1)))
        .hasMessage("keepOnDiskDays must be at least retainDays (3) but was 2");
    assertThatThrownBy(() -> new LiveMetrics.Config(3, 3, Duration.ofMillis(5)))
        .hasMessage("persistInterval must be at least 100 ms but was PT0.005S");
  }
}
