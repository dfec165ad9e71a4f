package dev.loupe.lake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * Remembers which event ids were accepted within the dedup window, in bounded memory. Plain
 * state, no I/O: {@link DedupStore} persists it, the collector wraps it.
 *
 * <p><b>What is stored.</b> Each id is reduced to a 64-bit MurmurHash3 fingerprint and kept in
 * the time slot of its first acceptance; a window of W is cut into 7 slots of W/7 (one day by
 * default). An id is remembered for at least W and at most W + W/7: a slot is dropped once all
 * of it is older than W.
 *
 * <p><b>Memory.</b> At most {@code maxIds} fingerprints are held. Each costs 8 bytes in an open
 * addressing table kept between 37.5% and 75% full: <b>10.7 to 21.3 MB per million ids</b>
 * (16 MB typical), so the default 20 million ids take at most about 430 MB. When a new id would
 * exceed {@code maxIds}, the oldest slot is dropped early and {@link #evictedEarly()} counts its
 * ids: the effective window ({@link #effectiveWindow(Instant)}) shrinks rather than memory grow.
 *
 * <p><b>Accuracy.</b> Two different ids share a fingerprint with probability 2<sup>-64</sup>; with
 * n ids remembered, a new id is wrongly taken for a duplicate with probability about
 * n / 1.8·10<sup>19</sup> (5·10<sup>-13</sup> for n = 10 million).
 *
 * <p>Not thread-safe: the caller serializes access.
 */
public final class DedupIndex {

  /** Slots per window. */
  static final int SLOTS = 7;

  private final Duration window;
  private final long slotMillis;
  private final long maxIds;
  private final TreeMap<Long, LongHashSet> slots = new TreeMap<>();
  /** The slots' sets, newest first: what {@link #contains} scans (rebuilt when slots change). */
  private LongHashSet[] newestFirst = new LongHashSet[0];
  private long size;
  private long evictedEarly;

  private DedupIndex(Duration window, long maxIds) {
    if (window == null || window.toMillis() < SLOTS) {
      throw new IllegalArgumentException("window must be at least 7 ms but was " + window);
    }
    if (maxIds < 1) {
      throw new IllegalArgumentException("maxIds must be >= 1 but was " + maxIds);
    }
    this.window = window;
    this.slotMillis = window.toMillis() / SLOTS;
    this.maxIds = maxIds;
  }

  public static DedupIndex create(Duration window, long maxIds) {
    return new DedupIndex(window, maxIds);
  }

  /** The 64-bit fingerprint of an event id (MurmurHash3 x64 128, first half; never 0). */
  public static long fingerprint(String eventId) {
    long h = MurmurHash3.hash(eventId.getBytes(StandardCharsets.UTF_8), 0x4C4F555045L)[0];
    return h == 0 ? 1 : h;
  }

  /** The slot number an acceptance time falls in. */
  long slotOf(Instant at) {
    return Math.floorDiv(at.toEpochMilli(), slotMillis);
  }

  long slotMillis() {
    return slotMillis;
  }

  /** Whether the fingerprint is remembered. */
  public boolean contains(long fingerprint) {
    for (LongHashSet s : newestFirst) {
      if (s.contains(fingerprint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Remembers the fingerprint as accepted at {@code at}, unless it is already remembered.
   *
   * @return true if it was new (the event is not a duplicate)
   */
  public boolean addIfAbsent(long fingerprint, Instant at) {
    if (contains(fingerprint)) {
      return false;
    }
    put(fingerprint, slotOf(at));
    return true;
  }

  /** Remembers a fingerprint in a given slot (used when loading persisted state). */
  void put(long fingerprint, long slot) {
    while (size >= maxIds && !slots.isEmpty()) {
      Map.Entry<Long, LongHashSet> oldest = slots.firstEntry();
      if (oldest.getKey() >= slot && slots.size() == 1) {
        break; // everything is in this very slot: keep it rather than forget all
      }
      slots.pollFirstEntry();
      size -= oldest.getValue().size();
      evictedEarly += oldest.getValue().size();
      reindex();
    }
    LongHashSet set = slots.get(slot);
    if (set == null) {
      set = new LongHashSet();
      slots.put(slot, set);
      reindex();
    }
    if (set.add(fingerprint)) {
      size++;
    }
  }

  private void reindex() {
    newestFirst = slots.descendingMap().values().toArray(new LongHashSet[0]);
  }

  /** Forgets a fingerprint accepted at {@code at} (undo when its batch could not be logged). */
  public void remove(long fingerprint, Instant at) {
    LongHashSet s = slots.get(slotOf(at));
    if (s != null && s.remove(fingerprint)) {
      size--;
    }
  }

  /** Drops the slots wholly older than the window. Returns the number of ids forgotten. */
  public long expire(Instant now) {
    long oldestKept = oldestLiveSlot(now);
    long dropped = 0;
    while (!slots.isEmpty() && slots.firstKey() < oldestKept) {
      dropped += slots.pollFirstEntry().getValue().size();
    }
    size -= dropped;
    reindex();
    return dropped;
  }

  /** The first slot that still holds ids within the window at {@code now}. */
  long oldestLiveSlot(Instant now) {
    return Math.floorDiv(now.toEpochMilli() - window.toMillis(), slotMillis);
  }

  public long size() {
    return size;
  }

  /** Bytes held by the fingerprint tables. */
  public long memoryBytes() {
    long b = 0;
    for (LongHashSet s : slots.values()) {
      b += s.memoryBytes();
    }
    return b;
  }

  /** Ids forgotten before their window ended, because of {@code maxIds}. */
  public long evictedEarly() {
    return evictedEarly;
  }

  public Duration window() {
    return window;
  }

  /**
   * How far back ids are guaranteed remembered at {@code now}: the configured window, or less
   * after early eviction.
   */
  public Duration effectiveWindow(Instant now) {
    if (evictedEarly == 0 || slots.isEmpty()) {
      return window;
    }
    long start = slots.firstKey() * slotMillis;
    return Duration.ofMillis(Math.max(0, Math.min(window.toMillis(), now.toEpochMilli() - start)));
  }
}
