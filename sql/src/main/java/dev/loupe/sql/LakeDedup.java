package dev.loupe.sql;

import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Removes older versions from the lake's events by rewriting only the partitions that hold a
 * losing row, with {@link Dedup}'s rule.
 *
 * <p>Each affected partition ({@code event_date=…/event_type=…}) is rewritten into one new Parquet
 * file in a staging directory, then swapped in by two directory renames, so a reader never sees a
 * half-written partition (for the instant between the renames, the partition is absent). Right before the swap the partition's file list is compared with the one
 * that was read: if the collector added a file meanwhile, that partition is left alone and reported
 * (run again). A second run removes nothing.
 */
public final class LakeDedup {

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
    try {
      return doApply(duck, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DedupReport doApply(Connection duck, Consumer<String> progress) throws SQLException, IOException {
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
      Path staging = lake.state().resolve("dedup-staging-" + UUID.randomUUID());
      try {
        for (Path partition : partitions) {
          List<String> files = parquetFiles(partition);
          Path staged = staging.resolve(partition.getParent().getFileName() + "/" + partition.getFileName());
          Files.createDirectories(staged);
          List<String> quoted = files.stream().map(FileSource::quote).toList();
          String read = "read_parquet([" + String.join(", ", quoted) + "], hive_partitioning = false, union_by_name = true,"
              + " filename = true, file_row_number = true)";
          long losers;
          try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM loupe_losers WHERE loupe_file IN (" + String.join(", ", quoted) + ")")) {
            rs.next();
            losers = rs.getLong(1);
          }
          st.execute("COPY (SELECT * EXCLUDE (filename, file_row_number) FROM " + read + " AS s WHERE NOT EXISTS"
              + " (SELECT 1 FROM loupe_losers l WHERE l.loupe_file = s.filename AND l.loupe_row = s.file_row_number)) TO "
              + FileSource.quote(staged.resolve("dedup-" + UUID.randomUUID() + ".parquet").toString()) + " (FORMAT parquet)");
          if (!parquetFiles(partition).equals(files)) {
            progress.accept("skipped " + lake.root().relativize(partition) + ": files changed while rewriting; run again");
            continue;
          }
          Path old = staging.resolve("old-" + UUID.randomUUID());
          Files.move(partition, old, StandardCopyOption.ATOMIC_MOVE);
          Files.move(staged, partition, StandardCopyOption.ATOMIC_MOVE);
          SessionStore.deleteTree(old);
          removed += losers;
          progress.accept("rewrote " + lake.root().relativize(partition) + ": removed " + losers + " rows");
        }
      } finally {
        SessionStore.deleteTree(staging);
        st.execute("DROP TABLE IF EXISTS loupe_losers");
      }
      return before.withRemoved(removed);
    }
  }

  private static List<String> parquetFiles(Path partition) throws IOException {
    try (Stream<Path> files = Files.list(partition)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
    }
  }
}
