package dev.loupe.sql;

import java.util.Arrays;

/**
 * Puts events, given as (user key, packed time and type) in any order, in the order {@code (key,
 * time, type number)}, where the key is a non-negative 63-bit number standing for the user (a hash
 * of the user id whose uniqueness the caller has checked). A counting sort on the key's top bits
 * puts the events in buckets of about one user each; each bucket is then sorted in place. Events
 * tied on (key, time) are reported, for the caller to put in event_id order. No I/O.
 */
final class KeyedOrder {

  private KeyedOrder() {}

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

  /** Events in order: {@code keys[i], values[i]}, and whether two share the key and the tie part. */
  record SortedPacked(long[] keys, long[] values, int size, boolean hasTies) {}

  /**
   * Puts events, given as (key, value) in any order, in the order {@code (key, value)}, where each
   * value packs a time and a small type number ({@code time << tieShift | type}, so value order is
   * (time, type) order). Two events are tied if they share the key and {@code value >> tieShift}.
   * A counting sort on the key's top bits (each thread counts its slice of the input, then writes
   * it to its own places), then each bucket sorted in place, the buckets in parallel in slices of
   * about equal event counts.
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
