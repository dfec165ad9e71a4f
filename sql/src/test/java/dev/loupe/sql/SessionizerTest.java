package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionizerTest {

  private static final long MIN = 60_000_000L;

  @Test
  void accept_exactGapContinuesOneMicrosecondMoreSplits() {
    List<Session> out = new ArrayList<>();
    Sessionizer s = new Sessionizer(1800, out::add);
    s.accept("u", 0, "a");
    s.accept("u", 30 * MIN, "b");
    s.accept("u", 60 * MIN + 1, "c");
    s.accept("v", 60 * MIN + 1, "d");
    s.finish();
    assertThat(out).extracting(Session::userId, Session::sessionNum, Session::events, Session::eventSequence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("u", 1L, 2L, List.of("a", "b")),
            org.assertj.core.groups.Tuple.tuple("u", 2L, 1L, List.of("c")),
            org.assertj.core.groups.Tuple.tuple("v", 1L, 1L, List.of("d")));
    assertThat(out.get(0).durationMin()).isEqualTo(30.0);
  }

  @Test
  void accept_timeGoingBackNamesUserAndTimes() {
    Sessionizer s = new Sessionizer(1800, x -> { });
    s.accept("u7", 5, "a");
    assertThatThrownBy(() -> s.accept("u7", 4, "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event_time of user u7 must not decrease in the stream, but 4 µs follows 5 µs");
  }

  @Test
  void new_zeroGapIsRefused() {
    assertThatThrownBy(() -> new Sessionizer(0, x -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gap must be more than 0 seconds but was 0");
  }
}
