package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

  @TempDir Path dir;

  /** Writes golden user_events.csv rows whose day satisfies the condition into the lake. */
  static void writeLake(Connection c, LakeLayout lake, String dayCondition, String part) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("COPY (SELECT CAST(event_id AS VARCHAR) AS event_id, CAST(user_id AS VARCHAR) AS user_id, event_type,"
          + " event_time, '{}' AS properties, event_time AS received_at, CAST(event_time AS DATE) AS event_date,"
          + " event_type AS et FROM read_csv(" + FileSource.quote(TestDatabases.GOLDEN.resolve("user_events.csv").toString())
          + ", header = true, types = {'event_time': 'TIMESTAMP'}) WHERE CAST(event_time AS DATE) " + dayCondition + ") TO "
          + FileSource.quote(lake.events().toString())
          + " (FORMAT parquet, PARTITION_BY (event_date, et), OVERWRITE_OR_IGNORE, FILENAME_PATTERN '" + part + "_{i}')");
    }
    // Hive directories are event_type=NAME: rename the et= directories the COPY wrote.
    try (var days = java.nio.file.Files.list(lake.events())) {
      for (Path day : days.toList()) {
        try (var types = java.nio.file.Files.list(day)) {
          for (Path t : types.toList()) {
            String n = t.getFileName().toString();
            if (n.startsWith("et=")) {
              Path target = day.resolve("event_type=" + n.substring(3));
              java.nio.file.Files.createDirectories(target);
              try (var files = java.nio.file.Files.list(t)) {
                for (Path f : files.toList()) {
                  java.nio.file.Files.move(f, target.resolve(f.getFileName()));
                }
              }
              java.nio.file.Files.delete(t);
            }
          }
        }
      }
    }
  }

  @Test
  void refresh_incrementalEqualsOneShotAndKeepsMidnightSessionsWhole() throws Exception {
    LakeLayout lake = LakeLayout.of(dir);
    try (Connection c = TestDatabases.duckdb()) {
      writeLake(c, lake, "= DATE '2024-01-01'", "a");
      SessionStore store = SessionStore.of(lake, Sessions.withDefaults());
      MaterializeReport first = store.refresh(c, false);
      assertThat(first.newEventDays()).containsExactly(LocalDate.of(2024, 1, 1));
      assertThat(first.sessionsExtended()).isZero();

      writeLake(c, lake, "> DATE '2024-01-01'", "b");
      MaterializeReport second = store.refresh(c, false);
      assertThat(second.newEventDays()).first().isEqualTo(LocalDate.of(2024, 1, 2));
      // user 104's 23:45 session continues past midnight into the new day
      assertThat(second.sessionsExtended()).isGreaterThanOrEqualTo(1);
      assertThat(second.sessionDaysWritten()).contains(LocalDate.of(2024, 1, 1));

      List<List<Object>> materialized = rows(c, "SELECT user_id, session_num, session_start, session_end,"
          + " events_in_session, event_sequence, session_date FROM " + LakeTables.sessions(lake)
          + " ORDER BY user_id, session_num");
      List<List<Object>> oneShot = new ArrayList<>();
      for (Session s : Sessions.withDefaults().sessionize(c, Dialect.DUCKDB, LakeTables.events(lake)).sessions()) {
        oneShot.add(List.of(s.userId(), s.sessionNum(), s.start(), s.end(), s.events(), s.eventSequence(),
            s.start().atOffset(java.time.ZoneOffset.UTC).toLocalDate()));
      }
      assertThat(materialized).isEqualTo(oneShot);
      assertThat(materialized).anySatisfy(r -> {
        assertThat(r.get(0)).isEqualTo("104");
        assertThat(r.get(6)).isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(r.get(3)).isEqualTo(java.time.Instant.parse("2024-01-02T00:15:00Z"));
      });

      assertThat(store.refresh(c, false).newEventDays()).isEmpty();
      assertThatThrownBy(() -> SessionStore.of(lake, Sessions.withGap(Duration.ofMinutes(10))).refresh(c, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--gap 600s differs from the 1800s the lake's sessions were materialized with: add --rebuild to recompute them all");
      MaterializeReport rebuilt = SessionStore.of(lake, Sessions.withGap(Duration.ofMinutes(10))).refresh(c, true);
      assertThat(rebuilt.newEventDays()).hasSize(5);
    }
  }

  @Test
  void refresh_killedAtAnyStepOfItsCommit_isFinishedByTheNextRefresh() throws Exception {
    try (Connection c = TestDatabases.duckdb()) {
      List<List<Object>> expected = null;
      int kill = 0;
      for (; ; kill++) {
        LakeLayout lake = LakeLayout.of(Files.createDirectories(dir.resolve("kill-" + kill)));
        writeLake(c, lake, "= DATE '2024-01-01'", "a");
        SessionStore store = SessionStore.of(lake, Sessions.withDefaults());
        store.refresh(c, false);
        writeLake(c, lake, "> DATE '2024-01-01'", "b");
        if (expected == null) {
          expected = oneShot(c, lake); // the answer over all days at once
        }
        int at = kill;
        try {
          store.withReplayHook(step -> {
            if (step == at) {
              throw new IllegalStateException("simulated kill before step " + at);
            }
          }).refresh(c, false);
          break; // the commit has fewer steps than this: every step was tried
        } catch (IllegalStateException e) {
          assertThat(e).hasMessage("simulated kill before step " + at);
        }
        assertThat(store.refresh(c, false).newEventDays()).as("kill before step %d", kill).isEmpty();
        assertThat(rows(c, "SELECT user_id, session_num, session_start, session_end, events_in_session,"
            + " event_sequence, session_date FROM " + LakeTables.sessions(lake) + " ORDER BY user_id, session_num"))
            .as("kill before step %d", kill).isEqualTo(expected);
        try (Stream<Path> left = Files.list(lake.state())) {
          assertThat(left.map(p -> p.getFileName().toString()))
              .noneMatch(n -> n.startsWith("sessions-staging-") || n.endsWith(".intent"));
        }
      }
      assertThat(kill).as("steps in the commit: the days rewritten (2024-01-01 extended, new days), then the state file")
          .isGreaterThanOrEqualTo(3);
    }
  }

  private static List<List<Object>> oneShot(Connection c, LakeLayout lake) throws Exception {
    List<List<Object>> oneShot = new ArrayList<>();
    for (Session s : Sessions.withDefaults().sessionize(c, Dialect.DUCKDB, LakeTables.events(lake)).sessions()) {
      oneShot.add(List.of(s.userId(), s.sessionNum(), s.start(), s.end(), s.events(), s.eventSequence(),
          s.start().atOffset(java.time.ZoneOffset.UTC).toLocalDate()));
    }
    return oneShot;
  }

  @Test
  void events_emptyLakeSaysWhatIsMissing() {
    LakeLayout lake = LakeLayout.of(dir);
    assertThatThrownBy(() -> LakeTables.events(lake))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the lake at " + dir.toAbsolutePath().normalize() + " has no events yet");
  }

  private static List<List<Object>> rows(Connection c, String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(List.of(rs.getString(1), rs.getLong(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4), rs.getLong(5),
            Jdbc.strings(rs, 6), rs.getObject(7, LocalDate.class)));
      }
    }
    return out;
  }
}
