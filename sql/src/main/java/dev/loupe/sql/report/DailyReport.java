package dev.loupe.sql.report;

import dev.loupe.lake.FileReplacement;
import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.FileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The daily report: per UTC day, user segment and event type, the number of events and the exact
 * number of distinct users, computed by DuckDB from the lake and written as Parquet to {@code
 * reports/daily/metric_date=YYYY-MM-DD/report.parquet} with columns {@code metric_date DATE,
 * user_segment VARCHAR, event_type VARCHAR, total_events BIGINT, unique_users BIGINT}.
 *
 * <p>Lake files carry the partition columns ({@code event_date}, {@code event_type}) in their
 * directory names only; they are read with hive partitioning.
 *
 * <p>Definitions. The day's events are those in the lake partition {@code
 * events/event_date=YYYY-MM-DD/} (the UTC date of {@code event_time}). {@code user_segment} is the
 * string value of the top-level property named by {@link #segmentProperty()} (default {@code
 * platform}) in the event's {@code properties}; {@code unknown} when the property is absent, null
 * or empty. {@code unique_users} counts distinct non-null {@code user_id}s, so anonymous events
 * add to {@code total_events} only. A day with no events gives an empty report (a Parquet file with
 * the columns and no rows), so "no events" and "no report yet" stay distinguishable.
 *
 * <p>Writing replaces the day's report atomically (temporary file, then rename). Immutable and
 * thread-safe; each call opens its own in-memory DuckDB.
 */
public final class DailyReport {

  /** Default segment property. */
  public static final String DEFAULT_SEGMENT_PROPERTY = "platform";

  /** The segment of events without the property. */
  public static final String UNKNOWN_SEGMENT = "unknown";

  private static final Pattern PROPERTY = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]{0,63}");
  private static final String FILE = "report.parquet";

  private final LakeLayout layout;
  private final String segmentProperty;

  private DailyReport(LakeLayout layout, String segmentProperty) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.segmentProperty = segmentProperty;
  }

  /** The report over a data directory, segmented by {@value #DEFAULT_SEGMENT_PROPERTY}. */
  public static DailyReport of(LakeLayout layout) {
    return new DailyReport(layout, DEFAULT_SEGMENT_PROPERTY);
  }

  /**
   * The same report segmented by another top-level event property.
   *
   * @throws IllegalArgumentException unless the name is 1–64 letters, digits, {@code _} or
   *     {@code -}, starting with a letter or {@code _}
   */
  public DailyReport withSegmentProperty(String property) {
    if (property == null || !PROPERTY.matcher(property).matches()) {
      throw new IllegalArgumentException(
          "segment property must be 1-64 letters, digits, '_' or '-' starting with a letter or '_' but was "
              + (property == null ? "null"
                  : property.length() <= 80 ? "'" + property + "'"
                  : "'" + property.substring(0, 80) + "…' (" + property.length() + " characters)"));
    }
    return new DailyReport(layout, property);
  }

  public String segmentProperty() {
    return segmentProperty;
  }

  public LakeLayout layout() {
    return layout;
  }

  /** Computes the day's report from the lake without writing it; rows sorted by segment, type. */
  public List<DailyReportRow> compute(LocalDate day) {
    Objects.requireNonNull(day, "day");
    Path partition = eventPartition(day);
    if (!hasParquet(partition)) {
      return List.of();
    }
    try (FileReplacement.Reading lock = FileReplacement.lockForReading(layout);
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(selectSql(day, partition) + " ORDER BY user_segment, event_type")) {
      List<DailyReportRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new DailyReportRow(
                rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
      }
      return List.copyOf(rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the lake at " + layout.root() + " for reading: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("daily report for " + day + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Computes the day's report from the lake and writes it, replacing any earlier one.
   *
   * @return the rows written
   */
  public List<DailyReportRow> write(LocalDate day) {
    Objects.requireNonNull(day, "day");
    Path dir = reportDirectory(day);
    Path partition = eventPartition(day);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + FILE + ".tmp");
      Files.deleteIfExists(tmp);
      String select =
          hasParquet(partition)
              ? selectSql(day, partition)
              : "SELECT DATE '" + day + "' AS metric_date, ''::VARCHAR AS user_segment, ''::VARCHAR AS event_type,"
                  + " 0::BIGINT AS total_events, 0::BIGINT AS unique_users WHERE false";
      // the lake's files stay as they are while the report reads them (no rewrite shows a
      // partition's new file beside the files it replaces)
      try (FileReplacement.Reading lock = FileReplacement.lockForReading(layout);
          Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement()) {
        s.execute(
            "COPY (" + select + " ORDER BY user_segment, event_type) TO "
                + FileSource.quote(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
      }
      Path target = dir.resolve(FILE);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      try (Stream<Path> others = Files.list(dir)) {
        for (Path p : (Iterable<Path>) others::iterator) {
          String name = p.getFileName().toString();
          if (!name.equals(FILE) && name.endsWith(".parquet")) {
            Files.delete(p); // a report has exactly one file
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write daily report in " + dir + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("daily report for " + day + " failed: " + e.getMessage(), e);
    }
    return read(day).orElseThrow();
  }

  /** Reads the day's written report; empty when none was written. */
  public Optional<List<DailyReportRow>> read(LocalDate day) {
    Path file = reportDirectory(day).resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT metric_date, user_segment, event_type, total_events, unique_users FROM read_parquet("
                    + FileSource.quote(file.toString()) + ", hive_partitioning = false) ORDER BY user_segment, event_type")) {
      List<DailyReportRow> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new DailyReportRow(
                rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
      }
      return Optional.of(List.copyOf(rows));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read daily report " + file + ": " + e.getMessage(), e);
    }
  }

  /** When the day's report was last written; empty when none was. */
  public Optional<Instant> writtenAt(LocalDate day) {
    Path file = reportDirectory(day).resolve(FILE);
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.getLastModifiedTime(file).toInstant()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Days that have a written report, sorted. */
  public List<LocalDate> reportDates() {
    return datesUnder(layout.dailyReports(), "metric_date=");
  }

  /** Days that have an event partition in the lake, sorted. */
  public List<LocalDate> lakeDates() {
    return datesUnder(layout.events(), "event_date=");
  }

  /** The newest modification time of the day's lake files; empty when the day has none. */
  public Optional<Instant> lakeModifiedAt(LocalDate day) {
    Path partition = eventPartition(day);
    if (!Files.isDirectory(partition)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(partition)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .map(
              p -> {
                try {
                  return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                  return FileTime.fromMillis(0);
                }
              })
          .max(FileTime::compareTo)
          .map(FileTime::toInstant);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SQL a user can run with {@code loupe sql} to read all written reports. */
  public static String viewSql(LakeLayout layout) {
    return "SELECT metric_date, user_segment, event_type, total_events, unique_users FROM read_parquet("
        + FileSource.quote(layout.dailyReports().resolve("*").resolve("*.parquet").toString())
        + ", hive_partitioning = false)";
  }

  Path reportDirectory(LocalDate day) {
    return layout.dailyReports().resolve("metric_date=" + day);
  }

  Path eventPartition(LocalDate day) {
    return layout.events().resolve("event_date=" + day);
  }

  private String selectSql(LocalDate day, Path partition) {
    String files = FileSource.quote(partition.resolve("*").resolve("*.parquet").toString());
    String segment =
        "coalesce(nullif(json_extract_string(properties, " + FileSource.quote("$.\"" + segmentProperty + "\"")
            + "), ''), " + FileSource.quote(UNKNOWN_SEGMENT) + ")";
    return "SELECT DATE '" + day + "' AS metric_date, " + segment + " AS user_segment, event_type,"
        + " count(*)::BIGINT AS total_events, count(DISTINCT user_id)::BIGINT AS unique_users"
        + " FROM read_parquet(" + files + ", hive_partitioning = true, union_by_name = true,"
        + " hive_types = {'event_date': DATE, 'event_type': VARCHAR})"
        + " GROUP BY ALL";
  }

  private static boolean hasParquet(Path partition) {
    if (!Files.isDirectory(partition)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(partition, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<LocalDate> datesUnder(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<LocalDate> dates = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(prefix)) {
          try {
            dates.add(LocalDate.parse(name.substring(prefix.length())));
          } catch (DateTimeParseException ignored) {
            // not a partition
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dates.sort(null);
    return dates;
  }
}
