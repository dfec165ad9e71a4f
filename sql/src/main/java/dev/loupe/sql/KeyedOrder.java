package dev.loupe.sql;

import java.util.Arrays;

/**
 * Puts events, given as (user key, time, type number) in any order, in the order {@code (key,
 * time, type number)}, where the key is a non-negative 63-bit number standing for the user (a hash
 * of the user id whose uniqueness the caller has checked). A counting sort on the key's top bits
 * puts the events in buckets of about one user each; each bucket is then split by key and each
 * key's few events are sorted as in {@link EventOrder}. Events tied on (key, time) are reported, for
 * the caller to put in event_id order. No I/O.
 */
final class KeyedOrder {

  private KeyedOrder() {}

  /** The events in order: {@code keys[i], times[i], types[i]}, and whether any tie on (key, time). */
  record Sorted(long[] keys, long[] times, int[] types, int size, boolean hasTies) {}

  /**
   * @param keys non-negative
   * @param keyCount about how many distinct keys there are (sizes the buckets; any value works)
   * @param typeCount the type numbers are 0..typeCount-1
   * @throws IllegalArgumentException if a key is negative
   */
  static Sorted sort(long[] keys, long[] times, int[] types, int size, int keyCount, int typeCount) {
    int threads = size < 1 << 16 ? 1 : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    return sort(keys, times, types, size, keyCount, typeCount, threads);
  }

  /** As above, distributing the events with {@code threads} threads (each takes a slice of the input). */
  static Sorted sort(long[] keys, long[] times, int[] types, int size, int keyCount, int typeCount, int threads) {
    int bits = Math.min(26, Math.max(1, 33 - Integer.numberOfLeadingZeros(Math.max(1, keyCount))));
    int shift = 63 - bits;
    int buckets = 1 << bits;
    for (int i = 0; i < size; i++) {
      if (keys[i] < 0) {
        throw new IllegalArgumentException("user keys must not be negative but one was " + keys[i]);
      }
    }
    // counting sort on the top bits: each thread counts its slice, then writes it to its own places
    int[][] next = new int[threads][];
    java.util.stream.IntStream.range(0, threads).parallel().forEach(th -> {
      int[] count = new int[buckets];
      for (int i = (int) ((long) size * th / threads); i < (int) ((long) size * (th + 1) / threads); i++) {
        count[(int) (keys[i] >>> shift)]++;
      }
      next[th] = count;
    });
    int[] start = new int[buckets + 1];
    int at = 0;
    for (int b = 0; b < buckets; b++) {
      start[b] = at;
      for (int th = 0; th < threads; th++) {
        int count = next[th][b];
        next[th][b] = at;
        at += count;
      }
    }
    start[buckets] = at;
    long[] k = new long[size];
    long[] t = new long[size];
    int[] c = new int[size];
    java.util.stream.IntStream.range(0, threads).parallel().forEach(th -> {
      int[] place = next[th];
      for (int i = (int) ((long) size * th / threads); i < (int) ((long) size * (th + 1) / threads); i++) {
        int to = place[(int) (keys[i] >>> shift)]++;
        k[to] = keys[i];
        t[to] = times[i];
        c[to] = types[i];
      }
    });
    int typeBits = EventOrder.typeBits(typeCount);
    // the buckets are independent: sorted in parallel, in slices of about equal event counts
    int slices = threads == 1 ? 1 : threads * 4;
    java.util.stream.IntStream.range(0, slices).parallel().forEach(slice -> {
      int fromBucket = slice == 0 ? 0 : firstBucketAt(start, buckets, (long) size * slice / slices);
      int toBucket = slice == slices - 1 ? buckets : firstBucketAt(start, buckets, (long) size * (slice + 1) / slices);
      for (int b = fromBucket; b < toBucket; b++) {
        if (start[b + 1] - start[b] > 1) {
          sortBucket(k, t, c, start[b], start[b + 1], typeBits);
        }
      }
    });
    boolean ties = false;
    for (int i = 1; i < size; i++) {
      ties |= k[i] == k[i - 1] && t[i] == t[i - 1];
    }
    return new Sorted(k, t, c, size, ties);
  }

  /** The first bucket whose events start at or after {@code position}. */
  private static int firstBucketAt(int[] start, int buckets, long position) {
    int lo = 0;
    int hi = buckets;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (start[mid] < position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void sortBucket(long[] k, long[] t, int[] c, int from, int to, int typeBits) {
    boolean oneKey = true;
    for (int i = from + 1; i < to && oneKey; i++) {
      oneKey = k[i] == k[from];
    }
    if (oneKey) {
      EventOrder.sortRange(t, c, from, to, typeBits);
      return;
    }
    long[] distinct = Arrays.copyOfRange(k, from, to);
    Arrays.sort(distinct);
    int m = 1;
    for (int i = 1; i < distinct.length; i++) {
      if (distinct[i] != distinct[m - 1]) {
        distinct[m++] = distinct[i];
      }
    }
    int[] runStart = new int[m + 1];
    int[] local = new int[to - from];
    for (int i = from; i < to; i++) {
      local[i - from] = Arrays.binarySearch(distinct, 0, m, k[i]);
      runStart[local[i - from] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      runStart[j + 1] += runStart[j];
    }
    int[] next = Arrays.copyOf(runStart, m);
    long[] ts = new long[to - from];
    int[] cs = new int[to - from];
    for (int i = from; i < to; i++) {
      int at = next[local[i - from]]++;
      ts[at] = t[i];
      cs[at] = c[i];
    }
    for (int j = 0; j < m; j++) {
      for (int i = runStart[j]; i < runStart[j + 1]; i++) {
        k[from + i] = distinct[j];
      }
    }
    System.arraycopy(ts, 0, t, from, ts.length);
    System.arraycopy(cs, 0, c, from, cs.length);
    for (int j = 0; j < m; j++) {
      if (runStart[j + 1] - runStart[j] > 1) {
        EventOrder.sortRange(t, c, from + runStart[j], from + runStart[j + 1], typeBits);
      }
    }
  }

  /** Events in order: {@code keys[i], values[i]}, and whether two share the key and the tie part. */
  record SortedPacked(long[] keys, long[] values, int size, boolean hasTies) {}

  /**
   * Puts events, given as (key, value) in any order, in the order {@code (key, value)}, where each
   * value packs a time and a small type number ({@code time << tieShift | type}, so value order is
   * (time, type) order). Two events are tied if they share the key and {@code value >> tieShift}.
   * Same counting sort on the key's top bits as {@link #sort}, then each bucket sorted in place
   * (one array of longs per event instead of two and an int: less to move).
   *
   * @param keys non-negative
   * @param keyCount about how many distinct keys there are (sizes the buckets; any value works)
   * @throws IllegalArgumentException if a key is negative
   */
  static SortedPacked sortPacked(long[] keys, long[] values, int size, int keyCount, int tieShift, int threads) {
    return sortPacked(new long[][] {keys}, new long[][] {values}, size, Math.max(1, size), keyCount, tieShift, threads);
  }

  /**
   * As above, the input given in chunks (as it was read): event {@code i} is {@code
   * keyChunks[i / chunkSize][i % chunkSize]}; chunks may be longer than needed.
   */
  static SortedPacked sortPacked(long[][] keyChunks, long[][] valueChunks, int size, int chunkSize, int keyCount,
      int tieShift, int threads) {
    int bits = Math.min(26, Math.max(1, 33 - Integer.numberOfLeadingZeros(Math.max(1, keyCount))));
    int shift = 63 - bits;
    int buckets = 1 << bits;
    int chunks = (int) (((long) size + chunkSize - 1) / chunkSize);
    int[][] next = new int[threads][];
    java.util.stream.IntStream.range(0, threads).parallel().forEach(th -> {
      int[] count = new int[buckets];
      for (int ch = chunks * th / threads; ch < chunks * (th + 1) / threads; ch++) {
        long[] keys = keyChunks[ch];
        int length = (int) Math.min(chunkSize, size - (long) ch * chunkSize);
        for (int i = 0; i < length; i++) {
          if (keys[i] < 0) {
            throw new IllegalArgumentException("user keys must not be negative but one was " + keys[i]);
          }
          count[(int) (keys[i] >>> shift)]++;
        }
      }
      next[th] = count;
    });
    int[] start = new int[buckets + 1];
    int at = 0;
    for (int b = 0; b < buckets; b++) {
      start[b] = at;
      for (int th = 0; th < threads; th++) {
        int count = next[th][b];
        next[th][b] = at;
        at += count;
      }
    }
    start[buckets] = at;
    long[] k = new long[size];
    long[] v = new long[size];
    java.util.stream.IntStream.range(0, threads).parallel().forEach(th -> {
      int[] place = next[th];
      for (int ch = chunks * th / threads; ch < chunks * (th + 1) / threads; ch++) {
        long[] keys = keyChunks[ch];
        long[] values = valueChunks[ch];
        int length = (int) Math.min(chunkSize, size - (long) ch * chunkSize);
        for (int i = 0; i < length; i++) {
          int to = place[(int) (keys[i] >>> shift)]++;
          k[to] = keys[i];
          v[to] = values[i];
        }
      }
    });
    int slices = threads == 1 ? 1 : threads * 4;
    boolean[] ties = new boolean[slices];
    java.util.stream.IntStream.range(0, slices).parallel().forEach(slice -> {
      int fromBucket = slice == 0 ? 0 : firstBucketAt(start, buckets, (long) size * slice / slices);
      int toBucket = slice == slices - 1 ? buckets : firstBucketAt(start, buckets, (long) size * (slice + 1) / slices);
      boolean tied = false;
      for (int b = fromBucket; b < toBucket; b++) {
        int from = start[b];
        int to = start[b + 1];
        if (to - from > 1) {
          sortPairs(k, v, from, to);
          for (int i = from + 1; i < to; i++) {
            tied |= k[i] == k[i - 1] && (v[i] >> tieShift) == (v[i - 1] >> tieShift);
          }
        }
      }
      ties[slice] = tied;
    });
    boolean hasTies = false;
    for (boolean t : ties) {
      hasTies |= t;
    }
    return new SortedPacked(k, v, size, hasTies);
  }

  /** Sorts the range by (key, value): insertion sort when short, else by key runs. */
  private static void sortPairs(long[] k, long[] v, int from, int to) {
    if (to - from <= 48) {
      for (int i = from + 1; i < to; i++) {
        long key = k[i];
        long value = v[i];
        int j = i - 1;
        while (j >= from && (k[j] > key || (k[j] == key && v[j] > value))) {
          k[j + 1] = k[j];
          v[j + 1] = v[j];
          j--;
        }
        k[j + 1] = key;
        v[j + 1] = value;
      }
      return;
    }
    boolean oneKey = true;
    for (int i = from + 1; i < to && oneKey; i++) {
      oneKey = k[i] == k[from];
    }
    if (!oneKey) {
      // rare: a large bucket with several keys; a sort of (key, index) then values moved along
      long[] distinct = Arrays.copyOfRange(k, from, to);
      Arrays.sort(distinct);
      long[] vs = new long[to - from];
      int[] runStart = new int[to - from + 1];
      int m = 0;
      for (int i = 0; i < distinct.length; i++) {
        if (i == 0 || distinct[i] != distinct[m - 1]) {
          distinct[m++] = distinct[i];
        }
      }
      for (int i = from; i < to; i++) {
        runStart[Arrays.binarySearch(distinct, 0, m, k[i]) + 1]++;
      }
      for (int j = 0; j < m; j++) {
        runStart[j + 1] += runStart[j];
      }
      int[] place = Arrays.copyOf(runStart, m);
      for (int i = from; i < to; i++) {
        vs[place[Arrays.binarySearch(distinct, 0, m, k[i])]++] = v[i];
      }
      for (int j = 0; j < m; j++) {
        Arrays.fill(k, from + runStart[j], from + runStart[j + 1], distinct[j]);
        Arrays.sort(vs, runStart[j], runStart[j + 1]);
      }
      System.arraycopy(vs, 0, v, from, vs.length);
      return;
    }
    Arrays.sort(v, from, to);
  }
}
