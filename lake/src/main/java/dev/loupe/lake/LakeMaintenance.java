package dev.loupe.lake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compaction, retention and file statistics of the lake. Runs on the collector's maintenance
 * thread only (the same thread that flushes), so it never races a segment being written.
 *
 * <p><b>Compaction</b> merges the small files of a partition (at least
 * {@link LoupeConfig#compactionMinFiles()} files below
 * {@link LoupeConfig#compactionSmallFileBytes()}) into one {@code c-<uuid>.parquet}, sorted by
 * time. Crash safety: an intent file {@code state/compaction/<uuid>.intent} (the new file's path,
 * then the sources) is written and fsync'ed first; the merged file is written under a hidden
 * temporary name and renamed; then the sources are deleted, then the intent. {@link #recover()}
 * finishes or undoes an interrupted compaction: if the merged file exists the remaining sources
 * are deleted, otherwise the temporary file is. Rows are never lost nor doubled.
 *
 * <p><b>Retention</b> deletes {@code events/event_date=D} and {@code rejected/received_date=D}
 * directories whose D is before today (UTC) minus the retention.
 */
final class LakeMaintenance {

  private final LoupeConfig config;
  private final LakeLayout layout;
  private final Connection db;
  private final Clock clock;
  private final Path intents;
  private volatile long lakeFiles;
  private volatile long lakeBytes;
  private volatile long compactions;

  LakeMaintenance(LoupeConfig config, Connection db, Clock clock) {
    this.config = config;
    this.layout = config.layout();
    this.db = db;
    this.clock = clock;
    this.intents = layout.state().resolve("compaction");
  }

  long lakeFiles() {
    return lakeFiles;
  }

  long lakeBytes() {
    return lakeBytes;
  }

  /** Accounts for files a flush published (cheaper than {@link #refreshStats()}). */
  void addPublished(long[] delta) {
    synchronized (this) {
      lakeFiles += delta[0];
      lakeBytes += delta[1];
    }
  }

  long compactions() {
    return compactions;
  }

  /** Finishes or undoes compactions a killed process left half done. */
  void recover() throws IOException {
    if (!Files.isDirectory(intents)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(intents)) {
      files = s.filter(p -> p.toString().endsWith(".intent")).toList();
    }
    for (Path intent : files) {
      List<String> lines = Files.readAllLines(intent, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("end")) {
        Files.deleteIfExists(intent); // the intent itself is torn: nothing was renamed yet
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
      Fsync.directory(target.getParent());
      Files.deleteIfExists(intent);
    }
  }

  /** Compacts every partition that has enough small files; returns how many were compacted. */
  int compactAll() throws IOException, SQLException {
    int n = 0;
    for (Path partition : partitions()) {
      if (compact(partition)) {
        n++;
      }
    }
    if (n > 0) {
      refreshStats();
    }
    return n;
  }

  private List<Path> partitions() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path date : children(layout.events())) {
      out.addAll(children(date));
    }
    out.addAll(children(layout.rejected()));
    return out;
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().contains("="))
          .sorted()
          .toList();
    }
  }

  private boolean compact(Path partition) throws IOException, SQLException {
    List<Path> small = new ArrayList<>();
    try (Stream<Path> s = Files.list(partition)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".parquet") && !name.startsWith(".")
            && Files.size(p) < config.compactionSmallFileBytes()) {
          small.add(p);
        }
      }
    }
    if (small.size() < config.compactionMinFiles()) {
      return false;
    }
    String id = UUID.randomUUID().toString();
    Path target = partition.resolve("c-" + id + ".parquet");
    Path temp = partition.resolve(".c-" + id + ".parquet.tmp");
    Files.createDirectories(intents);
    Path intent = intents.resolve(id + ".intent");
    List<String> lines = new ArrayList<>();
    lines.add(target.toString());
    lines.add(temp.toString());
    small.forEach(p -> lines.add(p.toString()));
    lines.add("end");
    Files.write(intent, lines, StandardCharsets.UTF_8);
    Fsync.file(intent);
    Fsync.directory(intents);
    String list = small.stream().map(LakeWriter::quote).collect(Collectors.joining(", ", "[", "]"));
    String order = partition.getParent().equals(layout.root().resolve("rejected"))
        || partition.getParent().equals(layout.rejected()) ? "received_at" : "event_time";
    try (Statement st = db.createStatement()) {
      st.execute("COPY (SELECT * FROM read_parquet(" + list + ", hive_partitioning = false)"
          + " ORDER BY " + order + ") TO " + LakeWriter.quote(temp)
          + " (FORMAT parquet, COMPRESSION zstd)");
    }
    Fsync.file(temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    Fsync.directory(partition);
    for (Path p : small) {
      Files.deleteIfExists(p);
    }
    Fsync.directory(partition);
    Files.deleteIfExists(intent);
    compactions++;
    return true;
  }

  /** Deletes partitions older than the retention; returns how many. */
  int enforceRetention() throws IOException {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate oldest = today.minusDays(config.retention().toDays());
    int n = 0;
    n += dropBefore(layout.events(), "event_date=", oldest);
    n += dropBefore(layout.rejected(), "received_date=", oldest);
    if (n > 0) {
      refreshStats();
    }
    return n;
  }

  private static int dropBefore(Path dir, String prefix, LocalDate oldest) throws IOException {
    int n = 0;
    for (Path p : children(dir)) {
      String name = p.getFileName().toString();
      if (!name.startsWith(prefix)) {
        continue;
      }
      try {
        LocalDate d = LocalDate.parse(name.substring(prefix.length()));
        if (d.isBefore(oldest)) {
          LakeWriter.deleteTree(p);
          n++;
        }
      } catch (DateTimeParseException e) {
        // not a partition Loupe wrote: leave it
      }
    }
    return n;
  }

  /** Recounts the Parquet files and bytes under events/ and rejected/. */
  void refreshStats() throws IOException {
    long files = 0;
    long bytes = 0;
    for (Path root : List.of(layout.events(), layout.rejected())) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.toString().endsWith(".parquet")) {
            files++;
            try {
              bytes += Files.size(p);
            } catch (IOException e) {
              // deleted meanwhile
            }
          }
        }
      }
    }
    synchronized (this) {
      lakeFiles = files;
      lakeBytes = bytes;
    }
  }
}
