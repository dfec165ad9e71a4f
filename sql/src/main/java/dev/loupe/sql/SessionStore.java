package dev.loupe.sql;

import dev.loupe.lake.FileReplacement;
import dev.loupe.lake.Fsync;
import dev.loupe.lake.LakeFiles;
import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Sessions materialized in the lake: {@code sessions/session_date=YYYY-MM-DD/*.parquet}, one
 * partition per day a session <em>starts</em> (UTC), so a session that crosses midnight is stored
 * whole in the partition of its first event.
 *
 * <p>Refreshing is incremental by event day: each refresh sessionizes the event days after the
 * last one it covered (kept in {@code state/sessions.properties}). A user's session that was still
 * open at the end of the covered days (its last event less than the gap before midnight) is
 * re-read from its first event and rewritten whole, with the same session number, if the new days
 * continue it. Session numbers continue from the user's earlier sessions. Events that arrive late
 * for days already covered are not picked up: rebuild for those.
 *
 * <p>A refresh writes every changed day and the new state file into a staging directory, then
 * records the swaps in an fsync'ed commit intent ({@code state/sessions-commit.intent}) and
 * performs them: each partition is replaced by renaming the fully written directory into place
 * (the old one is renamed away first, so for that instant the day is absent; it is never
 * half-written). A refresh killed before the intent is complete leaves the lake as it was; one
 * killed after is finished by the next refresh, so the partitions and the state file never
 * disagree. Not safe to run twice at the same time on one lake.
 */
public final class SessionStore {

  private final LakeLayout lake;
  private final Sessions sessions;
  private final IntConsumer beforeReplayStep;

  private SessionStore(LakeLayout lake, Sessions sessions, IntConsumer beforeReplayStep) {
    this.lake = lake;
    this.sessions = sessions;
    this.beforeReplayStep = beforeReplayStep;
  }

  public static SessionStore of(LakeLayout lake, Sessions sessions) {
    return new SessionStore(lake, sessions, step -> { });
  }

  /** For tests: runs {@code hook} before each step of a commit (a throw simulates a kill there). */
  SessionStore withReplayHook(IntConsumer hook) {
    return new SessionStore(lake, sessions, hook);
  }

  private Path stateFile() {
    return lake.state().resolve("sessions.properties");
  }

  /**
   * Sessionizes the event days not covered yet (all of them with {@code rebuild}, after deleting
   * what was materialized) on a DuckDB connection.
   *
   * @throws IllegalArgumentException if the sessions were materialized with another gap and
   *     {@code rebuild} is false
   */
  public MaterializeReport refresh(Connection duck, boolean rebuild) throws SQLException {
    // no rewrite of the events (compaction, dedup --apply) shows this refresh a partition's new
    // file beside the files it replaces, which would put events into sessions twice
    try (FileReplacement.Reading lock = FileReplacement.lockForReading(lake)) {
      return doRefresh(duck, rebuild);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MaterializeReport doRefresh(Connection duck, boolean rebuild) throws SQLException, IOException {
    recover();
    Properties state = new Properties();
    if (rebuild) {
      LakeFiles.deleteTree(lake.sessions());
      Files.deleteIfExists(stateFile());
    } else if (Files.exists(stateFile())) {
      try (Reader r = Files.newBufferedReader(stateFile())) {
        state.load(r);
      }
      long gap = Long.parseLong(state.getProperty("gap_seconds"));
      if (gap != sessions.gap().getSeconds()) {
        throw new IllegalArgumentException(
            "--gap " + sessions.gap().getSeconds() + "s differs from the " + gap
                + "s the lake's sessions were materialized with: add --rebuild to recompute them all");
      }
    }
    LocalDate last = state.containsKey("last_event_day") ? LocalDate.parse(state.getProperty("last_event_day")) : null;
    String events = LakeTables.events(lake);
    List<LocalDate> newDays =
        LakeTables.days(lake.events(), "event_date=").stream().filter(d -> last == null || d.isAfter(last)).toList();
    if (newDays.isEmpty()) {
      return new MaterializeReport(List.of(), List.of(), 0, 0);
    }
    LocalDate first = newDays.get(0);
    String firstDay = "DATE '" + first + "'";
    String materialized = LakeTables.sessions(lake);
    Dialect d = Dialect.DUCKDB;
    Path staging = lake.state().resolve("sessions-staging-" + UUID.randomUUID());
    try (Statement st = duck.createStatement()) {
      if (materialized == null) {
        st.execute("CREATE OR REPLACE TEMP TABLE loupe_open (user_id VARCHAR, session_start TIMESTAMP, session_date DATE)");
        st.execute("CREATE OR REPLACE TEMP TABLE loupe_base (user_id VARCHAR, base BIGINT)");
        st.execute("CREATE OR REPLACE TEMP VIEW loupe_kept AS SELECT * FROM (SELECT NULL::VARCHAR AS user_id, NULL::BIGINT AS session_num,"
            + " NULL::TIMESTAMP AS session_start, NULL::TIMESTAMP AS session_end, NULL::DOUBLE AS session_duration_min,"
            + " NULL::BIGINT AS events_in_session, NULL::VARCHAR[] AS event_sequence, NULL::DATE AS session_date) WHERE FALSE");
      } else {
        String before = "(SELECT * FROM " + materialized + " WHERE session_date < " + firstDay + ")";
        st.execute("CREATE OR REPLACE TEMP TABLE loupe_open AS SELECT user_id, session_start, session_date FROM " + before
            + " AS m WHERE session_end >= CAST(" + firstDay + " AS TIMESTAMP) - " + d.seconds(sessions.gap().getSeconds()));
        st.execute("CREATE OR REPLACE TEMP TABLE loupe_base AS SELECT m.user_id, MAX(m.session_num)"
            + " - CASE WHEN BOOL_OR(o.user_id IS NOT NULL) THEN 1 ELSE 0 END AS base FROM " + before
            + " AS m LEFT JOIN loupe_open o ON o.user_id = m.user_id AND o.session_start = m.session_start GROUP BY m.user_id");
        st.execute("CREATE OR REPLACE TEMP VIEW loupe_kept AS SELECT user_id, session_num, session_start, session_end,"
            + " session_duration_min, events_in_session, event_sequence, session_date FROM " + materialized + " AS m"
            + " WHERE session_date IN (SELECT session_date FROM loupe_open) AND NOT EXISTS (SELECT 1 FROM loupe_open o"
            + " WHERE o.user_id = m.user_id AND o.session_start = m.session_start)");
      }
      st.execute("CREATE OR REPLACE TEMP TABLE loupe_ev AS SELECT CAST(user_id AS VARCHAR) AS user_id, event_id, event_type, event_time FROM "
          + events + " WHERE event_date >= " + firstDay
          + " UNION ALL SELECT CAST(e.user_id AS VARCHAR), e.event_id, e.event_type, e.event_time FROM " + events
          + " AS e JOIN loupe_open o ON CAST(e.user_id AS VARCHAR) = o.user_id AND e.event_time >= o.session_start"
          + " WHERE e.event_date < " + firstDay + " AND e.event_date >= (SELECT MIN(session_date) FROM loupe_open)");
      String fresh = "SELECT s.user_id, s.session_num + COALESCE(b.base, 0) AS session_num, s.session_start, s.session_end,"
          + " s.session_duration_min, s.events_in_session, s.event_sequence, CAST(s.session_start AS DATE) AS session_date FROM ("
          + sessions.sql(d, "loupe_ev", Names.columns(duck, "loupe_ev"), true, false)
          + ") AS s LEFT JOIN loupe_base b ON b.user_id = s.user_id";
      st.execute("CREATE OR REPLACE TEMP TABLE loupe_new AS " + fresh);
      long extended;
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM loupe_new n JOIN loupe_open o ON o.user_id = n.user_id"
          + " AND o.session_start = n.session_start")) {
        rs.next();
        extended = rs.getLong(1);
      }
      Files.createDirectories(staging);
      st.execute("COPY (SELECT * FROM loupe_kept UNION ALL SELECT * FROM loupe_new) TO "
          + FileSource.quote(staging.toString()) + " (FORMAT parquet, PARTITION_BY (session_date), OVERWRITE_OR_IGNORE)");
      List<LocalDate> written = new ArrayList<>();
      long count;
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM (SELECT 1 FROM loupe_kept UNION ALL SELECT 1 FROM loupe_new) x")) {
        rs.next();
        count = rs.getLong(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT session_date FROM loupe_open UNION SELECT DISTINCT session_date FROM loupe_new ORDER BY 1")) {
        while (rs.next()) {
          written.add(rs.getObject(1, LocalDate.class));
        }
      }
      state.setProperty("last_event_day", newDays.get(newDays.size() - 1).toString());
      state.setProperty("gap_seconds", Long.toString(sessions.gap().getSeconds()));
      Path stagedState = staging.resolve("sessions.properties");
      try (Writer w = Files.newBufferedWriter(stagedState)) {
        state.store(w, "Loupe: event days covered by sessions/");
      }
      List<String> intent = new ArrayList<>();
      for (LocalDate day : written) {
        Path staged = staging.resolve("session_date=" + day);
        Files.createDirectories(staged); // a day whose sessions all moved away becomes empty
        intent.add("swap\t" + staged + "\t" + lake.sessions().resolve("session_date=" + day));
      }
      intent.add("move\t" + stagedState + "\t" + stateFile());
      intent.add("end");
      // what the intent points to is on disk before the intent is (a power cut, not only a kill)
      try (Stream<Path> staged = Files.walk(staging)) {
        for (Path p : (Iterable<Path>) staged::iterator) {
          if (Files.isDirectory(p)) {
            Fsync.directory(p);
          } else {
            Fsync.file(p);
          }
        }
      }
      Files.write(commitIntent(), intent, StandardCharsets.UTF_8);
      Fsync.file(commitIntent());
      Fsync.directory(lake.state());
      replay(commitIntent());
      for (String t : List.of("loupe_open", "loupe_base", "loupe_ev", "loupe_new")) {
        st.execute("DROP TABLE IF EXISTS " + t);
      }
      st.execute("DROP VIEW IF EXISTS loupe_kept");
      return new MaterializeReport(newDays, written, count, extended);
    } finally {
      if (!Files.exists(commitIntent())) { // else the staged days are needed to finish the commit
        LakeFiles.deleteTree(staging);
      }
    }
  }

  private Path commitIntent() {
    return lake.state().resolve("sessions-commit.intent");
  }

  /**
   * Finishes a refresh that was killed while swapping its partitions in (its commit intent is
   * complete) or forgets one killed before (torn or no intent), then deletes leftover staging.
   */
  private void recover() throws IOException {
    Path intent = commitIntent();
    if (Files.exists(intent)) {
      List<String> lines = Files.readAllLines(intent, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(lines.size() - 1).equals("end")) {
        replay(intent);
      } else {
        Files.delete(intent);
      }
    }
    if (Files.isDirectory(lake.state())) {
      try (Stream<Path> s = Files.list(lake.state())) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.getFileName().toString().startsWith("sessions-staging-")) {
            LakeFiles.deleteTree(p);
          }
        }
      }
    }
  }

  /**
   * Applies a complete commit intent; idempotent, so a replay after a kill at any point ends in the
   * same state: each staged day replaces its partition (the old one is renamed away into the
   * staging directory first, so for that instant the day is absent), then the state file moves
   * into place, then the intent is deleted.
   */
  private void replay(Path intent) throws IOException {
    List<String> lines = Files.readAllLines(intent, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size() - 1; i++) {
      beforeReplayStep.accept(i);
      String line = lines.get(i);
      String[] f = line.split("\t", -1);
      Path from = Path.of(f[1]);
      Path to = Path.of(f[2]);
      if (!Files.exists(from)) {
        continue; // done before the kill
      }
      if (f[0].equals("swap")) {
        Files.createDirectories(to.getParent());
        if (Files.exists(to)) {
          Files.move(to, from.resolveSibling("old-" + to.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // the renames are on disk before the intent that would redo them is gone
    if (Files.isDirectory(lake.sessions())) {
      Fsync.directory(lake.sessions());
    }
    Fsync.directory(lake.state());
    Files.delete(intent);
  }
}
