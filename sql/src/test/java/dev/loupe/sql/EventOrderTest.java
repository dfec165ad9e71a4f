package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link EventOrder} against a plain comparator sort, with narrow and very wide time spans. */
class EventOrderTest {

  record Ev(int user, long time, int type) {}

  @Provide
  Arbitrary<List<Ev>> events() {
    Arbitrary<Long> narrow = Arbitraries.longs().between(1_700_000_000_000_000L, 1_700_000_000_000_010L);
    Arbitrary<Long> wide = Arbitraries.longs().between(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, narrow), net.jqwik.api.Tuple.of(1, wide)),
            Arbitraries.integers().between(0, 2))
        .as(Ev::new)
        .list()
        .ofMaxSize(50);
  }

  @Property(tries = 200)
  void sort_ordersByUserThenTimeThenType(@ForAll("events") List<Ev> events) {
    int n = events.size();
    int[] users = new int[n];
    long[] times = new long[n];
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      users[i] = events.get(i).user();
      times[i] = events.get(i).time();
      types[i] = events.get(i).type();
    }
    EventOrder.Sorted s = EventOrder.sort(users, times, types, n, 5, 3);
    List<Ev> got = new ArrayList<>();
    boolean ties = false;
    for (int i = 0; i < n; i++) {
      got.add(new Ev(s.users()[i], s.times()[i], s.types()[i]));
      ties |= i > 0 && s.users()[i] == s.users()[i - 1] && s.times()[i] == s.times()[i - 1];
    }
    List<Ev> expected = new ArrayList<>(events);
    expected.sort(Comparator.comparingInt(Ev::user).thenComparingLong(Ev::time).thenComparingInt(Ev::type));
    assertThat(got).isEqualTo(expected);
    assertThat(s.hasTies()).isEqualTo(ties);
  }
}
