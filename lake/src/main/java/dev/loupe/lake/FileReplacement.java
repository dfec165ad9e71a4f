package dev.loupe.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
 * between processes plus a lock within this JVM), so recovery only ever sees intents of commits
 * that died, and two rewriters never delete each other's sources. A commit first checks that every
 * source still exists: if one is gone (compacted or deleted meanwhile), nothing is renamed and
 * {@code commit} returns false, leaving the lake as it was.
 */
public final class FileReplacement {

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

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
     * Publishes the new file and deletes the sources, under the rewrite lock.
     *
     * @return false, with the temporary file deleted and nothing else changed, if a source no
     *     longer exists
     */
    public boolean commit() throws IOException {
      if (!Files.exists(temp)) {
        throw new IllegalStateException("the new file was not written to " + temp);
      }
      return withLock(layout, () -> {
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
    return withLock(layout, () -> recoverLocked(intents(layout)));
  }

  /** An action on the lake's files. */
  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  private static <T> T withLock(LakeLayout layout, IoAction<T> action) throws IOException {
    ReentrantLock jvm = jvmLock(layout);
    jvm.lock();
    try (FileChannel ch = lockChannel(layout); FileLock lock = ch.lock()) {
      return action.run();
    } finally {
      jvm.unlock();
    }
  }

  private static ReentrantLock jvmLock(LakeLayout layout) {
    return JVM_LOCKS.computeIfAbsent(lockFile(layout), p -> new ReentrantLock());
  }

  private static FileChannel lockChannel(LakeLayout layout) throws IOException {
    Path file = lockFile(layout);
    Files.createDirectories(file.getParent());
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
