package dev.loupe.sql;

import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Read-only SQL over a Loupe lake, safe to expose to users: an in-memory DuckDB with the views
 * {@code events}, {@code rejected}, {@code sessions} and {@code daily_reports} over every
 * partition.
 *
 * <p>Views (columns in this order):
 *
 * <ul>
 *   <li>{@code events}: event_id VARCHAR, user_id VARCHAR, event_type VARCHAR, event_time
 *       TIMESTAMP (UTC), properties VARCHAR (JSON object text), received_at TIMESTAMP (UTC),
 *       event_date DATE;
 *   <li>{@code rejected}: received_at TIMESTAMP, source VARCHAR, batch_index INTEGER, field
 *       VARCHAR, reason VARCHAR, raw VARCHAR, received_date DATE;
 *   <li>{@code sessions}: the materialized sessions (see {@link SessionStore}): user_id,
 *       session_num, session_start, session_end, session_duration_min, events_in_session,
 *       event_sequence, session_date;
 *   <li>{@code daily_reports}: metric_date DATE, user_segment VARCHAR, event_type VARCHAR,
 *       total_events BIGINT, unique_users BIGINT (the written daily reports).
 * </ul>
 *
 * An empty lake gives empty views with the same columns. Each query lists the lake's files when
 * it starts, so a long-lived sandbox sees new files, except that a sandbox opened over an empty
 * lake keeps its empty views until {@link #refresh()}. A query that meets a file removed while it
 * ran (by compaction or retention) is retried once.
 *
 * <p><b>Sandbox.</b> Three layers, each enough to stop the escapes the tests try:
 *
 * <ol>
 *   <li>{@link SqlGuard}: exactly one statement per query, and a statement starting with ATTACH,
 *       DETACH, INSTALL, LOAD, COPY, EXPORT, IMPORT, SET, RESET, PRAGMA, CREATE, INSERT, UPDATE,
 *       DELETE, DROP, ALTER, CALL, … is refused with a message naming it.
 *   <li>DuckDB's own parser ({@code json_serialize_sql}) must read it as a single SELECT.
 *   <li>The engine may read only the lake's events, rejected, sessions and reports directories
 *       ({@code allowed_directories}), then {@code enable_external_access=false}, then {@code
 *       lock_configuration=true}, in that order (DESIGN.md), with no temporary directory: a query
 *       can neither read other files (the write-ahead log and state included) nor fetch URLs nor
 *       undo the settings.
 * </ol>
 *
 * Limits: a time limit (default 30 s; the query is interrupted), a row limit (rows beyond it are
 * not returned, and the result says it was truncated) and a memory limit (default 1 GB). Refusals
 * are {@link QueryRefusedException}s; other failures (syntax, unknown column) are {@link
 * SQLException}s with DuckDB's message.
 *
 * <p>Not thread-safe: one sandbox per thread or request (opening one costs a few milliseconds).
 */
public final class SqlSandbox implements AutoCloseable {

  /** Rows returned by {@link #query(String)} before the result is marked truncated. */
  public static final int DEFAULT_MAX_ROWS = 10_000;

  /** How long a query may run by default. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

  /** DuckDB's memory limit for sandboxed queries. */
  public static final String MEMORY_LIMIT = "1GB";

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "loupe-sql-time-limit");
            t.setDaemon(true);
            return t;
          });

  static final String EVENTS_COLUMNS =
      "event_id, user_id, event_type, event_time, properties, received_at, event_date";
  static final String REJECTED_COLUMNS =
      "received_at, source, batch_index, field, reason, raw, received_date";

  private final LakeLayout layout;
  private final Connection db;
  private final Duration timeLimit;

  private SqlSandbox(LakeLayout layout, Connection db, Duration timeLimit) {
    this.layout = layout;
    this.db = db;
    this.timeLimit = timeLimit;
  }

  /**
   * Opens a sandbox over the lake with the default time limit.
   *
   * @throws IllegalArgumentException if the data directory does not exist
   */
  public static SqlSandbox open(LakeLayout layout) throws SQLException {
    return open(layout, DEFAULT_TIME_LIMIT);
  }

  /**
   * Opens a sandbox whose queries are interrupted after {@code timeLimit}.
   *
   * @throws IllegalArgumentException if the data directory does not exist or the time limit is not
   *     positive
   */
  public static SqlSandbox open(LakeLayout layout, Duration timeLimit) throws SQLException {
    if (!Files.isDirectory(layout.root())) {
      throw new IllegalArgumentException("data directory " + layout.root()
          + " does not exist (start `loupe serve` or `loupe import` with this --data-dir first)");
    }
    if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException("--time-limit must be more than 0 but was " + timeLimit);
    }
    Connection db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = db.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("SET temp_directory = ''");
      s.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
      List<String> dirs = new ArrayList<>();
      for (Path p : List.of(layout.events(), layout.rejected(), layout.sessions(), layout.reports())) {
        dirs.add(literal(p + "/"));
      }
      s.execute("SET allowed_directories = [" + String.join(", ", dirs) + "]");
      s.execute("SET enable_external_access = false");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      db.close();
      throw e;
    }
    SqlSandbox sandbox = new SqlSandbox(layout, db, timeLimit);
    sandbox.refresh();
    return sandbox;
  }

  public LakeLayout layout() {
    return layout;
  }

  public Duration timeLimit() {
    return timeLimit;
  }

  /** Re-creates the views so they see the files written since. */
  public void refresh() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE OR REPLACE VIEW events AS " + eventsSource());
      s.execute("CREATE OR REPLACE VIEW rejected AS " + rejectedSource());
      s.execute("CREATE OR REPLACE VIEW sessions AS " + sessionsSource());
      s.execute("CREATE OR REPLACE VIEW daily_reports AS " + reportsSource());
    }
  }

  private String sessionsSource() {
    if (!hasParquet(layout.sessions(), 2)) {
      return "SELECT NULL::VARCHAR AS user_id, NULL::BIGINT AS session_num,"
          + " NULL::TIMESTAMP AS session_start, NULL::TIMESTAMP AS session_end,"
          + " NULL::DOUBLE AS session_duration_min, NULL::BIGINT AS events_in_session,"
          + " NULL::VARCHAR[] AS event_sequence, NULL::DATE AS session_date WHERE false";
    }
    return "SELECT user_id, session_num, session_start, session_end, session_duration_min,"
        + " events_in_session, event_sequence, session_date FROM read_parquet("
        + literal(layout.sessions() + "/*/*.parquet")
        + ", hive_partitioning = true, hive_types = {'session_date': DATE})";
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

  /** The daily reports (see {@code dev.loupe.sql.report.DailyReport}). */
  private String reportsSource() {
    if (!hasParquet(layout.dailyReports(), 2)) {
      return "SELECT NULL::DATE AS metric_date, NULL::VARCHAR AS user_segment,"
          + " NULL::VARCHAR AS event_type, NULL::BIGINT AS total_events,"
          + " NULL::BIGINT AS unique_users WHERE false";
    }
    return dev.loupe.sql.report.DailyReport.viewSql(layout);
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
   * Runs one read-only query and materializes at most {@code maxRows} rows.
   *
   * @throws QueryRefusedException if the query is empty, has several statements, is not a
   *     SELECT, reaches outside the lake, or exceeds the time or memory limit
   * @throws SQLException with DuckDB's message when the query fails otherwise (syntax, missing
   *     column)
   */
  public QueryResult query(String sql, int maxRows) throws SQLException {
    return query(sql, maxRows, Long.MAX_VALUE);
  }

  /**
   * {@link #query(String, int)}, refusing a result of more than about {@code maxChars} characters
   * (see {@link QueryResult#read(ResultSet, int, long)}) before it exhausts the memory.
   */
  public QueryResult query(String sql, int maxRows, long maxChars) throws SQLException {
    if (maxRows < 0) {
      throw new IllegalArgumentException("--max-rows must be >= 0 but was " + maxRows);
    }
    String statement = SqlGuard.check(sql);
    requireSelect(statement);
    try {
      return run(statement, maxRows, maxChars);
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (!(m.contains("No such file") || m.contains("No files found")
          || m.contains("Cannot open file"))) {
        throw e;
      }
      // a file the views listed was compacted or expired meanwhile: list the files again, once
      refresh();
      return run(statement, maxRows, maxChars);
    }
  }

  private QueryResult run(String statement, int maxRows, long maxChars) throws SQLException {
    try (Statement s = db.createStatement()) {
      ScheduledFuture<?> timer = TIMER.schedule(() -> cancel(s), timeLimit.toMillis(), TimeUnit.MILLISECONDS);
      try {
        if (!s.execute(statement)) {
          throw new QueryRefusedException("the sandbox is read-only; only SELECT queries run");
        }
        try (ResultSet rs = s.getResultSet()) {
          return QueryResult.read(rs, maxRows, maxChars);
        }
      } catch (SQLException e) {
        throw translate(e, timer.isDone());
      } finally {
        timer.cancel(false);
      }
    }
  }

  /** DuckDB's parser must see exactly one SELECT (DESCRIBE, SHOW and SUMMARIZE are SELECTs). */
  private void requireSelect(String statement) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT json_extract(j, '$.error')::BOOLEAN, json_extract_string(j, '$.error_message'),"
            + " json_array_length(json_extract(j, '$.statements')) FROM (SELECT json_serialize_sql(?) AS j)")) {
      p.setString(1, statement);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          String message = rs.getString(2);
          if (message != null && message.startsWith("Only SELECT")) {
            throw new QueryRefusedException(
                "the sandbox is read-only; only SELECT queries run (this statement is not a SELECT)");
          }
          throw new SQLException(message);
        }
        if (rs.getLong(3) != 1) {
          throw new QueryRefusedException(
              "query has " + rs.getLong(3) + " statements but the sandbox runs exactly one per request");
        }
      }
    }
  }

  private static void cancel(Statement s) {
    try {
      s.cancel();
    } catch (SQLException e) {
      // the statement finished meanwhile
    }
  }

  private SQLException translate(SQLException e, boolean timedOut) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (timedOut || m.contains("INTERRUPT")) {
      throw new QueryRefusedException("query ran longer than the time limit of " + seconds(timeLimit)
          + " and was stopped");
    }
    if (m.startsWith("Permission Error")) {
      java.util.regex.Matcher f = java.util.regex.Pattern.compile("Cannot access (?:file|directory) \"([^\"]*)\"").matcher(m);
      if (f.find()) {
        throw new QueryRefusedException("the query reaches " + f.group(1) + ", outside the lake: the sandbox"
            + " reads only the views " + SqlGuard.VIEWS);
      }
      throw new QueryRefusedException("refused by the sandbox: " + m.lines().findFirst().orElse(m));
    }
    if (m.startsWith("Out of Memory Error")) {
      throw new QueryRefusedException("query needs more memory than the sandbox's limit of " + MEMORY_LIMIT);
    }
    return e;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
