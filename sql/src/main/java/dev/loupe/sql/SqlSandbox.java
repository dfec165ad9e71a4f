package dev.loupe.sql;

import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Read-only SQL over a Loupe lake: an in-memory DuckDB with the views {@code events} and
 * {@code rejected} over every partition.
 *
 * <p>Views (columns in this order):
 *
 * <ul>
 *   <li>{@code events}: event_id VARCHAR, user_id VARCHAR, event_type VARCHAR, event_time
 *       TIMESTAMP (UTC), properties VARCHAR (JSON object text), received_at TIMESTAMP (UTC),
 *       event_date DATE;
 *   <li>{@code rejected}: received_at TIMESTAMP, source VARCHAR, batch_index INTEGER, field
 *       VARCHAR, reason VARCHAR, raw VARCHAR, received_date DATE.
 * </ul>
 *
 * An empty lake gives empty views with the same columns. Each query lists the lake's files when
 * it starts, so a long-lived sandbox sees new files, except that a sandbox opened over an empty
 * lake keeps its empty views until {@link #refresh()}. A query that meets a file removed while it
 * ran (by compaction or retention) is retried once.
 *
 * <p><b>Sandbox.</b> The engine may read only the lake directory: {@code allowed_directories} is
 * set to it, then {@code enable_external_access=false}, then {@code lock_configuration=true}, in
 * that order (DESIGN.md), so a query can neither read other files nor undo the settings.
 * Statements that write inside the lake directory ({@code COPY … TO} a path under it) are not
 * refused by the engine settings; refusing them (and ATTACH, INSTALL, LOAD, SET) by statement
 * type, and time and row limits, belong to the query service built on this class.
 *
 * <p>Not thread-safe: one sandbox per thread or request (opening one costs a few milliseconds).
 */
public final class SqlSandbox implements AutoCloseable {

  /** Rows returned by {@link #query(String)} before the result is marked truncated. */
  public static final int DEFAULT_MAX_ROWS = 10_000;

  static final String EVENTS_COLUMNS =
      "event_id, user_id, event_type, event_time, properties, received_at, event_date";
  static final String REJECTED_COLUMNS =
      "received_at, source, batch_index, field, reason, raw, received_date";

  private final LakeLayout layout;
  private final Connection db;

  private SqlSandbox(LakeLayout layout, Connection db) {
    this.layout = layout;
    this.db = db;
  }

  /**
   * Opens a sandbox over the lake.
   *
   * @throws IllegalArgumentException if the data directory does not exist
   */
  public static SqlSandbox open(LakeLayout layout) throws SQLException {
    if (!Files.isDirectory(layout.root())) {
      throw new IllegalArgumentException("data directory " + layout.root()
          + " does not exist (start `loupe serve` or `loupe import` with this --data-dir first)");
    }
    Connection db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("SET allowed_directories = [" + literal(layout.root().toString() + "/") + "]");
      s.execute("SET enable_external_access = false");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      db.close();
      throw e;
    }
    SqlSandbox sandbox = new SqlSandbox(layout, db);
    sandbox.refresh();
    return sandbox;
  }

  public LakeLayout layout() {
    return layout;
  }

  /** Re-creates the views so they see the files written since. */
  public void refresh() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE OR REPLACE VIEW events AS " + eventsSource());
      s.execute("CREATE OR REPLACE VIEW rejected AS " + rejectedSource());
    }
  }

  private String eventsSource() {
    if (!hasParquet(layout.events(), 3)) {
      return "SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS user_id,"
          + " NULL::VARCHAR AS event_type, NULL::TIMESTAMP AS event_time,"
          + " NULL::VARCHAR AS properties, NULL::TIMESTAMP AS received_at,"
          + " NULL::DATE AS event_date WHERE false";
    }
    return "SELECT " + EVENTS_COLUMNS + " FROM read_parquet("
        + literal(layout.events() + "/*/*/*.parquet")
        + ", hive_partitioning = true,"
        + " hive_types = {'event_date': DATE, 'event_type': VARCHAR})";
  }

  private String rejectedSource() {
    if (!hasParquet(layout.rejected(), 2)) {
      return "SELECT NULL::TIMESTAMP AS received_at, NULL::VARCHAR AS source,"
          + " NULL::INTEGER AS batch_index, NULL::VARCHAR AS field, NULL::VARCHAR AS reason,"
          + " NULL::VARCHAR AS raw, NULL::DATE AS received_date WHERE false";
    }
    return "SELECT " + REJECTED_COLUMNS + " FROM read_parquet("
        + literal(layout.rejected() + "/*/*.parquet")
        + ", hive_partitioning = true, hive_types = {'received_date': DATE})";
  }

  private static boolean hasParquet(Path dir, int depth) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.find(dir, depth,
        (p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".parquet")
            && !p.getFileName().toString().startsWith(".")
            && dir.relativize(p).getNameCount() == depth)) {
      return s.findAny().isPresent();
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Runs a query; at most {@link #DEFAULT_MAX_ROWS} rows are returned. */
  public QueryResult query(String sql) throws SQLException {
    return query(sql, DEFAULT_MAX_ROWS);
  }

  /**
   * Runs a query and materializes at most {@code maxRows} rows.
   *
   * @throws SQLException with DuckDB's message when the query fails (syntax, missing column,
   *     access outside the lake)
   */
  public QueryResult query(String sql, int maxRows) throws SQLException {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("query is empty: give a SQL statement such as"
          + " SELECT count(*) FROM events");
    }
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows must be >= 0 but was " + maxRows);
    }
    try {
      return run(sql, maxRows);
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (!m.contains("No such file") && !m.contains("No files found")
          && !m.contains("Cannot open file")) {
        throw e;
      }
      // a file the views listed was compacted or expired meanwhile: list the files again, once
      refresh();
      return run(sql, maxRows);
    }
  }

  private QueryResult run(String sql, int maxRows) throws SQLException {
    try (Statement s = db.createStatement()) {
      if (!s.execute(sql)) {
        return new QueryResult(java.util.List.of("updated"),
            java.util.List.of(java.util.List.<Object>of(s.getUpdateCount())), false);
      }
      try (ResultSet rs = s.getResultSet()) {
        return QueryResult.read(rs, maxRows);
      }
    }
  }

  /** The underlying connection, for analyses in this module that run their own SQL. */
  Connection connection() {
    return db;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }

  private static String literal(String s) {
    return FileSource.quote(s);
  }
}
