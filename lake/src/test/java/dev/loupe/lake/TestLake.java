package dev.loupe.lake;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: a settable clock, NDJSON bodies, and reading the lake back with DuckDB. */
final class TestLake {

  private TestLake() {}

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static LoupeConfig config(Path dir) {
    return LoupeConfig.withDefaults().withDataDir(dir).withFlushInterval(java.time.Duration.ofMinutes(1));
  }

  static String event(String id, String type, String time) {
    return "{\"event_id\":\"" + id + "\",\"user_id\":\"u-" + id + "\",\"event_type\":\"" + type
        + "\",\"event_time\":\"" + time + "\",\"properties\":{\"n\":\"" + id + "\"}}";
  }

  static byte[] body(String... lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static List<List<Object>> query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = s.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  static String events(LakeLayout layout) {
    return "read_parquet('" + layout.events() + "/*/*/*.parquet', hive_partitioning = true,"
        + " hive_types = {'event_date': DATE, 'event_type': VARCHAR})";
  }

  static String rejected(LakeLayout layout) {
    return "read_parquet('" + layout.rejected() + "/*/*.parquet', hive_partitioning = true)";
  }

  static void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> eventIds(LakeLayout layout) throws Exception {
    if (parquetFiles(layout.events()).isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (List<Object> r : query("SELECT event_id FROM " + events(layout) + " ORDER BY 1")) {
      ids.add((String) r.get(0));
    }
    return ids;
  }

  static List<Path> parquetFiles(Path root) throws Exception {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }
}
