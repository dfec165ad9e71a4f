package dev.loupe.sql.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsOverviewTest {

  @TempDir Path dir;

  static Event e(String id, String user, String time) {
    Instant t = Instant.parse("2026-11-25T" + time + ":00Z");
    return new Event(id, user, "click", t, "{}", t);
  }

  @Test
  void summarize_knownSessions_countsMeansAndDurationBuckets() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    TestLake.write(layout, List.of(
        // a: 10:00, 10:10, 10:40 (a gap of exactly 30 min does not split): one 40-minute session
        e("a1", "a", "10:00"), e("a2", "a", "10:10"), e("a3", "a", "10:40"),
        // b: one event, a 0-minute session
        e("b1", "b", "11:00"),
        // c: 10:00 and 10:31 (31 min apart): two 0-minute sessions
        e("c1", "c", "10:00"), e("c2", "c", "10:31"),
        // d: 10:00, 10:02: one 2-minute session
        e("d1", "d", "10:00"), e("d2", "d", "10:02"),
        // the next day: not counted
        new Event("x1", "a", "click", Instant.parse("2026-11-26T09:00:00Z"), "{}", Instant.parse("2026-11-26T09:00:00Z"))),
        "part-0.parquet");

    SessionsOverview.Summary s = SessionsOverview.of(layout).summarize(LocalDate.parse("2026-11-25"));

    assertThat(s.sessions()).isEqualTo(5);
    assertThat(s.meanDurationMin()).isCloseTo((40 + 0 + 0 + 0 + 2) / 5.0, within(1e-9));
    assertThat(s.meanEventsPerSession()).isCloseTo(8 / 5.0, within(1e-9));
    assertThat(s.durations()).extracting(SessionsOverview.Bucket::sessions).containsExactly(3L, 1L, 0L, 0L, 1L, 0L, 0L);
    assertThat(s.durations().get(6).upperMin()).isNull();
  }

  @Test
  void summarize_emptyLake_zeroSessions() {
    SessionsOverview.Summary s = SessionsOverview.of(LakeLayout.of(dir)).summarize(LocalDate.parse("2026-11-25"));
    assertThat(s.sessions()).isZero();
    assertThat(s.meanDurationMin()).isNaN();
    assertThat(s.durations()).hasSize(7).allMatch(b -> b.sessions() == 0);
  }
}
