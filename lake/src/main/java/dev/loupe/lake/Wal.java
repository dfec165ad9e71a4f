package dev.loupe.lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The write-ahead log: segment files {@code wal/<start-micros>.wal} of {@link WalCodec} frames.
 *
 * <p><b>Group commit.</b> One writer thread takes every record queued since its last fsync,
 * writes them in queue order, calls {@code fdatasync} once, and only then completes their
 * futures. Concurrent requests therefore share fsyncs, which is how many small acknowledged
 * batches reach a high rate. A record's position in the queue is taken by {@link #reserve()}
 * (cheap, done under the collector's dedup lock) and its bytes are supplied later, so encoding
 * runs on the request threads in parallel while queue order still equals dedup order.
 *
 * <p>After an I/O error (or an Error such as OutOfMemoryError) the log is failed: every pending
 * and later record fails, and the process must restart (the acknowledged records are on disk and
 * will be replayed).
 */
final class Wal implements Closeable {

  static final String SUFFIX = ".wal";

  /** A closed or open segment. */
  record Segment(Path path, String name, long bytes, Instant firstAppendAt) {}

  /** A queued record: its bytes arrive later; {@code durable} completes after the fsync. */
  static final class Ticket {
    private final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    private final CompletableFuture<Void> durable = new CompletableFuture<>();
    private final Instant at;

    private Ticket(Instant at) {
      this.at = at;
    }

    /** Supplies the record (empty: nothing to write, only wait for earlier records). */
    void fill(byte[] frame) {
      bytes.complete(frame);
    }

    /** Withdraws the record (encoding failed): nothing is written for it. */
    void cancel(Throwable why) {
      bytes.completeExceptionally(why);
    }

    CompletableFuture<Void> durable() {
      return durable;
    }
  }

  private static final Object ROTATE = new Object();

  private final Path dir;
  private final Clock clock;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final List<CompletableFuture<Segment>> rotations = new ArrayList<>();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final Thread writer;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private FileChannel channel;
  private Path currentPath;
  private String currentName;
  private long currentBytes;
  private volatile Instant currentFirstAppend;
  private long lastMicros;

  private Wal(Path dir, Clock clock, long afterMicros) throws IOException {
    this.dir = dir;
    this.clock = clock;
    this.lastMicros = afterMicros;
    Files.createDirectories(dir);
    openSegment();
    writer = new Thread(this::writeLoop, "loupe-wal-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Opens a new segment after any existing ones (which the caller replays). */
  static Wal open(Path dir, Clock clock) throws IOException {
    long after = 0;
    for (Path p : segments(dir)) {
      after = Math.max(after, micros(p));
    }
    return new Wal(dir, clock, after);
  }

  /** Existing segments, oldest first. */
  static List<Path> segments(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted()
          .toList();
    }
  }

  static String nameOf(Path segment) {
    String f = segment.getFileName().toString();
    return f.substring(0, f.length() - SUFFIX.length());
  }

  private static long micros(Path segment) {
    try {
      return Long.parseLong(nameOf(segment));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Takes the next place in the log. The caller must {@link Ticket#fill} or cancel it. */
  Ticket reserve() {
    Throwable f = failure;
    if (f != null) {
      throw new UncheckedIOException(new IOException("write-ahead log failed: " + f.getMessage(), f));
    }
    Ticket t = new Ticket(clock.instant());
    queue.add(t);
    return t;
  }

  /** Closes the current segment and starts a new one; null if the current one is empty. */
  CompletableFuture<Segment> rotate() {
    CompletableFuture<Segment> f = new CompletableFuture<>();
    synchronized (rotations) {
      rotations.add(f);
    }
    queue.add(ROTATE);
    return f;
  }

  /** Bytes in segments not yet handed out by {@link #rotate()}. */
  long currentBytes() {
    return bytesWritten.get();
  }

  /** When the first record of the open segment was reserved, or null if it is empty. */
  Instant currentFirstAppend() {
    return currentFirstAppend;
  }

  boolean failed() {
    return failure != null;
  }

  private void writeLoop() {
    List<Object> group = new ArrayList<>();
    List<Ticket> waiting = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Object first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.clear();
        group.add(first);
        queue.drainTo(group, 10_000);
        for (Object op : group) {
          if (op == ROTATE) {
            sync(waiting);
            completeRotation();
          } else {
            Ticket t = (Ticket) op;
            if (failure != null) {
              t.durable.completeExceptionally(failure);
              continue;
            }
            byte[] frame;
            try {
              frame = t.bytes.join();
            } catch (RuntimeException e) {
              continue; // cancelled by its owner: nothing to write
            }
            if (frame.length > 0) {
              if (currentFirstAppend == null) {
                currentFirstAppend = t.at;
              }
              ByteBuffer b = ByteBuffer.wrap(frame);
              while (b.hasRemaining()) {
                channel.write(b);
              }
              currentBytes += frame.length;
              bytesWritten.addAndGet(frame.length);
            }
            waiting.add(t);
          }
        }
        sync(waiting);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException | Error e) {
        // an Error (OutOfMemoryError) fails the log too: the writer must not die with records
        // waiting, which would leave their requests and every later one hanging
        fail(e, waiting);
      }
    }
  }

  private void sync(List<Ticket> waiting) throws IOException {
    if (waiting.isEmpty()) {
      return;
    }
    if (failure == null) {
      channel.force(false);
    }
    for (Ticket t : waiting) {
      if (failure == null) {
        t.durable.complete(null);
      } else {
        t.durable.completeExceptionally(failure);
      }
    }
    waiting.clear();
  }

  private void completeRotation() throws IOException {
    List<CompletableFuture<Segment>> done;
    synchronized (rotations) {
      done = List.copyOf(rotations);
      rotations.clear();
    }
    Segment closed = null;
    if (currentBytes > 0 && failure == null) {
      channel.force(false);
      channel.close();
      closed = new Segment(currentPath, currentName, currentBytes, currentFirstAppend);
      openSegment();
    }
    for (CompletableFuture<Segment> f : done) {
      f.complete(closed);
    }
  }

  private void openSegment() throws IOException {
    long micros = Math.max(lastMicros + 1, WalCodec.micros(clock.instant()));
    lastMicros = micros;
    currentName = String.format("%020d", micros);
    currentPath = dir.resolve(currentName + SUFFIX);
    channel = FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    currentBytes = 0;
    currentFirstAppend = null;
    bytesWritten.set(0);
    Fsync.directory(dir);
  }

  private void fail(Throwable e, List<Ticket> waiting) {
    if (failure == null) {
      failure = e;
    }
    for (Ticket t : waiting) {
      t.durable.completeExceptionally(e);
    }
    waiting.clear();
    Object op;
    while ((op = queue.poll()) != null) {
      if (op instanceof Ticket t) {
        t.durable.completeExceptionally(e);
      }
    }
    synchronized (rotations) {
      for (CompletableFuture<Segment> f : rotations) {
        f.completeExceptionally(e);
      }
      rotations.clear();
    }
  }

  /** Stops the writer after the queued records are written; the open segment stays on disk. */
  @Override
  public void close() throws IOException {
    running = false;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
    if (currentBytes == 0) {
      Files.deleteIfExists(currentPath);
    }
  }
}
