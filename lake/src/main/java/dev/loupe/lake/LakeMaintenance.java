package dev.loupe.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compaction, retention and file statistics of the lake. Runs on the collector's maintenance
 * thread only (the same thread that flushes), so it never races a segment being written.
 *
 * <p><b>Compaction</b> merges the small files of a partition (at least
 * {@link LoupeConfig#compactionMinFiles()} files below
 * {@link LoupeConfig#compactionSmallFileBytes()}) into one {@code c-<uuid>.parquet}, sorted by
 * time, through {@link FileReplacement} (an fsync'ed intent, a hidden temporary file renamed into
 * place, then the sources deleted), so a crash at any point neither loses nor doubles a row;
 * {@link #recover()} finishes or undoes an interrupted replacement.
 *
 * <p><b>Retention</b> deletes {@code events/event_date=D} and {@code rejected/received_date=D}
 * directories whose D is before today (UTC) minus the retention.
 */
final class LakeMaintenance {

  /** Compacted files are named {@code c-<uuid>.parquet}. */
  private static final String COMPACTED_PREFIX = "c";

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

  /**
   * Finishes or undoes compactions (and lake rewrites) a killed process left half done, and
   * deletes the hidden temporary files of compactions killed before their commit (only this
   * collector compacts, so none is in progress now).
   */
  void recover() throws IOException {
    FileReplacement.recover(layout);
    FileReplacement.deleteTemporaryFiles(layout, COMPACTED_PREFIX);
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
    FileReplacement.Replacement r = FileReplacement.prepare(layout, partition, COMPACTED_PREFIX, small);
    String list = small.stream().map(LakeWriter::quote).collect(Collectors.joining(", ", "[", "]"));
    String order = partition.getParent().equals(layout.root().resolve("rejected"))
        || partition.getParent().equals(layout.rejected()) ? "received_at" : "event_time";
    try (Statement st = db.createStatement()) {
      st.execute("COPY (SELECT * FROM read_parquet(" + list + ", hive_partitioning = false)"
          + " ORDER BY " + order + ") TO " + LakeWriter.quote(r.temp())
          + " (FORMAT parquet, COMPRESSION zstd)");
    } catch (SQLException e) {
      r.abandon();
      throw e;
    }
    if (!r.commitUnlessBusy()) {
      return false; // a source went away meanwhile (a concurrent rewrite), or another process is
                    // reading the lake for a kept result: try again next round
    }
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
          LakeFiles.deleteTree(p);
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
