package dev.loupe.lake;

import dev.loupe.events.Event;
import dev.loupe.events.EventCodec;
import dev.loupe.events.EventValidator;
import dev.loupe.events.InvalidEventException;
import dev.loupe.events.RawEvent;
import dev.loupe.events.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded collector: validate → dedup → write-ahead log (fsync) → acknowledge → Parquet.
 *
 * <p><b>Durability contract.</b> {@link #ingest} returns only after the batch's accepted events
 * and rejections are in the fsync'ed write-ahead log. A maintenance thread rotates the log every
 * {@link LoupeConfig#flushInterval()} and writes the closed segment to the lake through
 * {@link LakeWriter} (idempotent per segment), persists the segment's event ids
 * ({@link DedupStore}), and only then deletes the segment. {@link #open} replays the segments a
 * killed process left, in order, before accepting anything, so every acknowledged event reaches
 * the lake exactly once.
 *
 * <p><b>Dedup.</b> An event whose event_id was accepted within the dedup window, or earlier in
 * the same batch, is counted as a duplicate and not stored. Dedup and the log position are
 * decided under one lock, so a duplicate is acknowledged only after the original is durable.
 *
 * <p><b>Back-pressure.</b> When the log holds more than {@link LoupeConfig#maxUnflushedBytes()}
 * not yet in the lake, {@link #ingest} throws {@link OverloadedException}: nothing is stored
 * and the client retries. Nothing is dropped silently.
 *
 * <p>Only one process may use a data directory: {@link #open} locks {@code state/loupe.lock}.
 * Thread-safe.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(IngestService.class.getName());
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
  private static final long ROTATE_BYTES = 64L << 20;

  private final LoupeConfig config;
  private final LakeLayout layout;
  private final Clock clock;
  private final EventValidator validator;
  private final EventCodec codec;
  private final DedupIndex index;
  private final DedupStore dedupStore;
  private final LakeWriter writer;
  private final LakeMaintenance maintenance;
  /** The thread of {@link #scheduler} (it has one). */
  private volatile Thread maintenanceThread;
  /**
   * Every event type in the lake or accepted since start (see {@link #admitEventType}); guarded by
   * {@code dedupLock}.
   */
  private final Set<String> eventTypes = new HashSet<>();
  private final Wal wal;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ScheduledExecutorService scheduler;
  private final List<IngestListener> listeners = new CopyOnWriteArrayList<>();
  private final Object dedupLock = new Object();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong deduplicated = new AtomicLong();
  private final AtomicLong reservedBytes = new AtomicLong();
  private final AtomicLong flushingBytes = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicBoolean earlyFlushQueued = new AtomicBoolean();
  private volatile Instant flushingFirstAppend;
  private volatile boolean closed;
  /** Closed segments not yet in the lake, oldest first (maintenance thread only). */
  private final List<Wal.Segment> pending = new ArrayList<>();
  /** Maintenance ticks since start (maintenance thread only). */
  private long ticks;

  private IngestService(LoupeConfig config, Clock clock, FileChannel lockChannel, FileLock lock)
      throws IOException, SQLException {
    this.config = config;
    this.layout = config.layout();
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.validator = EventValidator.create(config.eventRules());
    this.codec = EventCodec.create(config.maxBodyBytes());
    this.index = DedupIndex.create(config.dedupWindow(), config.dedupMaxIds());
    this.dedupStore = new DedupStore(layout.state().resolve("dedup"));
    this.writer = new LakeWriter(layout);
    this.maintenance = new LakeMaintenance(config, writer.connection(), clock);
    maintenance.recover();
    maintenance.refreshStats();
    dedupStore.load(index, clock.instant());
    for (Path segment : Wal.segments(layout.wal())) {
      replay(segment);
    }
    eventTypes.addAll(lakeEventTypes(layout));
    LakeFiles.deleteTree(LakeWriter.staging(layout));
    this.wal = Wal.open(layout.wal(), clock);
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "loupe-lake-maintenance");
      t.setDaemon(true);
      maintenanceThread = t;
      return t;
    });
    long every = config.flushInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the data directory: locks it, replays the write-ahead log a previous process left,
   * loads the dedup index and starts the flush thread.
   *
   * @throws IllegalStateException if another process (or collector) holds the data directory
   */
  public static IngestService open(LoupeConfig config, Clock clock) throws IOException {
    LakeLayout layout = config.layout();
    Files.createDirectories(layout.state());
    Files.createDirectories(layout.events());
    Files.createDirectories(layout.rejected());
    Path lockFile = layout.state().resolve("loupe.lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalStateException("data directory " + layout.root()
          + " is in use by another Loupe process (is `loupe serve` running on it?); stop it or"
          + " choose another --data-dir");
    }
    try {
      return new IngestService(config, clock, ch, lock);
    } catch (SQLException e) {
      lock.release();
      ch.close();
      throw new IOException("cannot open the lake writer: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      throw e;
    }
  }

  public LoupeConfig config() {
    return config;
  }

  public LakeLayout layout() {
    return layout;
  }

  public Clock clock() {
    return clock;
  }

  /** Registers a listener for every batch accepted from now on. */
  public void addListener(IngestListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(IngestListener listener) {
    listeners.remove(listener);
  }

  /**
   * Ingests a request body (JSON array or NDJSON, optionally gzip).
   *
   * @throws dev.loupe.events.MalformedBodyException if the body is unreadable as a whole
   * @throws dev.loupe.events.BodyTooLargeException if it is over the size limit
   * @throws OverloadedException if the log backlog is over its limit (retry later)
   * @throws UncheckedIOException if the write-ahead log failed (the batch was not stored)
   */
  public IngestResult ingest(byte[] body, String source) {
    return ingest(codec.parse(body), source, body.length);
  }

  /** Ingests parsed items; see {@link #ingest(byte[], String)}. */
  public IngestResult ingest(List<RawEvent> items, String source) {
    return ingest(items, source, 200L * items.size());
  }

  private IngestResult ingest(List<RawEvent> items, String source, long estimatedBytes) {
    Instant now = clock.instant();
    List<Event> valid = new ArrayList<>(items.size());
    List<RawEvent> validItems = new ArrayList<>(items.size());
    List<Rejection> rejections = new ArrayList<>();
    for (RawEvent item : items) {
      if (!item.readable()) {
        rejections.add(new Rejection(item.index(), "(event)", item.error(), item.raw()));
        continue;
      }
      try {
        valid.add(validator.validate(item, now));
        validItems.add(item);
      } catch (InvalidEventException e) {
        rejections.add(new Rejection(item.index(), e.field(), e.getMessage(), item.raw()));
      }
    }
    long[] fps = new long[valid.size()];
    for (int i = 0; i < fps.length; i++) {
      fps[i] = DedupIndex.fingerprint(valid.get(i).eventId());
    }
    List<Event> fresh = new ArrayList<>(valid.size());
    List<Long> added = new ArrayList<>(valid.size());
    Wal.Ticket ticket;
    synchronized (dedupLock) {
      if (closed) {
        throw new IllegalStateException("the collector is closed");
      }
      long backlog = backlogBytes();
      if (backlog + estimatedBytes > config.maxUnflushedBytes()) {
        throw new OverloadedException("the write-ahead log holds " + backlog
            + " bytes not yet in the lake, over the limit of " + config.maxUnflushedBytes()
            + "; retry later", retryAfter());
      }
      ticket = wal.reserve();
      boolean typeRejected = false;
      for (int i = 0; i < fps.length; i++) {
        // after the backlog check, so that a refused batch takes no event type's place
        String refusal = admitEventType(valid.get(i).eventType());
        if (refusal != null) {
          RawEvent item = validItems.get(i);
          rejections.add(new Rejection(item.index(), "event_type", refusal, item.raw()));
          typeRejected = true;
        } else if (index.addIfAbsent(fps[i], now)) {
          fresh.add(valid.get(i));
          added.add(fps[i]);
        }
      }
      if (typeRejected) {
        rejections.sort(Comparator.comparingInt(Rejection::index));
      }
    }
    reservedBytes.addAndGet(estimatedBytes);
    try {
      byte[] frame = fresh.isEmpty() && rejections.isEmpty()
          ? new byte[0]
          : WalCodec.encode(new WalBatch(now, source, fresh, rejections));
      ticket.fill(frame);
      ticket.durable().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
      ticket.cancel(e);
      synchronized (dedupLock) {
        for (long fp : added) {
          index.remove(fp, now);
        }
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new UncheckedIOException(new IOException(
          "the batch was not stored: the write-ahead log failed (" + cause + ")", cause));
    } finally {
      reservedBytes.addAndGet(-estimatedBytes);
    }
    int duplicates = valid.size() - fresh.size();
    received.addAndGet(items.size());
    accepted.addAndGet(fresh.size());
    deduplicated.addAndGet(duplicates);
    rejected.addAndGet(rejections.size());
    if (!listeners.isEmpty()) {
      IngestedBatch batch = new IngestedBatch(fresh, duplicates, rejections, now, source);
      for (IngestListener l : listeners) {
        try {
          l.onBatch(batch);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "ingest listener " + l + " failed", e);
        }
      }
    }
    if (wal.currentBytes() > ROTATE_BYTES && earlyFlushQueued.compareAndSet(false, true)) {
      scheduler.execute(() -> {
        earlyFlushQueued.set(false);
        flushQuietly();
      });
    }
    return new IngestResult(fresh.size(), duplicates, rejections);
  }

  /**
   * Lets a known event type pass and records a new one, unless the lake already holds {@link
   * LoupeConfig#maxEventTypes()} types: each type is a directory per day, and a sender that puts an
   * id in the type (view_item_123) would otherwise flood the lake with them. Called under {@code
   * dedupLock}.
   *
   * @return null if the type is admitted, else why not
   */
  private String admitEventType(String type) {
    if (eventTypes.contains(type)) {
      return null;
    }
    if (eventTypes.size() >= config.maxEventTypes()) {
      return "event_type '" + type + "' would be a new event type, but the lake already holds "
          + eventTypes.size() + ", the limit (maxEventTypes " + config.maxEventTypes()
          + "); use one of the existing types and put the detail in properties";
    }
    eventTypes.add(type);
    return null;
  }

  /** The event types of every partition in the lake (the event_type=NAME directories). */
  private static Set<String> lakeEventTypes(LakeLayout layout) throws IOException {
    Set<String> types = new HashSet<>();
    if (!Files.isDirectory(layout.events())) {
      return types;
    }
    try (DirectoryStream<Path> days = Files.newDirectoryStream(layout.events(), "event_date=*")) {
      for (Path day : days) {
        if (!Files.isDirectory(day)) {
          continue;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(day, "event_type=*")) {
          for (Path p : parts) {
            types.add(p.getFileName().toString().substring("event_type=".length()));
          }
        }
      }
    }
    return types;
  }

  private long backlogBytes() {
    return wal.currentBytes() + flushingBytes.get() + reservedBytes.get();
  }

  private Duration retryAfter() {
    long s = Math.max(1, (config.flushInterval().toMillis() + 999) / 1000);
    return Duration.ofSeconds(s);
  }

  /** Age of the oldest acknowledged event not yet in the lake; zero when all are. */
  public Duration ingestionLag() {
    Instant oldest = flushingFirstAppend;
    Instant current = wal.currentFirstAppend();
    if (oldest == null || (current != null && current.isBefore(oldest))) {
      oldest = current;
    }
    if (oldest == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(oldest, clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Whether the write-ahead log accepts batches. */
  public boolean healthy() {
    return !closed && !wal.failed();
  }

  public IngestStats stats() {
    long ids;
    long mem;
    Duration window;
    synchronized (dedupLock) {
      ids = index.size();
      mem = index.memoryBytes();
      window = index.effectiveWindow(clock.instant());
    }
    return new IngestStats(received.get(), accepted.get(), rejected.get(), deduplicated.get(),
        wal.currentBytes() + flushingBytes.get(), ingestionLag(), maintenance.lakeFiles(),
        maintenance.lakeBytes(), flushes.get(), maintenance.compactions(), ids, mem, window);
  }

  /** Writes everything acknowledged so far to the lake, now; returns when it is visible. */
  public void flush() {
    runOnMaintenance(this::flushOnce);
  }

  /** Compacts every partition holding enough small files, now. */
  public void compact() {
    runOnMaintenance(maintenance::compactAll);
  }

  /** Deletes partitions older than the retention and expired dedup state, now. */
  public void enforceRetention() {
    runOnMaintenance(this::retention);
  }

  /**
   * Runs {@code read} on the maintenance thread and returns its result, so that no flush,
   * compaction or retention changes the lake's files while it runs: a reader of a whole
   * partition then never sees a compaction's new file beside the files it replaces (rows counted
   * twice) nor misses a file deleted under it. It also holds the lake's rewrite lock shared
   * ({@link FileReplacement#lockForReading}), so a rewrite from another process ({@code dedup
   * --apply}) waits too. Flushing waits meanwhile, so keep it short.
   */
  public <T> T readWhileMaintenancePaused(LakeRead<T> read) {
    List<T> result = new ArrayList<>(1);
    runOnMaintenance(() -> {
      try (FileReplacement.Reading lock = FileReplacement.lockForReading(layout)) {
        result.add(read.read());
      } catch (SQLException e) {
        // a failed query is not a storage failure (which the server answers with 503, retry)
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
    return result.get(0);
  }

  /** A read of the lake's files (see {@link #readWhileMaintenancePaused}). */
  @FunctionalInterface
  public interface LakeRead<T> {
    T read() throws IOException, SQLException;
  }

  private interface IoTask {
    void run() throws IOException, SQLException;
  }

  /**
   * Runs {@code task} on the maintenance thread (directly when called from it) and waits for it;
   * its exceptions, Errors included, reach the caller.
   */
  private void runOnMaintenance(IoTask task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable run = () -> {
      try {
        task.run();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    };
    if (Thread.currentThread() == maintenanceThread) {
      run.run();
    } else {
      scheduler.execute(run);
    }
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(c.getMessage(), c));
    }
  }

  private void tick() {
    try {
      tickOnce();
    } catch (Error e) {
      // thrown out of the periodic task, an Error (OutOfMemoryError) would cancel it for good and
      // the lake would silently stop receiving events; the write-ahead log keeps them, retry
      LOG.log(Level.SEVERE, "flush or lake maintenance failed (will retry at the next tick)", e);
    }
  }

  private void tickOnce() {
    flushQuietly();
    ticks++;
    long perMinute = Math.max(1, 60_000 / config.flushInterval().toMillis());
    try {
      if (ticks % Math.max(1, perMinute / 4) == 0) {
        maintenance.compactAll();
      }
      if (ticks % Math.max(1, perMinute * 60) == 1) {
        retention();
      }
      if (ticks % perMinute == 0) {
        maintenance.refreshStats();
      }
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "lake maintenance failed (will retry)", e);
    }
  }

  private void flushQuietly() {
    try {
      flushOnce();
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "flush to the lake failed (the write-ahead log keeps the events;"
          + " will retry)", e);
    }
  }

  /** Rotates the log and writes every closed segment to the lake. Maintenance thread only. */
  private void flushOnce() throws IOException, SQLException {
    if (wal.currentFirstAppend() != null || wal.currentBytes() > 0) {
      Wal.Segment closedSegment;
      try {
        closedSegment = wal.rotate().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        throw new IOException("cannot rotate the write-ahead log: " + e.getCause(), e.getCause());
      }
      if (closedSegment != null) {
        pending.add(closedSegment);
        flushingBytes.addAndGet(closedSegment.bytes());
        if (flushingFirstAppend == null) {
          flushingFirstAppend = closedSegment.firstAppendAt();
        }
      }
    }
    while (!pending.isEmpty()) {
      Wal.Segment s = pending.get(0);
      writeSegment(s.path(), s.name());
      pending.remove(0);
      flushingBytes.addAndGet(-s.bytes());
      flushingFirstAppend = pending.isEmpty() ? null : pending.get(0).firstAppendAt();
    }
  }

  private void replay(Path segment) throws IOException, SQLException {
    Map<Long, LongList> ids = writeSegment(segment, Wal.nameOf(segment));
    ids.forEach((slot, fps) -> {
      for (int i = 0; i < fps.size; i++) {
        index.put(fps.values[i], slot);
      }
    });
  }

  /** Fingerprints by dedup slot, without boxing. */
  private static final class LongList {
    long[] values = new long[1024];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  /**
   * Streams a segment into the lake, persists its event ids, deletes it. Returns the ids by slot.
   */
  private Map<Long, LongList> writeSegment(Path path, String name)
      throws IOException, SQLException {
    Map<Long, LongList> bySlot = new HashMap<>();
    WalCodec.Scan[] scan = new WalCodec.Scan[1];
    long[] delta = writer.write(name, visitor -> {
      scan[0] = WalCodec.forEach(path, b -> {
        LongList ids = bySlot.computeIfAbsent(index.slotOf(b.receivedAt()), k -> new LongList());
        for (Event e : b.events()) {
          ids.add(DedupIndex.fingerprint(e.eventId()));
        }
        visitor.accept(b);
      });
    });
    if (scan[0].tornTail()) {
      LOG.info("write-ahead log segment " + path + " ends with a torn record after "
          + scan[0].validBytes() + " bytes (never acknowledged); the rest reached the lake");
    }
    maintenance.addPublished(delta);
    Map<Long, long[]> arrays = new HashMap<>();
    bySlot.forEach((k, v) -> arrays.put(k, java.util.Arrays.copyOf(v.values, v.size)));
    dedupStore.append(arrays, index.slotMillis());
    Files.deleteIfExists(path);
    Fsync.directory(path.getParent());
    flushes.incrementAndGet();
    return bySlot;
  }

  private void retention() throws IOException {
    maintenance.enforceRetention();
    Instant now = clock.instant();
    long oldest;
    synchronized (dedupLock) {
      index.expire(now);
      oldest = index.oldestLiveSlot(now);
    }
    dedupStore.expire(oldest, index.slotMillis());
  }

  /**
   * Stops accepting batches, writes everything acknowledged to the lake, and releases the data
   * directory.
   */
  @Override
  public void close() {
    synchronized (dedupLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "final flush failed; the write-ahead log will be replayed on the"
          + " next start", e);
    }
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      wal.close();
      writer.close();
    } catch (IOException | SQLException e) {
      LOG.log(Level.WARNING, "closing the collector failed", e);
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "releasing the data directory lock failed", e);
    }
  }
}
