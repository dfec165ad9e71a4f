package dev.loupe.sql;

import dev.loupe.lake.FileReplacement;
import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Removes older versions from the lake's events by rewriting only the partitions that hold a
 * losing row, with {@link Dedup}'s rule.
 *
 * <p>The files of each affected partition ({@code event_date=…/event_type=…}) are rewritten into
 * one new Parquet file that replaces exactly them through {@link FileReplacement}: crash-safe (an
 * fsync'ed intent, finished or undone by the next collector start or {@code dedup --apply}), and
 * files the collector adds to the partition meanwhile are kept. If one of the files read was
 * compacted or removed before the swap, that partition is left alone and reported (run again).
 * A second run removes nothing. One run at a time per lake ({@code state/dedup.lock}); each run first
 * deletes the hidden new files that a run killed before its commit left behind.
 */
public final class LakeDedup {

  /** Rewritten files are named {@code d-<uuid>.parquet}. */
  private static final String REWRITTEN_PREFIX = "d";

  private final LakeLayout lake;
  private final Dedup dedup;

  private LakeDedup(LakeLayout lake, Dedup dedup) {
    this.lake = lake;
    this.dedup = dedup;
  }

  public static LakeDedup of(LakeLayout lake, Dedup dedup) {
    return new LakeDedup(lake, dedup);
  }

  /**
   * Removes the losing rows; reports each rewritten (or skipped) partition to {@code progress}.
   *
   * @return the analysis before removal, with {@code removed} set
   */
  public DedupReport apply(Connection duck, Consumer<String> progress) throws SQLException {
    Path lockFile = lake.state().resolve("dedup.lock");
    try {
      Files.createDirectories(lake.state());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = tryLock(ch)) {
        if (lock == null) {
          throw new IllegalStateException("another dedup --apply is running on the lake at " + lake.root()
              + " (" + lockFile + " is locked); run one at a time");
        }
        // the hidden new files of earlier runs killed before their commit (none is in progress)
        FileReplacement.deleteTemporaryFiles(lake, REWRITTEN_PREFIX);
        return doApply(duck, progress);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another apply in this JVM
    }
  }

  private DedupReport doApply(Connection duck, Consumer<String> progress) throws SQLException, IOException {
    FileReplacement.recover(lake);
    Dialect d = Dialect.DUCKDB;
    String events = LakeTables.events(lake);
    DedupReport before = dedup.analyze(duck, d, events);
    Map<String, Integer> columns = Names.columns(duck, events);
    String glob = FileSource.quote(lake.events().resolve("*/*/*.parquet").toString());
    String k = d.quote(dedup.key());
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE loupe_losers AS SELECT loupe_file, loupe_row FROM (SELECT s.filename AS loupe_file,"
          + " s.file_row_number AS loupe_row, ROW_NUMBER() OVER (PARTITION BY s." + k + " ORDER BY "
          + dedup.ranking(d, columns, "s") + ") AS loupe_rn FROM read_parquet(" + glob
          + ", hive_partitioning = true, union_by_name = true, filename = true, file_row_number = true) AS s"
          + " WHERE s." + k + " IN (SELECT " + k + " FROM " + events + " GROUP BY " + k + " HAVING COUNT(*) > 1)) AS r"
          + " WHERE loupe_rn > 1");
      TreeSet<Path> partitions = new TreeSet<>();
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT loupe_file FROM loupe_losers")) {
        while (rs.next()) {
          partitions.add(Path.of(rs.getString(1)).getParent());
        }
      }
      long removed = 0;
      try {
        for (Path partition : partitions) {
          List<Path> files = parquetFiles(partition);
          List<String> quoted = files.stream().map(f -> FileSource.quote(f.toString())).toList();
          String read = "read_parquet([" + String.join(", ", quoted) + "], hive_partitioning = false, union_by_name = true,"
              + " filename = true, file_row_number = true)";
          long losers;
          try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM loupe_losers WHERE loupe_file IN (" + String.join(", ", quoted) + ")")) {
            rs.next();
            losers = rs.getLong(1);
          }
          if (losers == 0) {
            continue; // its files were compacted since the losers were found: run again
          }
          FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, REWRITTEN_PREFIX, files);
          try {
            st.execute("COPY (SELECT * EXCLUDE (filename, file_row_number) FROM " + read + " AS s WHERE NOT EXISTS"
                + " (SELECT 1 FROM loupe_losers l WHERE l.loupe_file = s.filename AND l.loupe_row = s.file_row_number)) TO "
                + FileSource.quote(r.temp().toString()) + " (FORMAT parquet, COMPRESSION zstd)");
          } catch (SQLException e) {
            r.abandon();
            throw e;
          }
          if (!r.commit()) {
            progress.accept("skipped " + lake.root().relativize(partition) + ": files changed while rewriting; run again");
            continue;
          }
          removed += losers;
          progress.accept("rewrote " + lake.root().relativize(partition) + ": removed " + losers + " rows");
        }
      } finally {
        st.execute("DROP TABLE IF EXISTS loupe_losers");
      }
      return before.withRemoved(removed);
    }
  }

  private static List<Path> parquetFiles(Path partition) throws IOException {
    try (Stream<Path> files = Files.list(partition)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
  }
}
