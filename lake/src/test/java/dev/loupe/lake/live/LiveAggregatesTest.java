package dev.loupe.lake.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.events.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LiveAggregatesTest {

  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
  static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

  static Event event(String id, String user, String type, Instant time, Instant received) {
    return new Event(id, user, type, time, "{}", received);
  }

  /** A reproducible stream: users, types, event times within two days, some late and anonymous. */
  static List<Event> stream(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] types = {"page_view", "click", "purchase", "share"};
    List<Event> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant time = T0.plusSeconds(r.nextInt(2 * 86_400) - 86_400);
      Instant received = time.plusMillis(r.nextInt(10) == 0 ? r.nextInt(3_600_000) : r.nextInt(2_000));
      String user = r.nextInt(20) == 0 ? null : "u" + r.nextInt(Math.max(1, n / 3));
      events.add(event("e" + i, user, types[r.nextInt(types.length)], time, received));
    }
    return events;
  }

  @Test
  void accept_lateEvent_updatesItsEventTimeMinute() {
    LiveAggregates a = LiveAggregates.create();
    Instant now = Instant.parse("2026-11-26T10:05:30Z");
    a.accept(event("e1", "u1", "click", Instant.parse("2026-11-26T10:05:10Z"), now));
    a.accept(event("e2", "u2", "click", Instant.parse("2026-11-26T09:02:59Z"), now));

    assertThat(a.minutes(FROM, TO))
        .extracting(MinuteCount::minute, MinuteCount::events)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-26T09:02:00Z"), 1L),
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-26T10:05:00Z"), 1L));
    IngestMinute in = a.ingestion(FROM, TO).get(0);
    assertThat(in.minute()).isEqualTo(Instant.parse("2026-11-26T10:05:00Z"));
    assertThat(in.accepted()).isEqualTo(2);
    assertThat(in.lagMaxMillis()).isEqualTo((62 * 60 + 31) * 1000L);
    assertThat(in.meanLagMillis()).isEqualTo((20_000 + 3_751_000) / 2.0);
  }

  @Test
  void accept_anonymousEvent_countsEventButNoUser() {
    LiveAggregates a = LiveAggregates.create();
    a.accept(event("e1", null, "click", T0, T0));
    a.accept(event("e2", null, "click", T0, T0));
    a.accept(event("e3", "u1", "click", T0, T0));

    assertThat(a.events(FROM, TO, "click")).isEqualTo(3);
    assertThat(a.uniqueUsers(FROM, TO, null).estimate()).isEqualTo(1.0, within(1e-6));
  }

  @Test
  void uniqueUsers_emptyWindow_isZero() {
    LiveAggregates a = LiveAggregates.create();
    assertThat(a.uniqueUsers(FROM, TO, null)).isEqualTo(new UniqueEstimate(0, 0, 0));
    assertThat(a.minutes(FROM, TO)).isEmpty();
    assertThat(a.isEmpty()).isTrue();
  }

  @Test
  void uniqueUsers_dayMergedFromMinutes_withinStatedError() {
    // 200,000 events of 60,000 users spread over a day: the day's estimate is the union of
    // 1,440 minute sketches; the stated relative standard error is 1.62%, so allow 3 of them.
    SplittableRandom r = new SplittableRandom(7);
    LiveAggregates a = LiveAggregates.create();
    Set<String> exact = new HashSet<>();
    Instant day = Instant.parse("2026-11-25T00:00:00Z");
    for (int i = 0; i < 200_000; i++) {
      String user = "user-" + r.nextInt(60_000);
      exact.add(user);
      Instant t = day.plusSeconds(r.nextInt(86_400));
      a.accept(event("e" + i, user, "page_view", t, t));
    }
    UniqueEstimate est = a.uniqueUsers(day, day.plusSeconds(86_400), null);
    double relErr = Math.abs(est.estimate() - exact.size()) / exact.size();
    assertThat(relErr).isLessThan(3 * LiveAggregates.RELATIVE_STANDARD_ERROR);
    assertThat((double) exact.size()).isBetween(est.lowerBound() * 0.99, est.upperBound() * 1.01);
    assertThat(a.events(day, day.plusSeconds(86_400), null)).isEqualTo(200_000);
  }

  @Test
  void relativeStandardError_matchesDataSketches() {
    assertThat(org.apache.datasketches.hll.HllSketch.getRelErr(true, true, LiveAggregates.LG_K, 1))
        .isCloseTo(LiveAggregates.RELATIVE_STANDARD_ERROR, within(0.0001));
  }

  @Property(tries = 40)
  void combine_anySplit_equalsOnePass(
      @ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 0, max = 3_000) int n,
      @ForAll @IntRange(min = 1, max = 5) int parts) {
    List<Event> events = stream(seed, n);
    LiveAggregates one = LiveAggregates.create();
    events.forEach(one::accept);
    rejectSome(one, seed, 0, n);

    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<LiveAggregates> pieces = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      pieces.add(LiveAggregates.create());
    }
    for (Event e : events) {
      pieces.get(r.nextInt(parts)).accept(e);
    }
    rejectSome(pieces.get(parts - 1), seed, 0, n);
    LiveAggregates merged = LiveAggregates.create();
    for (LiveAggregates p : pieces) {
      merged.combine(p);
    }

    assertThat(merged.minutes(FROM, TO)).isEqualTo(one.minutes(FROM, TO));
    assertThat(merged.ingestion(FROM, TO)).isEqualTo(one.ingestion(FROM, TO));
    assertThat(merged.uniqueUsers(FROM, TO, null)).isEqualTo(one.uniqueUsers(FROM, TO, null));
    assertThat(merged.uniqueUsers(FROM, TO, "click")).isEqualTo(one.uniqueUsers(FROM, TO, "click"));
  }

  @Property(tries = 30)
  void uniqueUsers_hourCache_equalsUncachedAfterLateEvents(
      @ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 0, max = 48 * 60) int fromMinute,
      @ForAll @IntRange(min = 1, max = 48 * 60) int length) {
    LiveAggregates a = LiveAggregates.create();
    List<Event> events = stream(seed, 2_000);
    events.subList(0, 1_500).forEach(a::accept);
    Instant from = T0.minusSeconds(86_400).plusSeconds(fromMinute * 60L + (seed % 2 == 0 ? 0 : 17));
    Instant to = from.plusSeconds(length * 60L);
    for (String type : new String[] {null, "click"}) {
      assertThat(a.uniqueUsers(from, to, type)).isEqualTo(a.uniqueUsersUncached(from, to, type));
    }
    events.subList(1_500, 2_000).forEach(a::accept); // lands in hours already cached
    for (String type : new String[] {null, "click", "share"}) {
      assertThat(a.uniqueUsers(from, to, type)).isEqualTo(a.uniqueUsersUncached(from, to, type));
      assertThat(a.uniqueUsers(FROM, TO, type)).isEqualTo(a.uniqueUsersUncached(FROM, TO, type));
    }
  }

  private static void rejectSome(LiveAggregates a, long seed, int from, int n) {
    SplittableRandom r = new SplittableRandom(seed + 1);
    for (int i = from; i < n / 10; i++) {
      a.acceptRejected(T0.plusSeconds(r.nextInt(600)), "event_type: missing");
    }
  }

  @Test
  void combine_emptyIsIdentity() {
    LiveAggregates a = LiveAggregates.create();
    stream(3, 500).forEach(a::accept);
    List<MinuteCount> before = a.minutes(FROM, TO);
    a.combine(LiveAggregates.create());
    assertThat(a.minutes(FROM, TO)).isEqualTo(before);
  }

  @Test
  void combine_withItself_isRefused() {
    LiveAggregates a = LiveAggregates.create();
    assertThatThrownBy(() -> a.combine(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine an aggregate with itself");
  }

  @Test
  void evictBefore_dropsOldDaysAndSetsLaterArrivalsAside() {
    LiveAggregates a = LiveAggregates.create();
    Instant old = Instant.parse("2026-11-24T23:59:59Z");
    a.accept(event("e1", "u1", "click", old, T0));
    a.accept(event("e2", "u1", "click", T0, T0));
    a.evictBefore(LocalDate.parse("2026-11-25"));

    assertThat(a.events(FROM, TO, null)).isEqualTo(1);
    assertThat(a.horizon()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    a.accept(event("e3", "u2", "click", old, T0));
    assertThat(a.events(FROM, TO, null)).isEqualTo(1);
    assertThat(a.pendingLate()).isEqualTo(1);
    assertThat(a.days()).containsExactly(LocalDate.parse("2026-11-26"));

    LiveAggregates late = a.drainLate();
    assertThat(late.minutes(FROM, TO))
        .containsExactly(new MinuteCount(Instant.parse("2026-11-24T23:59:00Z"), "click", 1, late.minutes(FROM, TO).get(0).uniqueUsers()));
    assertThat(late.uniqueUsers(FROM, TO, null).estimate()).isCloseTo(1.0, within(1e-6));
    assertThat(a.pendingLate()).isZero();
    assertThat(a.drainLate().isEmpty()).isTrue();
  }

  @Test
  void replaceHour_rebuiltFromOtherEvents_replacesOnlyThatHoursBuckets() {
    LiveAggregates a = LiveAggregates.create();
    Instant h10 = Instant.parse("2026-11-26T10:15:00Z");
    Instant h11 = Instant.parse("2026-11-26T11:15:00Z");
    a.accept(event("e1", "u1", "click", h10, h10));
    a.accept(event("e2", "u2", "click", h11, h11));
    LiveAggregates truth = LiveAggregates.create();
    truth.accept(event("e1", "u1", "click", h10, h10));
    truth.accept(event("e3", "u3", "view", h10.plusSeconds(60), h10));

    a.uniqueUsers(FROM, TO, null); // fills the hour cache, which the replacement must drop
    a.replaceHour(h10.getEpochSecond() / 3600, truth);

    assertThat(a.hourlyCounts(FROM, TO)).isEqualTo(java.util.Map.of(
        h10.getEpochSecond() / 3600, java.util.Map.of("click", 1L, "view", 1L),
        h11.getEpochSecond() / 3600, java.util.Map.of("click", 1L)));
    assertThat(a.uniqueUsers(FROM, TO, null).estimate()).isCloseTo(3.0, within(1e-6));
    assertThat(a.ingestion(FROM, TO)).extracting(IngestMinute::accepted).containsExactly(1L, 1L);
  }

  @Test
  void acceptRejected_manyDistinctReasons_boundedPerMinute() {
    LiveAggregates a = LiveAggregates.create();
    for (int i = 0; i < 80; i++) {
      a.acceptRejected(T0, "user_id: value " + i + " is not a string");
    }
    a.acceptRejected(T0, null);
    IngestMinute in = a.ingestion(FROM, TO).get(0);
    assertThat(in.rejected()).isEqualTo(81);
    assertThat(in.rejectedByReason()).hasSize(LiveAggregates.MAX_REASONS_PER_MINUTE + 1);
    assertThat(in.rejectedByReason().get(LiveAggregates.OTHER_REASONS)).isEqualTo(31);
    assertThat(in.rejectionRate()).isEqualTo(1.0);
  }

  @Test
  void minutes_windowBoundaries_includeStartExcludeEnd() {
    LiveAggregates a = LiveAggregates.create();
    a.accept(event("e1", "u1", "click", Instant.parse("2026-11-26T10:00:00Z"), T0));
    a.accept(event("e2", "u1", "click", Instant.parse("2026-11-26T10:01:59Z"), T0));
    assertThat(a.events(Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:01:00Z"), null)).isEqualTo(1);
    assertThat(a.events(Instant.parse("2026-11-26T10:01:00Z"), Instant.parse("2026-11-26T10:02:00Z"), null)).isEqualTo(1);
    assertThat(a.events(Instant.parse("2026-11-26T10:00:01Z"), Instant.parse("2026-11-26T10:02:00Z"), null)).isEqualTo(1);
  }
}
