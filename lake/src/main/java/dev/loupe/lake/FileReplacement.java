package dev.loupe.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Replaces some of a lake partition's Parquet files by one new file, so that a crash at any
 * instant neither loses nor doubles a row. Compaction and {@code loupe dedup --apply} both use it.
 *
 * <p>Protocol: the caller writes the new file to {@link Replacement#temp()} (a hidden name that
 * no {@code *.parquet} glob matches), then {@link Replacement#commit()} writes and fsyncs an
 * intent ({@code state/compaction/<id>.intent}: the target, the temporary file, the sources, then
 * {@code end}), renames the temporary file to the target, deletes the sources, and deletes the
 * intent. {@link #recover} finishes an interrupted commit (target present: delete the remaining
 * sources) or undoes it (target absent: delete the temporary file). Only the listed sources are
 * deleted, so a file the collector adds to the partition meanwhile is kept. Between the rename
 * and the deletions a reader may see both the new file and its sources.
 *
 * <p>Commits and recovery hold the lake's rewrite lock ({@code state/rewrite.lock}, a file lock
 * between processes plus a lock within this JVM) exclusively, so recovery only ever sees intents
 * of commits that died, and two rewriters never delete each other's sources. A commit first checks
 * that every source still exists: if one is gone (compacted or deleted meanwhile), nothing is
 * renamed and {@code commit} returns false, leaving the lake as it was.
 *
 * <p>A reader whose result is kept (a daily report, materialized sessions) holds the same lock
 * shared ({@link #lockForReading}) while it reads, so that no commit, in this process or another,
 * shows it a new file beside the sources it replaces (rows counted twice). Readers do not block
 * each other; a commit waits for them ({@link Replacement#commit}) or, for compaction, gives up
 * until its next round ({@link Replacement#commitUnlessBusy}).
 */
public final class FileReplacement {

  private static final ConcurrentHashMap<Path, LakeLock> LOCKS = new ConcurrentHashMap<>();

  private FileReplacement() {}

  /** A replacement being prepared: write the new file to {@link #temp()}, then {@link #commit()}. */
  public static final class Replacement {
    private final LakeLayout layout;
    private final String id;
    private final Path partition;
    private final Path target;
    private final Path temp;
    private final List<Path> sources;

    private Replacement(LakeLayout layout, Path partition, String prefix, List<Path> sources) {
      this.layout = layout;
      this.id = UUID.randomUUID().toString();
      this.partition = partition;
      this.target = partition.resolve(prefix + "-" + id + ".parquet");
      this.temp = partition.resolve("." + prefix + "-" + id + ".parquet.tmp");
      this.sources = List.copyOf(sources);
    }

    /** Where the caller writes the new file (hidden from readers until the commit). */
    public Path temp() {
      return temp;
    }

    /** The name the new file gets in the partition. */
    public Path target() {
      return target;
    }

    /**
     * Publishes the new file and deletes the sources, under the rewrite lock (waiting for readers
     * and other rewriters to release it).
     *
     * @return false, with the temporary file deleted and nothing else changed, if a source no
     *     longer exists
     */
    public boolean commit() throws IOException {
      return commit(true);
    }

    /**
     * Like {@link #commit}, but if a reader or another rewriter holds the rewrite lock, deletes
     * the temporary file and returns false at once instead of waiting: for compaction, which runs
     * on the thread that also flushes and must not stall behind a long read.
     */
    public boolean commitUnlessBusy() throws IOException {
      return commit(false);
    }

    private boolean commit(boolean wait) throws IOException {
      if (!Files.exists(temp)) {
        throw new IllegalStateException("the new file was not written to " + temp);
      }
      Boolean done = withLock(layout, wait, () -> {
        for (Path s : sources) {
          if (!Files.exists(s)) {
            Files.deleteIfExists(temp);
            return false;
          }
        }
        Fsync.file(temp);
        Path intents = intents(layout);
        Files.createDirectories(intents);
        Path intent = intents.resolve(id + ".intent");
        List<String> lines = new ArrayList<>();
        lines.add(target.toString());
        lines.add(temp.toString());
        sources.forEach(p -> lines.add(p.toString()));
        lines.add("end");
        Files.write(intent, lines, StandardCharsets.UTF_8);
        Fsync.file(intent);
        Fsync.directory(intents);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(partition);
        for (Path s : sources) {
          Files.deleteIfExists(s);
        }
        Fsync.directory(partition);
        Files.deleteIfExists(intent);
        return true;
      });
      if (done == null) {
        Files.deleteIfExists(temp);
        return false;
      }
      return done;
    }

    /** Deletes the temporary file of a replacement that will not be committed. */
    public void abandon() throws IOException {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Starts replacing {@code sources} (files of {@code partition}) by one new file named
   * {@code <prefix>-<uuid>.parquet}.
   */
  public static Replacement prepare(LakeLayout layout, Path partition, String prefix, List<Path> sources) {
    for (Path s : sources) {
      if (!partition.equals(s.getParent())) {
        throw new IllegalArgumentException("source " + s + " is not a file of partition " + partition);
      }
    }
    return new Replacement(layout, partition, prefix, sources);
  }

  /**
   * Deletes the hidden temporary files that replacements made with {@code prefix} left in the
   * event partitions when killed before their commit; call it only while no such replacement is
   * in progress.
   */
  public static void deleteTemporaryFiles(LakeLayout layout, String prefix) throws IOException {
    if (!Files.isDirectory(layout.events())) {
      return;
    }
    String start = "." + prefix + "-";
    try (Stream<Path> files = Files.walk(layout.events(), 3)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(start) && name.endsWith(".parquet.tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Finishes or undoes the replacements a killed process left half done (waits for the rewrite
   * lock). Returns how many intents it resolved.
   */
  public static int recover(LakeLayout layout) throws IOException {
    return withLock(layout, true, () -> recoverLocked(intents(layout)));
  }

  /**
   * Takes the rewrite lock shared, for a read that must see the lake's files unchanged by any
   * replacement until {@link Reading#close}, which the same thread must call (try-with-resources).
   * Waits while a commit runs. A lake whose directory does not exist, or where this process may
   * not create the lock file, is read without the lock (this process cannot rewrite it either).
   */
  public static Reading lockForReading(LakeLayout layout) throws IOException {
    if (!Files.isDirectory(layout.root())) {
      return new Reading(null);
    }
    LakeLock l = lakeLock(layout);
    l.jvm.readLock().lock();
    try {
      synchronized (l) {
        if (l.readers == 0) {
          FileChannel ch;
          try {
            Files.createDirectories(l.file.getParent());
            ch = FileChannel.open(l.file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          } catch (FileSystemException e) { // not ours to write (access denied, read-only file system)
            l.jvm.readLock().unlock();
            return new Reading(null);
          }
          try {
            ch.lock(0, Long.MAX_VALUE, true); // held until the channel closes
          } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
          }
          l.sharedChannel = ch;
        }
        l.readers++;
      }
      return new Reading(l);
    } catch (IOException | RuntimeException e) {
      l.jvm.readLock().unlock();
      throw e;
    }
  }

  /** A held shared rewrite lock; {@link #close} releases it. */
  public static final class Reading implements AutoCloseable {
    private LakeLock lock;

    private Reading(LakeLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() throws IOException {
      LakeLock l = lock;
      if (l == null) {
        return;
      }
      lock = null;
      try {
        synchronized (l) {
          if (--l.readers == 0) {
            FileChannel ch = l.sharedChannel;
            l.sharedChannel = null;
            ch.close(); // releases the shared file lock
          }
        }
      } finally {
        l.jvm.readLock().unlock();
      }
    }
  }

  /** An action on the lake's files. */
  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code action} holding the rewrite lock exclusively; without {@code wait}, returns null
   * at once if a reader or rewriter (here or in another process) holds it.
   */
  private static <T> T withLock(LakeLayout layout, boolean wait, IoAction<T> action) throws IOException {
    LakeLock l = lakeLock(layout);
    Lock jvm = l.jvm.writeLock();
    if (wait) {
      jvm.lock();
    } else if (!jvm.tryLock()) {
      return null;
    }
    try {
      Files.createDirectories(l.file.getParent());
      try (FileChannel ch = FileChannel.open(l.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = wait ? ch.lock() : ch.tryLock()) {
        return lock == null ? null : action.run();
      }
    } finally {
      jvm.unlock();
    }
  }

  /**
   * The rewrite lock of one lake within this JVM: a read-write lock for its threads (the JVM
   * refuses two overlapping file locks of its own), and the shared file lock its readers hold
   * together, taken by the first and released by the last.
   */
  private static final class LakeLock {
    final Path file;
    final ReentrantReadWriteLock jvm = new ReentrantReadWriteLock();
    int readers;
    FileChannel sharedChannel;

    LakeLock(Path file) {
      this.file = file;
    }
  }

  private static LakeLock lakeLock(LakeLayout layout) {
    return LOCKS.computeIfAbsent(lockFile(layout), LakeLock::new);
  }

  private static Path lockFile(LakeLayout layout) {
    return layout.state().resolve("rewrite.lock").toAbsolutePath().normalize();
  }

  private static Path intents(LakeLayout layout) {
    return layout.state().resolve("compaction");
  }

  private static int recoverLocked(Path intents) throws IOException {
    if (!Files.isDirectory(intents)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(intents)) {
      files = s.filter(p -> p.toString().endsWith(".intent")).sorted().toList();
    }
    for (Path intent : files) {
      List<String> lines = Files.readAllLines(intent, StandardCharsets.UTF_8);
      if (lines.size() < 3 || !lines.get(lines.size() - 1).equals("end")) {
        Files.deleteIfExists(intent); // torn intent: nothing was renamed yet
        continue;
      }
      Path target = Path.of(lines.get(0));
      Path temp = Path.of(lines.get(1));
      if (Files.exists(target)) {
        for (String src : lines.subList(2, lines.size() - 1)) {
          Files.deleteIfExists(Path.of(src));
        }
      } else {
        Files.deleteIfExists(temp);
      }
      if (Files.isDirectory(target.getParent())) {
        Fsync.directory(target.getParent());
      }
      Files.deleteIfExists(intent);
    }
    return files.size();
  }
}
