package dev.loupe.server.dashboard;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.live.LiveAggregates;
import dev.loupe.lake.live.LiveMetrics;
import dev.loupe.sql.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes the live aggregates of the retained days agree with the lake when the server starts.
 *
 * <p>The lake is the truth: every acknowledged event reaches it exactly once, even after a hard
 * kill (the write-ahead log is replayed), while live counts saved every few seconds can miss the
 * last ones, and events loaded with {@code loupe import} while the server was down never passed
 * the live listener. So, before the server accepts its first batch, the event counts per UTC hour
 * and event type are compared, and every hour that differs is rebuilt from the lake's events
 * (counts and unique-user sketches; ingestion statistics of those hours are kept as saved).
 */
final class LiveReconciler {

  private LiveReconciler() {}

  /** Rebuilds the hours that differ; returns them (epoch hours, UTC). */
  static List<Long> reconcile(LakeLayout layout, LiveMetrics live) throws SQLException {
    LocalDate first = live.firstRetainedDay();
    List<Path> partitions = new ArrayList<>();
    if (Files.isDirectory(layout.events())) {
      try (var dirs = Files.list(layout.events())) {
        for (Path p : (Iterable<Path>) dirs::iterator) {
          String name = p.getFileName().toString();
          if (name.startsWith("event_date=") && name.length() == "event_date=".length() + 10
              && !LocalDate.parse(name.substring("event_date=".length())).isBefore(first)
              && hasParquet(p)) {
            partitions.add(p);
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    Instant from = first.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    Instant to = Instant.MAX;
    Map<Long, Map<String, Long>> liveCounts = live.read(a -> a.hourlyCounts(from, to));
    Map<Long, Map<String, Long>> lakeCounts = new TreeMap<>();
    if (partitions.isEmpty()) {
      return List.of(); // nothing in the lake to compare with
    }
    String source =
        "read_parquet(" + partitions.stream().map(p -> FileSource.quote(p.resolve("*").resolve("*.parquet").toString()))
            .collect(Collectors.joining(", ", "[", "]"))
            + ", hive_partitioning = true, union_by_name = true, hive_types = {'event_date': DATE, 'event_type': VARCHAR})";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT floor(epoch_ms(event_time) / 3600000)::BIGINT AS h, event_type, count(*) FROM " + source
              + " WHERE event_time >= TIMESTAMP '" + first + " 00:00:00' GROUP BY ALL")) {
        while (rs.next()) {
          lakeCounts.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
        }
      }
      TreeSet<Long> differing = new TreeSet<>();
      for (Long h : lakeCounts.keySet()) {
        if (!lakeCounts.get(h).equals(liveCounts.getOrDefault(h, Map.of()))) {
          differing.add(h);
        }
      }
      for (Long h : liveCounts.keySet()) {
        if (!lakeCounts.containsKey(h)) {
          differing.add(h); // counted live but absent from the lake: the lake wins
        }
      }
      for (long h : differing) {
        LiveAggregates rebuilt = LiveAggregates.create();
        try (ResultSet rs = s.executeQuery(
            "SELECT event_id, user_id, event_type, epoch_ms(event_time) FROM " + source
                + " WHERE event_time >= make_timestamp(" + h * 3_600_000_000L + ")"
                + " AND event_time < make_timestamp(" + (h + 1) * 3_600_000_000L + ")")) {
          while (rs.next()) {
            Instant t = Instant.ofEpochMilli(rs.getLong(4));
            rebuilt.accept(new Event(rs.getString(1), rs.getString(2), rs.getString(3), t, "{}", t));
          }
        }
        live.replaceHour(h, rebuilt);
      }
      return List.copyOf(differing);
    }
  }

  private static boolean hasParquet(Path partition) {
    try (var files = Files.walk(partition, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
