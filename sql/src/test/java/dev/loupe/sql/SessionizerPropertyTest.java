package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The DuckDB paths (users numbered by DuckDB, {@link EventOrder} and {@link Sessionizer}; users
 * hashed, {@link KeyedOrder} and {@link SessionColumns}, also with a hash that collides) against
 * the all-SQL path on DuckDB, the test oracle: same sessions, numbers, times, durations, counts and sequences, same
 * unplaced counts. Times sit on a grid of 30 minutes, seconds and microseconds from 22:00, so the
 * events have many ties, gaps of exactly 30 minutes and of 30 minutes plus 1 s or 1 µs, and
 * sessions that cross midnight; some events have no time, no user or no type.
 */
class SessionizerPropertyTest {

  record Ev(String user, String type, Long offsetMicros) {}

  private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 22, 0);

  @Provide
  Arbitrary<List<Ev>> events() {
    Arbitrary<String> user = Arbitraries.of("u1", "u2", "u3", "u10").injectNull(0.05);
    Arbitrary<String> type = Arbitraries.of("view", "click", "buy").injectNull(0.05);
    Arbitrary<Long> offset =
        Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1))
            .as((halfHours, seconds, micros) -> halfHours * 1_800_000_000L + seconds * 1_000_000L + micros)
            .injectNull(0.05);
    return Combinators.combine(user, type, offset).as(Ev::new).list().ofMaxSize(60);
  }

  @Property(tries = 60)
  void sessionizeStream_equalsSqlPath(
      @ForAll("events") List<Ev> events, @ForAll boolean dayRange, @ForAll boolean shortGap) throws Exception {
    Sessions sessions = Sessions.withGap(Duration.ofMinutes(shortGap ? 1 : 30));
    if (dayRange) {
      sessions = sessions.withDays(LocalDate.of(2026, 1, 2), LocalDate.of(2026, 1, 2));
    }
    try (Connection c = TestDatabases.duckdb()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE ev (user_id VARCHAR, event_id VARCHAR, event_type VARCHAR, event_time TIMESTAMP)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ev VALUES (?, ?, ?, ?)")) {
        // event ids in reverse insertion order, so ties are not broken by insertion order
        for (int i = 0; i < events.size(); i++) {
          Ev e = events.get(i);
          ps.setString(1, e.user());
          ps.setString(2, String.format("e%03d", events.size() - i));
          ps.setString(3, e.type());
          ps.setTimestamp(4, e.offsetMicros() == null ? null
              : Timestamp.valueOf(BASE.plusNanos(e.offsetMicros() * 1_000L)));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      SessionReport expected = sessions.sessionizeSql(c, Dialect.DUCKDB, "ev");
      SessionReport got = sessions.sessionizeStream(c, "ev");
      assertThat(got).isEqualTo(expected);
      assertThat(sessions.sessionizeHashed(c, "ev", Sessions.HASH)).isEqualTo(expected);
      // a hash with collisions (three values for four users): detected, the numbered path runs
      assertThat(sessions.sessionizeHashed(c, "ev", "CAST(hash(%s) % 3 AS BIGINT)")).isEqualTo(expected);
    }
  }

  /** Events (user, type, time) into a new table {@code ev}; event ids in reverse order. */
  private static void load(Connection c, List<Object[]> rows) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ev (user_id VARCHAR, event_id VARCHAR, event_type VARCHAR, event_time TIMESTAMP)");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ev VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < rows.size(); i++) {
        ps.setString(1, (String) rows.get(i)[0]);
        ps.setString(2, String.format("e%05d", rows.size() - i));
        ps.setString(3, (String) rows.get(i)[1]);
        ps.setTimestamp(4, rows.get(i)[2] == null ? null : Timestamp.valueOf((LocalDateTime) rows.get(i)[2]));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @org.junit.jupiter.api.Test
  void sessionizeHashed_moreTypesThanPack_sameSessionsAsSql() throws Exception {
    // 300 event types do not fit the 8 bits beside the time: the numbered path runs
    List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      rows.add(new Object[] {"u" + i % 7, "type" + i % 300, BASE.plusMinutes(i % 50 * 7).plusSeconds(i % 3)});
    }
    Sessions sessions = Sessions.withDefaults();
    try (Connection c = TestDatabases.duckdb()) {
      load(c, rows);
      SessionReport expected = sessions.sessionizeSql(c, Dialect.DUCKDB, "ev");
      assertThat(expected.sessions()).isNotEmpty();
      assertThat(sessions.sessionizeHashed(c, "ev", Sessions.HASH)).isEqualTo(expected);
    }
  }

  @org.junit.jupiter.api.Test
  void sessionizeHashed_timesBeyondPackingRange_sameSessionsAsSql() throws Exception {
    // years 1300 and 2600 are more than 2^54 microseconds from 1970: the numbered path runs
    List<Object[]> rows = new java.util.ArrayList<>();
    for (LocalDateTime base : List.of(BASE, LocalDateTime.of(2600, 5, 1, 12, 0), LocalDateTime.of(1300, 5, 1, 12, 0))) {
      for (int i = 0; i < 20; i++) {
        rows.add(new Object[] {"u" + i % 3, i % 2 == 0 ? "view" : "buy", base.plusMinutes(i * 11L)});
      }
      Sessions sessions = Sessions.withDefaults();
      try (Connection c = TestDatabases.duckdb()) {
        load(c, rows);
        SessionReport expected = sessions.sessionizeSql(c, Dialect.DUCKDB, "ev");
        assertThat(expected.sessions()).hasSizeGreaterThan(3);
        assertThat(sessions.sessionizeHashed(c, "ev", Sessions.HASH)).isEqualTo(expected);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void sessionizeHashed_quotedTypesTiesAndUnplaced_sameSessionsAsSql() throws Exception {
    // type names are packed as numbers of a literal list: quotes must survive, and events tied on
    // (user, time) keep event_id order
    List<Object[]> rows = new java.util.ArrayList<>();
    String[] types = {"it's", "click", "view", "a''b"};
    for (int i = 0; i < 40; i++) {
      rows.add(new Object[] {"u" + i % 3, types[i % 4], BASE.plusMinutes(i / 4 * 10L)});
    }
    rows.add(new Object[] {null, "view", BASE});
    rows.add(new Object[] {"u1", "view", null});
    Sessions sessions = Sessions.withDefaults();
    try (Connection c = TestDatabases.duckdb()) {
      load(c, rows);
      SessionReport expected = sessions.sessionizeSql(c, Dialect.DUCKDB, "ev");
      assertThat(expected.eventsWithoutTime()).isEqualTo(1);
      assertThat(expected.eventsWithoutUser()).isEqualTo(1);
      assertThat(expected.sessions().get(0).eventSequence()).contains("it's", "a''b");
      assertThat(sessions.sessionizeHashed(c, "ev", Sessions.HASH)).isEqualTo(expected);
    }
  }
}
