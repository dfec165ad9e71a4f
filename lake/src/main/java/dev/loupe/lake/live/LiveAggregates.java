package dev.loupe.lake.live;

import dev.loupe.events.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The live-aggregation operator: per UTC minute of {@code event_time} and event type, the number
 * of events and an HLL sketch of their user ids; per UTC minute of receipt, the ingestion
 * statistics (accepted, rejected by reason, lag from event time to receipt).
 *
 * <p>Contract. {@link #accept(Event)} counts one accepted event (the caller passes each accepted,
 * non-duplicate event exactly once); {@link #acceptRejected(Instant, String)} counts one rejected
 * event. {@link #combine(LiveAggregates)} adds another aggregate into this one: for any split of a
 * stream into parts, accepting the parts separately and combining gives the same counts and the
 * same unique-user estimates as one pass (the property test checks it). The empty aggregate
 * ({@link #create()}) is the identity of {@code combine}.
 *
 * <p>Retention. {@link #evictBefore(LocalDate)} drops whole UTC days before a date (persist them
 * first) and raises the horizon. Events whose minute lies before the horizon are not kept with
 * the retained buckets but in a side aggregate that the runtime drains with {@link #drainLate()}
 * and merges into storage, so memory stays bounded and nothing is lost (in Flink terms, a side
 * output).
 *
 * <p>Errors: see the package documentation for the sketch's stated error (lgK = {@value #LG_K},
 * relative standard error {@value #RELATIVE_STANDARD_ERROR}).
 *
 * <p>Not thread-safe; no I/O, no clock.
 */
public final class LiveAggregates {

  /** log2 of the number of HLL registers per sketch. */
  public static final int LG_K = 12;

  /**
   * Relative standard error (one standard deviation) of a merged unique-user estimate at {@link
   * #LG_K}, from {@code HllSketch.getRelErr(true, true, 12, 1)}.
   */
  public static final double RELATIVE_STANDARD_ERROR = 0.0162;

  static final TgtHllType TYPE = TgtHllType.HLL_8;
  static final int MAX_REASONS_PER_MINUTE = 50;
  static final int MAX_REASON_LENGTH = 200;
  static final String OTHER_REASONS = "(other reasons)";

  /** epoch minute of event_time → event type → bucket. */
  private final TreeMap<Long, Map<String, Bucket>> buckets = new TreeMap<>();

  /** epoch minute of receipt → ingestion counters. */
  private final TreeMap<Long, Ingest> ingest = new TreeMap<>();

  private long horizonMinute = Long.MIN_VALUE;

  /**
   * Per epoch hour and event type, the union of the hour's minute sketches: a cache that keeps
   * day-long unique-user queries cheap; an hour's entry is dropped when one of its buckets changes.
   */
  private final Map<Long, Map<String, HllSketch>> hourUnions = new HashMap<>();

  /** Events dated before the horizon, waiting for {@link #drainLate()}; null when none. */
  private LiveAggregates late;

  private LiveAggregates() {}

  /** An empty aggregate, the identity of {@link #combine}. */
  public static LiveAggregates create() {
    return new LiveAggregates();
  }

  /** Counts one accepted event in its event-time minute and its receipt minute. */
  public void accept(Event event) {
    long minute = epochMinute(event.eventTime());
    if (minute < horizonMinute) {
      lateAggregate().bucket(minute, event.eventType()).add(event.userId());
    } else {
      bucket(minute, event.eventType()).add(event.userId());
    }
    long lag = Math.max(0L, event.receivedAt().toEpochMilli() - event.eventTime().toEpochMilli());
    Ingest in = ingest(epochMinute(event.receivedAt()));
    in.accepted++;
    in.lagSumMillis += lag;
    in.lagMaxMillis = Math.max(in.lagMaxMillis, lag);
  }

  /**
   * Counts one rejected event in its receipt minute. Reasons longer than {@value
   * #MAX_REASON_LENGTH} characters are cut; past {@value #MAX_REASONS_PER_MINUTE} distinct reasons
   * in a minute, further ones are counted under {@value #OTHER_REASONS}.
   */
  public void acceptRejected(Instant receivedAt, String reason) {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Ingest in = ingest(epochMinute(receivedAt));
    in.rejected++;
    in.addReason(reason == null || reason.isBlank() ? "(no reason given)" : reason, 1);
  }

  /** Adds {@code other} into this aggregate; {@code other} is not changed. */
  public void combine(LiveAggregates other) {
    if (other == this) {
      throw new IllegalArgumentException("cannot combine an aggregate with itself");
    }
    long oldHorizon = horizonMinute;
    horizonMinute = Math.max(horizonMinute, other.horizonMinute);
    if (horizonMinute > oldHorizon) {
      moveToLate(buckets.headMap(horizonMinute, false));
    }
    if (other.late != null) {
      lateAggregate().combine(other.late);
    }
    for (var m : other.buckets.entrySet()) {
      for (var b : m.getValue().entrySet()) {
        LiveAggregates target = m.getKey() < horizonMinute ? lateAggregate() : this;
        target.bucket(m.getKey(), b.getKey()).merge(b.getValue());
      }
    }
    for (var e : other.ingest.entrySet()) {
      ingest(e.getKey()).merge(e.getValue());
    }
    evictMinutesBefore(horizonMinute);
  }

  /**
   * Drops every bucket of UTC days before {@code firstKept} (persist them first) and raises the
   * horizon: later events dated before it go to the side aggregate ({@link #drainLate()}).
   */
  public void evictBefore(LocalDate firstKept) {
    long minute = firstKept.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 60;
    horizonMinute = Math.max(horizonMinute, minute);
    evictMinutesBefore(horizonMinute);
  }

  /**
   * Returns the events accepted since the last drain whose minute lies before the horizon (an
   * aggregate of their buckets, without ingestion minutes, which stay here), and forgets them.
   * Empty when there were none.
   */
  public LiveAggregates drainLate() {
    LiveAggregates l = late == null ? new LiveAggregates() : late;
    late = null;
    return l;
  }

  /** Events dated before this instant are not kept in the retained buckets; MIN when none is set. */
  public Instant horizon() {
    return horizonMinute == Long.MIN_VALUE ? Instant.MIN : Instant.ofEpochSecond(horizonMinute * 60);
  }

  /** Events dated before the horizon that wait for {@link #drainLate()}. */
  public long pendingLate() {
    return late == null ? 0 : late.events(Instant.MIN, Instant.MAX, null);
  }

  /** Event counts and unique-user estimates per minute and event type in [from, to), by minute. */
  public List<MinuteCount> minutes(Instant from, Instant to) {
    List<MinuteCount> out = new ArrayList<>();
    for (var m : range(buckets, from, to).entrySet()) {
      Instant minute = Instant.ofEpochSecond(m.getKey() * 60);
      for (var b : new TreeMap<>(m.getValue()).entrySet()) {
        out.add(new MinuteCount(minute, b.getKey(), b.getValue().events, b.getValue().estimate()));
      }
    }
    return out;
  }

  /** Number of events in [from, to) of one event type, or of all when {@code eventType} is null. */
  public long events(Instant from, Instant to, String eventType) {
    long n = 0;
    for (Map<String, Bucket> m : range(buckets, from, to).values()) {
      for (var b : m.entrySet()) {
        if (eventType == null || eventType.equals(b.getKey())) {
          n += b.getValue().events;
        }
      }
    }
    return n;
  }

  /**
   * Distinct users in [from, to) of one event type, or of all when {@code eventType} is null: the
   * union of the minute sketches' composite estimate, with bounds {@code estimate × (1 ∓ 2 ×}
   * {@value #RELATIVE_STANDARD_ERROR}) (about 95%; conservative while the sketch is in coupon
   * mode, where it is nearly exact). The same for any split and merge order of the stream.
   */
  public UniqueEstimate uniqueUsers(Instant from, Instant to, String eventType) {
    Union union = new Union(LG_K);
    long lo = Math.floorDiv(from.getEpochSecond() + 59, 60);
    long hi = Math.floorDiv(to.getEpochSecond() + 59, 60);
    long m = lo;
    while (m < hi) {
      long hour = Math.floorDiv(m, 60);
      long hourEnd = (hour + 1) * 60;
      if (m == hour * 60 && hourEnd <= hi) {
        // A whole hour: its per-type union, cached until one of its buckets changes.
        for (var e : hourUnion(hour).entrySet()) {
          if (eventType == null || eventType.equals(e.getKey())) {
            union.update(e.getValue());
          }
        }
        m = hourEnd;
      } else {
        long end = Math.min(hourEnd, hi);
        addMinutes(union, buckets.subMap(m, true, end, false), eventType);
        m = end;
      }
    }
    return estimate(union);
  }

  /** The same as {@link #uniqueUsers} without the hour cache (for tests). */
  UniqueEstimate uniqueUsersUncached(Instant from, Instant to, String eventType) {
    Union union = new Union(LG_K);
    addMinutes(union, range(buckets, from, to), eventType);
    return estimate(union);
  }

  private static void addMinutes(Union union, NavigableMap<Long, Map<String, Bucket>> minutes, String eventType) {
    for (Map<String, Bucket> m : minutes.values()) {
      for (var b : m.entrySet()) {
        if ((eventType == null || eventType.equals(b.getKey())) && b.getValue().users != null) {
          union.update(b.getValue().users);
        }
      }
    }
  }

  private Map<String, HllSketch> hourUnion(long hour) {
    Map<String, HllSketch> cached = hourUnions.get(hour);
    if (cached != null) {
      return cached;
    }
    Map<String, Union> unions = new HashMap<>();
    for (Map<String, Bucket> m : buckets.subMap(hour * 60, true, hour * 60 + 60, false).values()) {
      for (var b : m.entrySet()) {
        if (b.getValue().users != null) {
          unions.computeIfAbsent(b.getKey(), k -> new Union(LG_K)).update(b.getValue().users);
        }
      }
    }
    Map<String, HllSketch> result = new HashMap<>();
    unions.forEach((type, u) -> result.put(type, u.getResult(TYPE)));
    hourUnions.put(hour, result);
    return result;
  }

  private static UniqueEstimate estimate(Union union) {
    HllSketch result = union.getResult(TYPE);
    double estimate = result.isEmpty() ? 0 : result.getCompositeEstimate();
    return new UniqueEstimate(
        estimate,
        estimate * (1 - 2 * RELATIVE_STANDARD_ERROR),
        estimate * (1 + 2 * RELATIVE_STANDARD_ERROR));
  }

  /** Ingestion statistics per receipt minute in [from, to), by minute. */
  public List<IngestMinute> ingestion(Instant from, Instant to) {
    List<IngestMinute> out = new ArrayList<>();
    for (var e : range(ingest, from, to).entrySet()) {
      Ingest in = e.getValue();
      out.add(
          new IngestMinute(
              Instant.ofEpochSecond(e.getKey() * 60),
              in.accepted,
              in.rejected,
              Collections.unmodifiableMap(new TreeMap<>(in.reasons)),
              in.lagSumMillis,
              in.lagMaxMillis));
    }
    return out;
  }

  /** Event types seen in any bucket, sorted. */
  public List<String> eventTypes() {
    TreeSet<String> types = new TreeSet<>();
    buckets.values().forEach(m -> types.addAll(m.keySet()));
    return List.copyOf(types);
  }

  /** UTC days that have a bucket or an ingestion minute, sorted. */
  public List<LocalDate> days() {
    TreeSet<LocalDate> days = new TreeSet<>();
    buckets.keySet().forEach(m -> days.add(dayOf(m)));
    ingest.keySet().forEach(m -> days.add(dayOf(m)));
    return List.copyOf(days);
  }

  /** A copy holding only one UTC day's buckets and ingestion minutes. */
  public LiveAggregates day(LocalDate day) {
    long from = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 60;
    return slice(from, from + 24 * 60);
  }

  /**
   * Replaces the event buckets of one epoch hour (UTC) by those of {@code rebuilt} for that hour
   * (ingestion minutes are kept). Used to restore counts from the lake after a hard kill.
   */
  public void replaceHour(long epochHour, LiveAggregates rebuilt) {
    buckets.subMap(epochHour * 60, true, epochHour * 60 + 60, false).clear();
    hourUnions.remove(epochHour);
    for (var m : rebuilt.buckets.subMap(epochHour * 60, true, epochHour * 60 + 60, false).entrySet()) {
      if (m.getKey() < horizonMinute) {
        continue;
      }
      for (var b : m.getValue().entrySet()) {
        bucket(m.getKey(), b.getKey()).merge(b.getValue());
      }
    }
  }

  /** Event counts per epoch hour (UTC) and event type in [from, to). */
  public Map<Long, Map<String, Long>> hourlyCounts(Instant from, Instant to) {
    Map<Long, Map<String, Long>> out = new TreeMap<>();
    for (var m : range(buckets, from, to).entrySet()) {
      Map<String, Long> h = out.computeIfAbsent(Math.floorDiv(m.getKey(), 60), k -> new TreeMap<>());
      m.getValue().forEach((type, b) -> h.merge(type, b.events, Long::sum));
    }
    return out;
  }

  /** A copy holding only the minutes of one epoch hour (UTC), for saving it. */
  public LiveAggregates hour(long epochHour) {
    return slice(epochHour * 60, epochHour * 60 + 60);
  }

  /** A copy holding only the minutes in [fromMinute, toMinute) (epoch minutes). */
  LiveAggregates slice(long fromMinute, long toMinute) {
    LiveAggregates copy = new LiveAggregates();
    for (var m : buckets.subMap(fromMinute, toMinute).entrySet()) {
      for (var b : m.getValue().entrySet()) {
        copy.bucket(m.getKey(), b.getKey()).merge(b.getValue());
      }
    }
    for (var e : ingest.subMap(fromMinute, toMinute).entrySet()) {
      copy.ingest(e.getKey()).merge(e.getValue());
    }
    return copy;
  }

  /** True when nothing was accepted or rejected (or all of it was evicted and drained). */
  public boolean isEmpty() {
    return buckets.isEmpty() && ingest.isEmpty() && late == null;
  }

  // ---- package-private access for LiveAggregateStore

  NavigableMap<Long, Map<String, Bucket>> bucketMap() {
    return buckets;
  }

  NavigableMap<Long, Ingest> ingestMap() {
    return ingest;
  }

  Bucket bucket(long minute, String eventType) {
    if (!hourUnions.isEmpty()) {
      hourUnions.remove(Math.floorDiv(minute, 60));
    }
    return buckets.computeIfAbsent(minute, k -> new HashMap<>()).computeIfAbsent(eventType, k -> new Bucket());
  }

  Ingest ingest(long minute) {
    return ingest.computeIfAbsent(minute, k -> new Ingest());
  }

  static long epochMinute(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), 60);
  }

  static LocalDate dayOf(long epochMinute) {
    return LocalDate.ofEpochDay(Math.floorDiv(epochMinute, 24 * 60));
  }

  private LiveAggregates lateAggregate() {
    if (late == null) {
      late = new LiveAggregates();
    }
    return late;
  }

  private void moveToLate(NavigableMap<Long, Map<String, Bucket>> old) {
    hourUnions.clear();
    for (var m : old.entrySet()) {
      for (var b : m.getValue().entrySet()) {
        lateAggregate().bucket(m.getKey(), b.getKey()).merge(b.getValue());
      }
    }
    old.clear();
  }

  private void evictMinutesBefore(long minute) {
    hourUnions.clear();
    buckets.headMap(minute, false).clear();
    ingest.headMap(minute, false).clear();
  }

  private static <V> NavigableMap<Long, V> range(TreeMap<Long, V> map, Instant from, Instant to) {
    long lo = Math.floorDiv(from.getEpochSecond() + 59, 60); // first minute starting at or after from
    long hi = Math.floorDiv(to.getEpochSecond() + 59, 60);
    if (hi <= lo) {
      return Collections.emptyNavigableMap();
    }
    return map.subMap(lo, true, hi, false);
  }

  /** One minute and event type: the count and the user sketch (null until a user is seen). */
  static final class Bucket {
    long events;
    HllSketch users;

    void add(String userId) {
      events++;
      if (userId != null) {
        if (users == null) {
          users = new HllSketch(LG_K, TYPE);
        }
        users.update(userId);
      }
    }

    void merge(Bucket other) {
      events += other.events;
      if (other.users != null) {
        if (users == null) {
          users = HllSketch.heapify(other.users.toCompactByteArray());
        } else {
          Union u = new Union(LG_K);
          u.update(users);
          u.update(other.users);
          users = u.getResult(TYPE);
        }
      }
    }

    double estimate() {
      return users == null ? 0 : users.getCompositeEstimate();
    }
  }

  /** Ingestion counters for one minute of receipt. */
  static final class Ingest {
    long accepted;
    long rejected;
    long lagSumMillis;
    long lagMaxMillis;
    final Map<String, Long> reasons = new HashMap<>();

    void addReason(String reason, long count) {
      String r = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
      if (!reasons.containsKey(r) && reasons.size() >= MAX_REASONS_PER_MINUTE) {
        r = OTHER_REASONS;
      }
      reasons.merge(r, count, Long::sum);
    }

    void merge(Ingest other) {
      accepted += other.accepted;
      rejected += other.rejected;
      lagSumMillis += other.lagSumMillis;
      lagMaxMillis = Math.max(lagMaxMillis, other.lagMaxMillis);
      new TreeMap<>(other.reasons).forEach(this::addReason);
    }
  }
}
