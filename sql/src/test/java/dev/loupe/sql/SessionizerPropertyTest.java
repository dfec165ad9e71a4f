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
 * sessions that cross midnight; some events have no time or no user.
 */
class SessionizerPropertyTest {

  record Ev(String user, String type, Long offsetMicros) {}

  private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 22, 0);

  @Provide
  Arbitrary<List<Ev>> events() {
    Arbitrary<String> user = Arbitraries.of("u1", "u2", "u3", "u10").injectNull(0.05);
    Arbitrary<String> type = Arbitraries.of("view", "click", "buy");
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
}
