package dev.loupe.sql.report;

import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes events into the lake layout (one Parquet file per partition), as the collector does:
 * the partition columns event_date and event_type live in the directory names only.
 */
public final class TestLake {

  private TestLake() {}

  private static String q(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String ts(java.time.Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString().replace('T', ' ');
  }

  public static void write(LakeLayout layout, List<Event> events, String fileName) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE t (event_id VARCHAR, user_id VARCHAR, event_type VARCHAR, event_time TIMESTAMP,"
              + " properties VARCHAR, received_at TIMESTAMP)");
      // Loaded through a temporary CSV: far faster than row-by-row inserts over JDBC.
      Path csv = Files.createTempFile("loupe-test-events", ".csv");
      try {
        StringBuilder sb = new StringBuilder("event_id,user_id,event_type,event_time,properties,received_at\n");
        for (Event e : events) {
          sb.append(q(e.eventId())).append(',').append(e.userId() == null ? "" : q(e.userId())).append(',')
              .append(q(e.eventType())).append(',').append(ts(e.eventTime())).append(',')
              .append(q(e.properties())).append(',').append(ts(e.receivedAt())).append('\n');
        }
        Files.writeString(csv, sb);
        s.execute(
            "INSERT INTO t SELECT * FROM read_csv(" + FileSource.quote(csv.toString())
                + ", header = true, quote = '\"', escape = '\"', columns = {'event_id': 'VARCHAR', 'user_id': 'VARCHAR',"
                + " 'event_type': 'VARCHAR', 'event_time': 'TIMESTAMP', 'properties': 'VARCHAR', 'received_at': 'TIMESTAMP'})");
      } finally {
        Files.deleteIfExists(csv);
      }
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT DISTINCT CAST(event_time AS DATE)::VARCHAR, event_type FROM t")) {
        while (rs.next()) {
          String date = rs.getString(1);
          String type = rs.getString(2);
          Path dir = layout.events().resolve("event_date=" + date).resolve("event_type=" + type);
          Files.createDirectories(dir);
          try (Statement w = c.createStatement()) {
            w.execute(
                "COPY (SELECT event_id, user_id, event_time, properties, received_at FROM t WHERE CAST(event_time AS DATE) = DATE '" + date + "' AND event_type = "
                    + FileSource.quote(type) + " ORDER BY event_time) TO "
                    + FileSource.quote(dir.resolve(fileName).toString()) + " (FORMAT parquet)");
          }
        }
      }
    }
  }
}
