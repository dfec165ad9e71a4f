package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedOrder} against a plain comparator sort: keys that share a bucket (small keys all land
 * in the first one) and keys spread over the whole 63 bits, narrow and wide time spans, ties, with
 * one to three threads distributing the events, from one array or from chunks.
 */
class KeyedOrderTest {

  record Ev(long key, long time, int type) {}

  @Provide
  Arbitrary<List<Ev>> events() {
    Arbitrary<Long> narrow = Arbitraries.longs().between(1_700_000_000_000_000L, 1_700_000_000_000_010L);
    Arbitrary<Long> wide = Arbitraries.longs().between(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
    Arbitrary<Long> smallKey = Arbitraries.longs().between(0, 6);
    Arbitrary<Long> bigKey = Arbitraries.of(0L, 1L << 40, 1L << 61, (1L << 61) + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1);
    return Combinators.combine(
            Arbitraries.oneOf(smallKey, bigKey),
            Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, narrow), net.jqwik.api.Tuple.of(1, wide)),
            Arbitraries.integers().between(0, 2))
        .as(Ev::new)
        .list()
        .ofMaxSize(80);
  }

  @Property(tries = 300)
  void sortPacked_ordersByKeyThenValue(
      @ForAll("events") List<Ev> events,
      @ForAll @IntRange(min = 0, max = 100) int keyCount,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll @IntRange(min = 0, max = 9) int chunkSize) {
    // the value packs the time (narrow times only: wide ones would not fit beside the type) and the type
    int n = events.size();
    long[] keys = new long[n];
    long[] values = new long[n];
    List<Ev> packed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Ev e = events.get(i);
      long time = Math.floorMod(e.time(), 1L << 40) - (1L << 39);
      keys[i] = e.key();
      values[i] = time << 2 | e.type();
      packed.add(new Ev(e.key(), time, e.type()));
    }
    // chunkSize 0: one flat array; else chunks as the stream reads them, the last one padded
    KeyedOrder.SortedPacked s;
    if (chunkSize == 0) {
      s = KeyedOrder.sortPacked(keys, values, n, keyCount, 2, threads);
    } else {
      int chunks = (n + chunkSize - 1) / chunkSize;
      long[][] keyChunks = new long[chunks][chunkSize];
      long[][] valueChunks = new long[chunks][chunkSize];
      for (int i = 0; i < n; i++) {
        keyChunks[i / chunkSize][i % chunkSize] = keys[i];
        valueChunks[i / chunkSize][i % chunkSize] = values[i];
      }
      s = KeyedOrder.sortPacked(keyChunks, valueChunks, n, chunkSize, keyCount, 2, threads);
    }
    assertThat(s.size()).isEqualTo(n);
    List<Ev> got = new ArrayList<>();
    boolean ties = false;
    for (int i = 0; i < n; i++) {
      got.add(new Ev(s.keys()[i], s.values()[i] >> 2, (int) (s.values()[i] & 3)));
      ties |= i > 0 && got.get(i).key() == got.get(i - 1).key() && got.get(i).time() == got.get(i - 1).time();
    }
    packed.sort(Comparator.comparingLong(Ev::key).thenComparingLong(Ev::time).thenComparingInt(Ev::type));
    assertThat(got).isEqualTo(packed);
    assertThat(s.hasTies()).isEqualTo(ties);
  }

  @Test
  void sortPacked_largeBucketOfSeveralKeys_ordered() {
    // 500 events of 5 keys in one bucket (one bucket bit): past the insertion sort's length
    int n = 500;
    long[] keys = new long[n];
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (i * 7L) % 5;
      values[i] = (i * 7919L) % 1000 - 500;
    }
    KeyedOrder.SortedPacked s = KeyedOrder.sortPacked(keys, values, n, 1, 0, 2);
    for (int i = 1; i < n; i++) {
      assertThat(s.keys()[i] > s.keys()[i - 1] || (s.keys()[i] == s.keys()[i - 1] && s.values()[i] >= s.values()[i - 1]))
          .as("order at %d", i).isTrue();
    }
    assertThat(java.util.Arrays.stream(s.values()).sum()).isEqualTo(java.util.Arrays.stream(values).sum());
    assertThat(s.hasTies()).isFalse();
  }

  @Test
  void sortPacked_negativeKeyIsRefused() {
    assertThatThrownBy(() -> KeyedOrder.sortPacked(new long[] {3, -1}, new long[2], 2, 2, 8, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user keys must not be negative but one was -1");
  }
}
