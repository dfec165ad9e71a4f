package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlSandboxTest {

  @TempDir Path dir;
  LakeLayout lake;

  @BeforeEach
  void lake() throws Exception {
    lake = LakeLayout.of(dir);
    try (Connection c = TestDatabases.duckdb()) {
      SessionStoreTest.writeLake(c, lake, "IS NOT NULL", "a");
    }
    Files.createDirectories(lake.wal());
    Files.writeString(lake.wal().resolve("segment-1.wal"), "secret,wal\n1,2\n");
    Files.createDirectories(lake.state());
    Files.writeString(lake.state().resolve("keys.csv"), "read_key\nhunter2\n");
  }

  private void refused(String sql, String message) throws SQLException {
    try (SqlSandbox s = SqlSandbox.open(lake)) {
      assertThatThrownBy(() -> s.query(sql)).as(sql).isInstanceOf(QueryRefusedException.class).hasMessage(message);
    }
  }

  @Test
  void query_readsTheViews() throws Exception {
    try (Connection c = TestDatabases.duckdb()) {
      SessionStore.of(lake, Sessions.withDefaults()).refresh(c, false);
    }
    try (SqlSandbox s = SqlSandbox.open(lake)) {
      assertThat(s.query("SELECT count(*) FROM events").rows()).containsExactly(List.of(1063L));
      assertThat(s.query("SELECT count(*) FROM sessions WHERE user_id = '101'").rows()).containsExactly(List.of(3L));
      assertThat(s.query("SELECT count(*) FROM rejected").rows()).containsExactly(List.of(0L));
      assertThat(s.query("SELECT count(*) FROM daily_reports").rows()).containsExactly(List.of(0L));
      assertThat(s.query("DESCRIBE events").rows()).hasSize(7);
      assertThat(s.query("SELECT 'a;b' AS x; -- a comment; with a semicolon").rows()).containsExactly(List.of("a;b"));
      assertThat(s.query("SELECT count(*) FROM read_parquet('" + lake.events() + "/*/*/*.parquet')").rows())
          .containsExactly(List.of(1063L));
    }
  }

  @Test
  void query_refusesFilesOutsideTheLake() throws Exception {
    refused("SELECT * FROM read_csv('/etc/passwd')",
        "the query reaches /etc/passwd, outside the lake: the sandbox reads only the views events, rejected, sessions, daily_reports");
    refused("SELECT * FROM read_text('" + lake.events() + "/../wal/segment-1.wal')",
        "the query reaches " + lake.events() + "/../wal/segment-1.wal, outside the lake: the sandbox reads only the views"
            + " events, rejected, sessions, daily_reports");
    refused("SELECT * FROM read_csv('" + lake.state() + "/keys.csv')",
        "the query reaches " + lake.state() + "/keys.csv, outside the lake: the sandbox reads only the views events,"
            + " rejected, sessions, daily_reports");
    refused("FROM glob('/root/*')",
        "the query reaches /root/*, outside the lake: the sandbox reads only the views events, rejected, sessions, daily_reports");
    refused("SELECT * FROM read_parquet('https://example.com/x.parquet')",
        "the query reaches https://example.com/x.parquet, outside the lake: the sandbox reads only the views events,"
            + " rejected, sessions, daily_reports");
  }

  @Test
  void query_refusesStatementsThatAreNotQueries() throws Exception {
    Path out = lake.events().resolve("stolen.csv");
    refused("COPY (SELECT * FROM events) TO '" + out + "'",
        "COPY is refused: the sandbox neither reads nor writes files; query the views events, rejected, sessions, daily_reports");
    assertThat(out).doesNotExist();
    refused("/* hidden */ copy events TO '/tmp/x.csv'",
        "COPY is refused: the sandbox neither reads nor writes files; query the views events, rejected, sessions, daily_reports");
    refused("EXPORT DATABASE '/tmp/x'",
        "EXPORT is refused: the sandbox neither reads nor writes files; query the views events, rejected, sessions, daily_reports");
    refused("ATTACH '/tmp/other.db' AS other",
        "ATTACH is refused: the sandbox reads only the lake's views (events, rejected, sessions, daily_reports)");
    refused("INSTALL httpfs", "INSTALL is refused: extensions cannot be installed or loaded in the sandbox");
    refused("load httpfs", "LOAD is refused: extensions cannot be installed or loaded in the sandbox");
    refused("SET enable_external_access = true", "SET is refused: the sandbox's settings are fixed");
    refused("RESET lock_configuration", "RESET is refused: the sandbox's settings are fixed");
    refused("PRAGMA enable_profiling", "PRAGMA is refused: the sandbox's settings are fixed");
    refused("CREATE TABLE t AS SELECT 1", "CREATE is refused: the sandbox is read-only; only SELECT queries run");
    refused("DROP VIEW events", "DROP is refused: the sandbox is read-only; only SELECT queries run");
    refused("(DELETE FROM events)", "DELETE is refused: the sandbox is read-only; only SELECT queries run");
    refused("CALL duckdb_settings()", "CALL is refused: the sandbox is read-only; only SELECT queries run");
    refused("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
        "the sandbox is read-only; only SELECT queries run (this statement is not a SELECT)");
  }

  @Test
  void query_refusesMultipleOrNoStatements() throws Exception {
    refused("SELECT 1; DROP VIEW events", "query has 2 statements but the sandbox runs exactly one per request");
    refused("SELECT 1; SELECT 2;", "query has 2 statements but the sandbox runs exactly one per request");
    refused("SELECT 'x'';'; ATTACH 'y'", "query has 2 statements but the sandbox runs exactly one per request");
    refused("  -- nothing\n ; ", "query is empty: give one SQL statement such as SELECT count(*) FROM events");
    try (SqlSandbox s = SqlSandbox.open(lake)) {
      assertThatThrownBy(() -> s.query("SELECT * FROM query('ATTACH ''/tmp/x.db''')")).isInstanceOf(SQLException.class)
          .hasMessageContaining("Expected a single SELECT statement");
      assertThat(s.query("SELECT count(*) FROM duckdb_databases() WHERE NOT internal").rows()).containsExactly(List.of(1L));
    }
  }

  @Test
  void query_stopsAtTheTimeLimitAndTruncatesAtTheRowLimit() throws Exception {
    try (SqlSandbox s = SqlSandbox.open(lake, Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.query("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3"))
          .isInstanceOf(QueryRefusedException.class)
          .hasMessage("query ran longer than the time limit of 300 ms and was stopped");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      QueryResult r = s.query("SELECT * FROM range(100)", 10);
      assertThat(r.rows()).hasSize(10);
      assertThat(r.truncated()).isTrue();
      assertThat(s.query("SELECT 1", 10).truncated()).isFalse();
    }
    assertThatThrownBy(() -> SqlSandbox.open(lake, Duration.ZERO)).hasMessage("--time-limit must be more than 0 but was PT0S");
  }
}
