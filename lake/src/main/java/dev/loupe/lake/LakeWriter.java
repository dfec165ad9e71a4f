package dev.loupe.lake;

import dev.loupe.events.Event;
import dev.loupe.events.Rejection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes write-ahead log segments to the Parquet lake through DuckDB (zstd), idempotently.
 *
 * <p>The files of segment S are named {@code seg-S-<i>.parquet} in every partition they touch.
 * They are first written under {@code state/staging/S/}, fsync'ed, then renamed into place after
 * deleting any {@code seg-S-*} file a previous, interrupted attempt left there. Writing the same
 * segment twice therefore leaves exactly one copy of its events, which is what makes WAL replay
 * after a crash exactly-once. Readers never see a half-written file: renames are atomic.
 *
 * <p>Lake schema (see docs/ingestion.md): {@code events/event_date=D/event_type=T/*.parquet}
 * with columns event_id VARCHAR, user_id VARCHAR, event_time TIMESTAMP (UTC, µs), properties
 * VARCHAR (JSON object text), received_at TIMESTAMP (UTC); {@code rejected/received_date=D/}
 * with received_at TIMESTAMP, source VARCHAR, batch_index INTEGER, field VARCHAR, reason VARCHAR,
 * raw VARCHAR. Partition columns live in the directory names only.
 *
 * <p>Not thread-safe: one maintenance thread uses it.
 */
final class LakeWriter implements AutoCloseable {

  private final LakeLayout layout;
  private final Connection db;

  LakeWriter(LakeLayout layout) throws SQLException {
    this.layout = layout;
    this.db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE ev (event_id VARCHAR, user_id VARCHAR, event_type VARCHAR,"
          + " event_time_us BIGINT, properties VARCHAR, received_at_us BIGINT)");
      s.execute("CREATE TABLE rj (received_at_us BIGINT, source VARCHAR, batch_index INTEGER,"
          + " field VARCHAR, reason VARCHAR, raw VARCHAR)");
    }
  }

  static Path staging(LakeLayout layout) {
    return layout.state().resolve("staging");
  }

  /**
   * Writes one segment's batches to the lake (replacing an earlier attempt's files).
   *
   * @return the change in the lake's Parquet file count and bytes: {files, bytes}
   */
  long[] write(String segment, List<WalBatch> batches) throws SQLException, IOException {
    return write(segment, visitor -> {
      for (WalBatch b : batches) {
        visitor.accept(b);
      }
    });
  }

  /** A source of records, visited once (e.g. a segment streamed from disk). */
  @FunctionalInterface
  interface Source {
    void forEach(WalCodec.Visitor visitor) throws IOException;
  }

  /** As {@link #write(String, List)}, streaming the records into DuckDB one at a time. */
  long[] write(String segment, Source batches) throws SQLException, IOException {
    long events = 0;
    long rejections = 0;
    try (Statement s = db.createStatement()) {
      s.execute("DELETE FROM ev");
      s.execute("DELETE FROM rj");
    }
    DuckDBConnection duck = db.unwrap(DuckDBConnection.class);
    long[] counts = new long[2];
    try (DuckDBAppender ev = duck.createAppender("main", "ev");
        DuckDBAppender rj = duck.createAppender("main", "rj")) {
      batches.forEach(b -> {
        try {
          append(ev, rj, b, counts);
        } catch (SQLException e) {
          throw new IOException("cannot append to DuckDB: " + e.getMessage(), e);
        }
      });
    }
    events = counts[0];
    rejections = counts[1];
    Path stage = staging(layout).resolve(segment);
    LakeFiles.deleteTree(stage);
    Files.createDirectories(stage);
    String pattern = "seg-" + segment + "-{i}";
    try (Statement s = db.createStatement()) {
      if (events > 0) {
        s.execute("COPY (SELECT event_id, user_id, make_timestamp(event_time_us) AS event_time,"
            + " properties, make_timestamp(received_at_us) AS received_at,"
            + " make_timestamp(event_time_us)::DATE AS event_date, event_type"
            + " FROM ev ORDER BY event_time_us) TO " + quote(stage.resolve("events"))
            + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date, event_type),"
            + " FILENAME_PATTERN '" + pattern + "')");
      }
      if (rejections > 0) {
        s.execute("COPY (SELECT make_timestamp(received_at_us) AS received_at, source,"
            + " batch_index, field, reason, raw,"
            + " make_timestamp(received_at_us)::DATE AS received_date FROM rj)"
            + " TO " + quote(stage.resolve("rejected"))
            + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (received_date),"
            + " FILENAME_PATTERN '" + pattern + "')");
      }
    }
    long[] delta = new long[2];
    publish(stage.resolve("events"), layout.events(), segment, delta);
    publish(stage.resolve("rejected"), layout.rejected(), segment, delta);
    LakeFiles.deleteTree(stage);
    return delta;
  }

  private static void append(DuckDBAppender ev, DuckDBAppender rj, WalBatch b, long[] counts)
      throws SQLException {
    long received = WalCodec.micros(b.receivedAt());
    for (Event e : b.events()) {
      ev.beginRow()
          .append(e.eventId())
          .append(e.userId())
          .append(e.eventType())
          .append(WalCodec.micros(e.eventTime()))
          .append(e.properties())
          .append(received)
          .endRow();
      counts[0]++;
    }
    for (Rejection r : b.rejections()) {
      rj.beginRow()
          .append(received)
          .append(b.source())
          .append(r.index())
          .append(r.field())
          .append(r.reason())
          .append(r.raw())
          .endRow();
      counts[1]++;
    }
  }

  /** Moves staged files into the lake, replacing files of the same segment. */
  private static void publish(Path staged, Path lake, String segment, long[] delta)
      throws IOException {
    if (!Files.isDirectory(staged)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(staged)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    Set<Path> cleaned = new HashSet<>();
    List<Path> dirs = new ArrayList<>();
    for (Path f : files) {
      Fsync.file(f);
      Path target = lake.resolve(staged.relativize(f));
      Path dir = target.getParent();
      if (cleaned.add(dir)) {
        Files.createDirectories(dir);
        deleteSegmentFiles(dir, segment, delta);
        dirs.add(dir);
      }
      delta[0]++;
      delta[1] += Files.size(f);
      Files.move(f, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    for (Path d : dirs) {
      Fsync.directory(d);
    }
  }

  private static void deleteSegmentFiles(Path dir, String segment, long[] delta)
      throws IOException {
    String prefix = "seg-" + segment + "-";
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(prefix)) {
          long size = Files.size(p);
          if (Files.deleteIfExists(p)) {
            delta[0]--;
            delta[1] -= size;
          }
        }
      }
    }
  }

  static String quote(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }

  Connection connection() {
    return db;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
