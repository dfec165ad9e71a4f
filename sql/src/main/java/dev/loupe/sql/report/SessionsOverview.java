package dev.loupe.sql.report;

import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.Dialect;
import dev.loupe.sql.LakeTables;
import dev.loupe.sql.Names;
import dev.loupe.sql.Sessions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The dashboard's sessions summary for one UTC day: how many sessions started that day, their
 * mean duration and events, and the distribution of durations, computed by DuckDB over the lake
 * with {@link Sessions} (30-minute inactivity gap; a session belongs to the day it starts).
 *
 * <p>Duration buckets, in minutes, lower bound included: [0, 1), [1, 5), [5, 15), [15, 30),
 * [30, 60), [60, 120), [120, ∞). A single-event session lasts 0 minutes.
 */
public final class SessionsOverview {

  /** Lower bounds of the duration buckets in minutes. */
  public static final List<Integer> BUCKETS = List.of(0, 1, 5, 15, 30, 60, 120);

  /** One duration bucket: sessions with lowerMin ≤ duration < upperMin (upperMin null: no bound). */
  public record Bucket(int lowerMin, Integer upperMin, long sessions) {}

  /**
   * The summary.
   *
   * @param meanDurationMin NaN when there are no sessions
   * @param meanEventsPerSession NaN when there are no sessions
   */
  public record Summary(LocalDate day, long sessions, double meanDurationMin, double meanEventsPerSession, List<Bucket> durations) {
    public Summary {
      durations = List.copyOf(durations);
    }
  }

  private final LakeLayout layout;
  private final Sessions sessions;

  private SessionsOverview(LakeLayout layout, Sessions sessions) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.sessions = sessions;
  }

  public static SessionsOverview of(LakeLayout layout) {
    return new SessionsOverview(layout, Sessions.withDefaults());
  }

  /** Sessions that start on {@code day}; zero sessions when the lake has no events. */
  public Summary summarize(LocalDate day) {
    List<Bucket> empty = new ArrayList<>();
    for (int i = 0; i < BUCKETS.size(); i++) {
      empty.add(new Bucket(BUCKETS.get(i), i + 1 < BUCKETS.size() ? BUCKETS.get(i + 1) : null, 0));
    }
    if (DailyReport.of(layout).lakeDates().isEmpty()) {
      return new Summary(day, 0, Double.NaN, Double.NaN, empty);
    }
    String source = LakeTables.events(layout);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String sessionSql = sessions.withDays(day, day).sql(Dialect.DUCKDB, source, Names.columnsOf(c, source));
      StringBuilder bucket = new StringBuilder("CASE");
      for (int i = BUCKETS.size() - 1; i >= 0; i--) {
        bucket.append(" WHEN session_duration_min >= ").append(BUCKETS.get(i)).append(" THEN ").append(i);
      }
      bucket.append(" END");
      String sql = "SELECT " + bucket + " AS b, count(*), sum(session_duration_min), sum(events_in_session) FROM ("
          + sessionSql + ") AS s GROUP BY 1 ORDER BY 1";
      long n = 0;
      double duration = 0;
      double events = 0;
      List<Bucket> buckets = new ArrayList<>(empty);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          int b = rs.getInt(1);
          long count = rs.getLong(2);
          n += count;
          duration += rs.getDouble(3);
          events += rs.getDouble(4);
          buckets.set(b, new Bucket(empty.get(b).lowerMin(), empty.get(b).upperMin(), count));
        }
      }
      return new Summary(day, n, n == 0 ? Double.NaN : duration / n, n == 0 ? Double.NaN : events / n, buckets);
    } catch (SQLException e) {
      throw new IllegalStateException("sessions summary for " + day + " failed: " + e.getMessage(), e);
    }
  }

}
