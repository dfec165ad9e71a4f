package dev.loupe.sql;

import java.util.Arrays;

/**
 * Puts events, given as (user number, time, type number) in any order, in the order {@code (user
 * number, time)} in linear time for the users (a counting sort) and a primitive sort of each
 * user's few events; events tied on (user, time) come out ordered by type number and are reported
 * as runs, for the caller to put in event_id order. No I/O.
 */
final class EventOrder {

  private EventOrder() {}

  /** The events in order: {@code users[i], times[i], types[i]}, and where the ties are. */
  record Sorted(int[] users, long[] times, int[] types, int size, boolean hasTies) {}

  /**
   * @param userCount the user numbers are 0..userCount-1
   * @param typeCount the type numbers are 0..typeCount-1
   */
  static Sorted sort(int[] users, long[] times, int[] types, int size, int userCount, int typeCount) {
    int[] start = new int[userCount + 1];
    for (int i = 0; i < size; i++) {
      start[users[i] + 1]++;
    }
    for (int u = 0; u < userCount; u++) {
      start[u + 1] += start[u];
    }
    int[] next = Arrays.copyOf(start, userCount);
    long[] t = new long[size];
    int[] c = new int[size];
    int[] us = new int[size];
    for (int i = 0; i < size; i++) {
      int at = next[users[i]]++;
      t[at] = times[i];
      c[at] = types[i];
      us[at] = users[i];
    }
    int typeBits = typeBits(typeCount);
    boolean ties = false;
    for (int u = 0; u < userCount; u++) {
      int from = start[u];
      int to = start[u + 1];
      if (to - from > 1) {
        sortRange(t, c, from, to, typeBits);
        for (int i = from + 1; i < to; i++) {
          ties |= t[i] == t[i - 1];
        }
      }
    }
    return new Sorted(us, t, c, size, ties);
  }

  /** Bits needed for the type numbers 0..typeCount-1 (at least 1). */
  static int typeBits(int typeCount) {
    return 32 - Integer.numberOfLeadingZeros(Math.max(1, typeCount - 1));
  }

  /** Sorts one user's events by (time, type number). */
  static void sortRange(long[] t, int[] c, int from, int to, int typeBits) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = from; i < to; i++) {
      min = Math.min(min, t[i]);
      max = Math.max(max, t[i]);
    }
    int spanBits = 64 - Long.numberOfLeadingZeros(max - min);
    if (max - min >= 0 && spanBits + typeBits <= 62) {
      long[] packed = new long[to - from];
      for (int i = from; i < to; i++) {
        packed[i - from] = ((t[i] - min) << typeBits) | c[i];
      }
      Arrays.sort(packed);
      long mask = (1L << typeBits) - 1;
      for (int i = from; i < to; i++) {
        long p = packed[i - from];
        t[i] = (p >>> typeBits) + min;
        c[i] = (int) (p & mask);
      }
      return;
    }
    Integer[] index = new Integer[to - from];
    for (int i = 0; i < index.length; i++) {
      index[i] = from + i;
    }
    Arrays.sort(index, (a, b) -> t[a] != t[b] ? Long.compare(t[a], t[b]) : Integer.compare(c[a], c[b]));
    long[] ts = new long[index.length];
    int[] cs = new int[index.length];
    for (int i = 0; i < index.length; i++) {
      ts[i] = t[index[i]];
      cs[i] = c[index[i]];
    }
    System.arraycopy(ts, 0, t, from, ts.length);
    System.arraycopy(cs, 0, c, from, cs.length);
  }
}
