package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.lake.LakeLayout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeDedupTest {

  @TempDir Path dir;

  /**
   * raw_events.csv as lake events: versions of one key land in different event_type partitions;
   * received_at is the version (NULL for the NULL versions). One more day holds no duplicate.
   */
  private static void writeLake(Connection c, LakeLayout lake) throws Exception {
    String csv = FileSource.quote(TestDatabases.GOLDEN.resolve("raw_events.csv").toString());
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE lake_rows AS SELECT event_id, CAST(user_id AS VARCHAR) AS user_id,"
          + " 't' || (hash(event_data) % 3) AS event_type, created_at AS event_time, event_data AS properties,"
          + " updated_at AS received_at FROM read_csv(" + csv + ", header = true, types = {'updated_at': 'TIMESTAMP',"
          + " 'created_at': 'TIMESTAMP', 'event_data': 'VARCHAR'})"
          + " UNION ALL SELECT 'x' || i, 'u', 'other', TIMESTAMP '2024-03-02 10:00:00', '{}', TIMESTAMP '2024-03-02 10:00:00'"
          + " FROM range(5) t(i)");
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(event_time AS DATE), event_type FROM lake_rows")) {
        List<String[]> parts = new ArrayList<>();
        while (rs.next()) {
          parts.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        for (String[] p : parts) {
          Path target = lake.events().resolve("event_date=" + p[0]).resolve("event_type=" + p[1]);
          Files.createDirectories(target);
          st.execute("COPY (SELECT * FROM lake_rows WHERE CAST(event_time AS DATE) = DATE '" + p[0]
              + "' AND event_type = '" + p[1] + "') TO " + FileSource.quote(target.resolve("part-0.parquet").toString())
              + " (FORMAT parquet)");
        }
      }
    }
  }

  @Test
  void apply_rewritesOnlyAffectedPartitionsAndIsIdempotent() throws Exception {
    LakeLayout lake = LakeLayout.of(dir);
    Dedup dedup = Dedup.of("event_id", "received_at");
    try (Connection c = TestDatabases.duckdb()) {
      writeLake(c, lake);
      Path untouched = lake.events().resolve("event_date=2024-03-02/event_type=other/part-0.parquet");
      long untouchedModified = Files.getLastModifiedTime(untouched).toMillis();
      String events = LakeTables.events(lake);
      TreeSet<String> expected = rows(c, "SELECT event_id, properties FROM ("
          + dedup.latestSql(Dialect.DUCKDB, events, Names.columns(c, events)) + ") q");
      assertThat(expected).hasSize(47 + 5);

      List<String> progress = new ArrayList<>();
      DedupReport first = LakeDedup.of(lake, dedup).apply(c, progress::add);
      assertThat(first.rowsIn()).isEqualTo(103 + 5);
      assertThat(first.removed()).isEqualTo(103 - 47);
      assertThat(first.tiesAtLatest()).isEqualTo(4);
      assertThat(progress).isNotEmpty().allMatch(p -> p.startsWith("rewrote events/event_date=2024-03-01/event_type=t"));
      assertThat(rows(c, "SELECT event_id, properties FROM " + LakeTables.events(lake))).isEqualTo(expected);
      assertThat(Files.getLastModifiedTime(untouched).toMillis()).isEqualTo(untouchedModified);
      try (Stream<Path> left = Files.walk(lake.root())) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .as("temporary files or intents left behind")
            .noneMatch(n -> n.startsWith(".") || n.endsWith(".intent"));
      }

      progress.clear();
      DedupReport second = LakeDedup.of(lake, dedup).apply(c, progress::add);
      assertThat(second.removed()).isZero();
      assertThat(second.duplicateKeys()).isZero();
      assertThat(progress).isEmpty();
    }
  }

  @Test
  void apply_sweepsAKilledRunsTemporaryFile_andRefusesToRunTwiceAtOnce() throws Exception {
    LakeLayout lake = LakeLayout.of(dir);
    Dedup dedup = Dedup.of("event_id", "received_at");
    try (Connection c = TestDatabases.duckdb()) {
      writeLake(c, lake);
      Path partition = lake.events().resolve("event_date=2024-03-02/event_type=other");
      Path stray = Files.writeString(partition.resolve(".d-killed.parquet.tmp"), "half written");

      Files.createDirectories(lake.state());
      try (FileChannel ch = FileChannel.open(lake.state().resolve("dedup.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock held = ch.lock()) {
        assertThatThrownBy(() -> LakeDedup.of(lake, dedup).apply(c, p -> { }))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("another dedup --apply is running on the lake at " + lake.root())
            .hasMessageContaining("run one at a time");
        assertThat(stray).exists();
      }

      DedupReport r = LakeDedup.of(lake, dedup).apply(c, p -> { });
      assertThat(r.removed()).isEqualTo(103 - 47);
      assertThat(stray).doesNotExist();
    }
  }

  @Test
  void writeLatest_writesCsvAndParquetAndRejectsOtherNames() throws Exception {
    Dedup dedup = Dedup.of("event_id", "updated_at");
    try (Connection c = TestDatabases.duckdb()) {
      TestDatabases.load(c, Dialect.DUCKDB, "raw_events", TestDatabases.RAW_EVENTS, TestDatabases.GOLDEN.resolve("raw_events.csv"));
      assertThat(dedup.writeLatest(c, "raw_events", dir.resolve("out.parquet"))).isEqualTo(47);
      assertThat(dedup.writeLatest(c, "raw_events", dir.resolve("out.csv"))).isEqualTo(47);
      assertThat(Files.readAllLines(dir.resolve("out.csv"))).hasSize(48);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> dedup.writeLatest(c, "raw_events", dir.resolve("out.json")))
          .hasMessage("--output must end in .csv or .parquet but was " + dir.resolve("out.json"));
    }
  }

  private static TreeSet<String> rows(Connection c, String sql) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        assertThat(out.add(rs.getString(1) + " " + rs.getString(2))).isTrue();
      }
    }
    return out;
  }
}
