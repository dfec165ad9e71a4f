package dev.loupe.lake.live;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The embedded runtime's live aggregates: one {@link LiveAggregates} behind a lock, fed by the
 * collector after each durably accepted batch, read by the dashboard, saved to {@code
 * aggregates/} by a background thread every {@link Config#persistInterval()} and on {@link
 * #close()}.
 *
 * <p>Restart: {@link #open} loads the retained days from {@code aggregates/}, so after a clean
 * stop the counts continue where they were. After a hard kill, at most the last persist interval
 * of live counts is missing here; the server then rebuilds the hours that differ from the lake
 * ({@link #replaceHour}) before it accepts new batches.
 *
 * <p>Memory: the last {@link Config#retainDays()} UTC days (today included) stay in memory; older
 * days are dropped after they are saved. Events dated before the retained days (late events, a
 * backfill) are merged into their hour files on the next save instead, so they are not lost. A minute bucket costs about 4.1 KB once it has seen more
 * than a few hundred users (an HLL_8 sketch of 4,096 registers), much less before; a day of 10
 * busy event types therefore costs up to about 60 MB.
 *
 * <p>Thread-safe.
 */
public final class LiveMetrics implements AutoCloseable {

  /**
   * Configuration.
   *
   * @param retainDays UTC days kept in memory, today included (at least 1; default 3)
   * @param keepOnDiskDays UTC days whose hour files are kept in {@code aggregates/} (at least
   *     {@code retainDays}; default 90)
   * @param persistInterval how often changed hours are saved (at least 100 ms; default 2 s)
   */
  public record Config(int retainDays, int keepOnDiskDays, Duration persistInterval) {
    public Config {
      if (retainDays < 1) {
        throw new IllegalArgumentException("retainDays must be at least 1 but was " + retainDays);
      }
      if (keepOnDiskDays < retainDays) {
        throw new IllegalArgumentException(
            "keepOnDiskDays must be at least retainDays (" + retainDays + ") but was " + keepOnDiskDays);
      }
      Objects.requireNonNull(persistInterval, "persistInterval");
      if (persistInterval.toMillis() < 100) {
        throw new IllegalArgumentException("persistInterval must be at least 100 ms but was " + persistInterval);
      }
    }

    public static Config withDefaults() {
      return new Config(3, 90, Duration.ofSeconds(2));
    }
  }

  private static final int RATE_SECONDS = 10;

  private final LiveAggregateStore store;
  private final Clock clock;
  private final Config config;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock persistLock = new ReentrantLock();
  private final LiveAggregates aggregates;
  private final Set<Long> dirtyHours = new HashSet<>();
  private final long[] perSecondCount = new long[64];
  private final long[] perSecondKey = new long[64];
  private final Instant startedAt;
  private long acceptedTotal;
  private long rejectedTotal;
  private ScheduledExecutorService persister;

  private LiveMetrics(LiveAggregateStore store, Clock clock, Config config, LiveAggregates loaded) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.aggregates = loaded;
    this.startedAt = clock.instant();
  }

  /** Opens the live aggregates of a data directory, loading the retained days saved there. */
  public static LiveMetrics open(LakeLayout layout, Clock clock, Config config) {
    LiveAggregateStore store = LiveAggregateStore.of(layout.aggregates());
    LocalDate first = firstRetainedDay(clock.instant(), config);
    LiveAggregates loaded = store.load(first);
    loaded.evictBefore(first);
    return new LiveMetrics(store, clock, config, loaded);
  }

  /** Starts the background thread that saves changed hours every persist interval. */
  public LiveMetrics start() {
    lock.lock();
    try {
      if (persister == null) {
        persister =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "loupe-live-aggregates");
                  t.setDaemon(true);
                  return t;
                });
        long ms = config.persistInterval().toMillis();
        persister.scheduleWithFixedDelay(this::persistQuietly, ms, ms, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Counts a batch of accepted (durably acknowledged, non-duplicate) events. */
  public void accepted(Collection<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    long second = clock.millis() / 1000;
    boolean lateEvents = false;
    lock.lock();
    try {
      long lastHourA = Long.MIN_VALUE;
      long lastHourB = Long.MIN_VALUE;
      Instant horizon = aggregates.horizon();
      for (Event e : events) {
        aggregates.accept(e);
        if (e.eventTime().isBefore(horizon)) {
          lateEvents = true; // goes to the side aggregate, merged into its hour file on persist
          continue;
        }
        long a = Math.floorDiv(e.eventTime().getEpochSecond(), 3600);
        long b = Math.floorDiv(e.receivedAt().getEpochSecond(), 3600);
        if (a != lastHourA) {
          dirtyHours.add(a);
          lastHourA = a;
        }
        if (b != lastHourB) {
          dirtyHours.add(b);
          lastHourB = b;
        }
      }
      if (lateEvents) {
        dirtyHours.add(Math.floorDiv(clock.instant().getEpochSecond(), 3600));
        for (Event e : events) {
          dirtyHours.add(Math.floorDiv(e.receivedAt().getEpochSecond(), 3600));
        }
      }
      acceptedTotal += events.size();
      countSecond(second, events.size());
    } finally {
      lock.unlock();
    }
  }

  /** Counts one rejected event with its reason. */
  public void rejected(Instant receivedAt, String reason) {
    lock.lock();
    try {
      aggregates.acceptRejected(receivedAt, reason);
      dirtyHours.add(Math.floorDiv(receivedAt.getEpochSecond(), 3600));
      rejectedTotal++;
    } finally {
      lock.unlock();
    }
  }

  /** Runs a read-only query against the aggregates under the lock (keep it short). */
  public <T> T read(Function<LiveAggregates, T> query) {
    lock.lock();
    try {
      return query.apply(aggregates);
    } finally {
      lock.unlock();
    }
  }

  /** Accepted events per second over the last {@value #RATE_SECONDS} complete seconds. */
  public double eventsPerSecond() {
    long now = clock.millis() / 1000;
    lock.lock();
    try {
      long n = 0;
      for (long s = now - RATE_SECONDS; s < now; s++) {
        int i = (int) Math.floorMod(s, (long) perSecondKey.length);
        if (perSecondKey[i] == s) {
          n += perSecondCount[i];
        }
      }
      return (double) n / RATE_SECONDS;
    } finally {
      lock.unlock();
    }
  }

  /** Accepted events counted since this process opened the aggregates. */
  public long acceptedSinceStart() {
    lock.lock();
    try {
      return acceptedTotal;
    } finally {
      lock.unlock();
    }
  }

  /** Rejected events counted since this process opened the aggregates. */
  public long rejectedSinceStart() {
    lock.lock();
    try {
      return rejectedTotal;
    } finally {
      lock.unlock();
    }
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Clock clock() {
    return clock;
  }

  public Config config() {
    return config;
  }

  /** The hour files, for reading days no longer in memory. */
  public LiveAggregateStore store() {
    return store;
  }

  /**
   * The aggregates of one UTC day: from memory when retained, else from {@code aggregates/}
   * (days only on disk include everything saved before the last stop).
   */
  public LiveAggregates day(LocalDate day) {
    if (!day.isBefore(firstRetainedDay(clock.instant(), config))) {
      return read(a -> a.day(day));
    }
    return store.loadDay(day);
  }

  /**
   * Saves the hours changed since the last save, merges events dated before the retained days
   * into their hour files, then drops days past retention from memory. Only the snapshot of the
   * changed hours is taken under the lock; files are written outside it, so ingestion never waits
   * for the disk. Concurrent calls are serialized.
   */
  public void persist() {
    persistLock.lock();
    try {
      java.util.Map<Long, LiveAggregates> snapshot = new java.util.TreeMap<>();
      LiveAggregates late;
      lock.lock();
      try {
        for (long hour : dirtyHours) {
          snapshot.put(hour, aggregates.hour(hour));
        }
        dirtyHours.clear();
        late = aggregates.drainLate();
      } finally {
        lock.unlock();
      }
      try {
        store.saveHours(snapshot);
        if (!late.isEmpty()) {
          store.merge(late);
        }
      } catch (RuntimeException e) {
        lock.lock();
        try {
          dirtyHours.addAll(snapshot.keySet()); // saved again next time
          if (!late.isEmpty()) {
            aggregates.combine(late);
          }
        } finally {
          lock.unlock();
        }
        throw e;
      }
      LocalDate first = firstRetainedDay(clock.instant(), config);
      lock.lock();
      try {
        if (dirtyHours.stream().noneMatch(h -> h * 3600 < first.atStartOfDay(ZoneOffset.UTC).toEpochSecond())) {
          aggregates.evictBefore(first);
        }
      } finally {
        lock.unlock();
      }
      LocalDate keepFrom = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().minusDays(config.keepOnDiskDays() - 1L);
      store.deleteBefore(keepFrom.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 3600);
    } finally {
      persistLock.unlock();
    }
  }

  /** Stops the background thread and saves what changed. */
  @Override
  public void close() {
    ScheduledExecutorService p;
    lock.lock();
    try {
      p = persister;
      persister = null;
    } finally {
      lock.unlock();
    }
    if (p != null) {
      p.shutdown();
      try {
        p.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    persist();
  }

  /**
   * Replaces the event buckets of one retained hour by {@code rebuilt}'s (see {@link
   * LiveAggregates#replaceHour}) and marks it for saving.
   */
  public void replaceHour(long epochHour, LiveAggregates rebuilt) {
    lock.lock();
    try {
      aggregates.replaceHour(epochHour, rebuilt);
      dirtyHours.add(epochHour);
    } finally {
      lock.unlock();
    }
  }

  /** The first UTC day kept in memory. */
  public LocalDate firstRetainedDay() {
    return firstRetainedDay(clock.instant(), config);
  }

  /** Event types currently in memory. */
  public List<String> eventTypes() {
    return read(LiveAggregates::eventTypes);
  }

  private void persistQuietly() {
    try {
      persist();
    } catch (RuntimeException e) {
      System.err.println("loupe: saving live aggregates failed (will retry): " + e.getMessage());
    }
  }

  private void countSecond(long second, int n) {
    int i = (int) Math.floorMod(second, (long) perSecondKey.length);
    if (perSecondKey[i] != second) {
      perSecondKey[i] = second;
      perSecondCount[i] = 0;
    }
    perSecondCount[i] += n;
  }

  private static LocalDate firstRetainedDay(Instant now, Config config) {
    return now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(config.retainDays() - 1L);
  }
}
