package dev.loupe.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Keeps the latest version of each business key (seed exercise Q8), for any table with a key
 * column and a version column, as SQL for DuckDB and PostgreSQL.
 *
 * <p>The rule, identical on both engines and never left to chance:
 *
 * <ol>
 *   <li>Rows with a NULL key are kept as they are and counted ({@code nullKeys}).
 *   <li>For each key the winning version is the greatest non-NULL version: a NULL version never
 *       wins against a dated one. If every version of a key is NULL, the NULL rows compete.
 *   <li>Among rows at the winning version (a tie), the row whose other columns, compared one by one
 *       in table order as text (byte order, NULL after any value), are smallest is kept. Rows that
 *       are identical keep one copy.
 * </ol>
 *
 * <p>Applying the result is idempotent: a second run finds nothing to remove. The seed's answers
 * differ: its ROW_NUMBER query picks an arbitrary row among ties and, on PostgreSQL, lets a NULL
 * version win ({@code ORDER BY updated_at DESC} puts NULLs first there, last on DuckDB); its
 * self-join DELETE keeps every row of a tie and every NULL-version row, after which its unique
 * constraint fails.
 */
public final class Dedup {

  private final String key;
  private final String version;

  private Dedup(String key, String version) {
    this.key = key;
    this.version = version;
  }

  /**
   * @param key the business-key column (a plain identifier; see {@link Names#identifier})
   * @param version the version column: the greatest value wins (a timestamp, a number, text)
   */
  public static Dedup of(String key, String version) {
    Names.identifier("--key", key);
    Names.identifier("--order-by", version);
    if (key.equals(version)) {
      throw new IllegalArgumentException("--order-by must differ from --key but both were '" + key + "'");
    }
    return new Dedup(key, version);
  }

  public String key() {
    return key;
  }

  public String version() {
    return version;
  }

  /** Counts duplicates, ties and NULLs in the source (a table name or table expression). */
  public DedupReport analyze(Connection c, Dialect d, String source) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    check(columns);
    String k = d.quote(key);
    String v = d.quote(version);
    String sql =
        "WITH src AS (SELECT " + k + " AS k, " + v + " AS v FROM " + source + " AS s),"
            + " per_key AS (SELECT k, COUNT(*) AS n, MAX(v) AS latest FROM src WHERE k IS NOT NULL GROUP BY k),"
            + " at_latest AS (SELECT p.k, COUNT(*) AS m FROM src JOIN per_key p ON src.k = p.k"
            + " AND (src.v = p.latest OR (p.latest IS NULL AND src.v IS NULL)) WHERE p.n > 1 GROUP BY p.k)"
            + " SELECT (SELECT COUNT(*) FROM src),"
            + " (SELECT COUNT(*) FROM per_key) + (SELECT COUNT(*) FROM src WHERE k IS NULL),"
            + " (SELECT COUNT(*) FROM per_key WHERE n > 1),"
            + " (SELECT COALESCE(MAX(n), 0) FROM per_key),"
            + " (SELECT COUNT(*) FROM at_latest WHERE m > 1),"
            + " (SELECT COUNT(*) FROM src WHERE v IS NULL),"
            + " (SELECT COUNT(*) FROM src WHERE k IS NULL)";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new DedupReport(
          Jdbc.longValue(rs, 1),
          Jdbc.longValue(rs, 2),
          Jdbc.longValue(rs, 3),
          Jdbc.longValue(rs, 4),
          Jdbc.longValue(rs, 5),
          Jdbc.longValue(rs, 6),
          Jdbc.longValue(rs, 7),
          0);
    }
  }

  /**
   * The query returning the rows to keep, with the source's columns in order.
   *
   * @param columns the source's columns (see {@link Names#columns})
   */
  public String latestSql(Dialect d, String source, Map<String, Integer> columns) {
    check(columns);
    String select = selectList(d, columns, "s");
    if (d == Dialect.POSTGRES) {
      return "SELECT " + selectList(d, columns, "r") + " FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s."
          + d.quote(key) + " ORDER BY " + ranking(d, columns, "s") + ") AS loupe_rn FROM " + source
          + " AS s WHERE s." + d.quote(key) + " IS NOT NULL) AS r WHERE loupe_rn = 1"
          + " UNION ALL SELECT " + select + " FROM " + source + " AS s WHERE s." + d.quote(key) + " IS NULL";
    }
    // DuckDB: one window sort by (key, version DESC), as the textbook ROW_NUMBER query does, also
    // tells whether the runner-up ties with the winner (LEAD); only keys with such a tie (rare) are
    // ranked again by the full rule.
    String k = d.quote(key);
    String v = d.quote(version);
    return "WITH top AS MATERIALIZED (SELECT * FROM (SELECT s.*, ROW_NUMBER() OVER loupe_w AS loupe_rn,"
        + " LEAD(s." + v + ") OVER loupe_w AS loupe_next FROM " + source + " AS s WHERE s." + k + " IS NOT NULL"
        + " WINDOW loupe_w AS (PARTITION BY s." + k + " ORDER BY s." + v + " DESC NULLS LAST)) AS r WHERE loupe_rn = 1)"
        + " SELECT " + selectList(d, columns, "s") + " FROM top AS s WHERE s.loupe_next IS DISTINCT FROM s." + v
        + " UNION ALL SELECT " + selectList(d, columns, "r") + " FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s." + k
        + " ORDER BY " + ranking(d, columns, "s") + ") AS loupe_rn FROM " + source + " AS s SEMI JOIN (SELECT " + k
        + " FROM top WHERE loupe_next IS NOT DISTINCT FROM " + v + ") AS t ON s." + k + " = t." + k + ") AS r"
        + " WHERE loupe_rn = 1"
        + " UNION ALL SELECT " + select + " FROM " + source + " AS s WHERE s." + k + " IS NULL";
  }

  /**
   * How a DuckDB source tells its rows apart within one statement, which lets {@link #latestSql(String,
   * Map, RowKey)} rank only (row, key, version) and drop the losers by row instead of ranking
   * whole rows.
   */
  public enum RowKey {
    /** A table's {@code rowid}. */
    ROWID("s.rowid", "rowid"),
    /**
     * A Parquet scan's file index and the row's position in its file: the files must not change
     * while the query runs (a file given with {@code --input}, not the live lake).
     */
    FILE_ROW("CAST(s.file_index AS BIGINT) * 1099511627776 + s.file_row_number", "file_index", "file_row_number");

    /** The key over alias {@code s}, one BIGINT (a file holds fewer than 2^40 rows). */
    private final String expression;
    /** The virtual columns it reads, which a real column of the same name would hide. */
    private final List<String> reads;

    RowKey(String expression, String... reads) {
      this.expression = expression;
      this.reads = List.of(reads);
    }

    /** This key if {@code source} has it on DuckDB (a table, not a view; a Parquet scan), else null. */
    public RowKey ifPresent(Connection duck, String source) throws SQLException {
      try (Statement st = duck.createStatement()) {
        st.executeQuery("SELECT " + expression + " FROM " + source + " AS s LIMIT 0").close();
      } catch (SQLException e) {
        return null; // a view, or a reader without these virtual columns (CSV)
      }
      return unlessShadowed(Names.columns(duck, source));
    }

    /**
     * This key for a source with these columns, or null when a column named like one it reads
     * hides the virtual one (then it identifies nothing for sure).
     */
    public RowKey unlessShadowed(Map<String, Integer> columns) {
      for (String c : columns.keySet()) {
        for (String r : reads) {
          if (c.equalsIgnoreCase(r)) {
            return null;
          }
        }
      }
      return this;
    }
  }

  /**
   * The rows to keep on DuckDB, ranking only (row, key, version): one window sort marks every row
   * below its key's latest version as a loser, and the rows that tie at the latest version (rare)
   * are ranked again by the full rule; the source is then read once more without the losers.
   * Same rows as {@link #latestSql(Dialect, String, Map)}, with less data sorted.
   *
   * @param rowKey how the source's rows are told apart; null: {@link #latestSql(Dialect, String,
   *     Map)}
   */
  public String latestSql(String source, Map<String, Integer> columns, RowKey rowKey) {
    RowKey rk = rowKey == null ? null : rowKey.unlessShadowed(columns);
    if (rk == null) {
      return latestSql(Dialect.DUCKDB, source, columns);
    }
    check(columns);
    String rid = rk.expression;
    return "SELECT " + selectList(Dialect.DUCKDB, columns, "s") + " FROM " + source + " AS s WHERE " + rid
        + " NOT IN (SELECT loupe_rid FROM (" + losersSql(columns, source, rid) + ") AS l)";
  }

  /**
   * The row keys ({@code loupe_rid}) of the rows that lose, on DuckDB; {@code rid} is the row key
   * over alias {@code s}. Rows with a NULL key never lose.
   */
  private String losersSql(Map<String, Integer> columns, String source, String rid) {
    Dialect d = Dialect.DUCKDB;
    String k = "s." + d.quote(key);
    String v = "s." + d.quote(version);
    // loupe_tie: the row is at its key's latest version but another row is too (or every version
    // is NULL); FIRST_VALUE is the latest version, the window's order putting NULLs last
    return "WITH loupe_w AS MATERIALIZED (SELECT loupe_rid, loupe_v IS NOT DISTINCT FROM loupe_top AS loupe_tie FROM"
        + " (SELECT " + rid + " AS loupe_rid, " + v + " AS loupe_v, ROW_NUMBER() OVER loupe_o AS loupe_rn, LEAD(" + v
        + ") OVER loupe_o AS loupe_next, FIRST_VALUE(" + v + ") OVER loupe_o AS loupe_top FROM " + source + " AS s WHERE "
        + k + " IS NOT NULL WINDOW loupe_o AS (PARTITION BY " + k + " ORDER BY " + v + " DESC NULLS LAST)) AS r"
        + " WHERE loupe_rn > 1 OR loupe_next IS NOT DISTINCT FROM loupe_v)"
        + " SELECT loupe_rid FROM loupe_w WHERE NOT loupe_tie"
        + " UNION ALL SELECT loupe_rid FROM (SELECT " + rid + " AS loupe_rid, ROW_NUMBER() OVER (PARTITION BY " + k
        + " ORDER BY " + ranking(d, columns, "s") + ") AS loupe_rn FROM " + source + " AS s WHERE " + rid
        + " IN (SELECT loupe_rid FROM loupe_w WHERE loupe_tie)) AS t WHERE loupe_rn > 1";
  }

  /**
   * Writes the rows to keep to a CSV or Parquet file (by its extension), on DuckDB.
   *
   * @return the number of rows written
   */
  public long writeLatest(Connection duck, String source, java.nio.file.Path file) throws SQLException {
    return writeLatest(duck, source, null, file);
  }

  /**
   * Writes the rows to keep to a CSV or Parquet file (by its extension), on DuckDB, ranking only
   * (row, key, version) when the source has a {@code rowKey}.
   *
   * @return the number of rows written
   */
  public long writeLatest(Connection duck, String source, RowKey rowKey, java.nio.file.Path file) throws SQLException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    String format;
    if (name.endsWith(".parquet")) {
      format = "(FORMAT parquet)";
    } else if (name.endsWith(".csv")) {
      format = "(FORMAT csv, HEADER)";
    } else {
      throw new IllegalArgumentException("--output must end in .csv or .parquet but was " + file);
    }
    String sql = latestSql(source, Names.columns(duck, source), rowKey);
    try (Statement st = duck.createStatement()) {
      return st.executeUpdate("COPY (" + sql + ") TO " + FileSource.quote(file.toAbsolutePath().toString()) + " " + format);
    }
  }

  /**
   * Removes every row but the winner of each key from a PostgreSQL table, in batches of {@code
   * batchSize} rows, each in its own short transaction, reporting the running total of removed
   * rows after each batch; then adds the unique constraint on the key (unless the key already has
   * one), which keeps duplicates from coming back. Run it while nothing else writes to the table:
   * a duplicate written meanwhile makes the constraint fail with PostgreSQL's message, and running
   * again finishes the job.
   */
  public DedupReport applyPostgres(Connection c, String table, int batchSize, LongConsumer progress)
      throws SQLException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1 but was " + batchSize);
    }
    Dialect d = Dialect.POSTGRES;
    String t = Names.table(d, table);
    Map<String, Integer> columns = Names.columns(c, t);
    DedupReport before = analyze(c, d, t);
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true);
    long removed = 0;
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pg_temp.loupe_losers");
      st.execute(
          "CREATE TEMP TABLE loupe_losers AS SELECT ROW_NUMBER() OVER () AS n, loupe_ctid FROM (SELECT s.ctid AS loupe_ctid,"
              + " ROW_NUMBER() OVER (PARTITION BY s." + d.quote(key) + " ORDER BY " + ranking(d, columns, "s")
              + ") AS loupe_rn FROM " + t + " AS s WHERE s." + d.quote(key) + " IS NOT NULL) AS r WHERE loupe_rn > 1");
      long total;
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM loupe_losers")) {
        rs.next();
        total = rs.getLong(1);
      }
      for (long lo = 1; lo <= total; lo += batchSize) {
        removed += st.executeUpdate(
            "DELETE FROM " + t + " WHERE ctid = ANY(ARRAY(SELECT loupe_ctid FROM loupe_losers WHERE n BETWEEN "
                + lo + " AND " + (lo + batchSize - 1) + "))");
        progress.accept(removed);
      }
      st.execute("DROP TABLE loupe_losers");
      if (!hasUniqueConstraint(c, table)) {
        st.execute("ALTER TABLE " + t + " ADD CONSTRAINT " + d.quote(constraintName(table))
            + " UNIQUE (" + d.quote(key) + ")");
      }
    } finally {
      c.setAutoCommit(autoCommit);
    }
    return before.withRemoved(removed);
  }

  /**
   * Removes every row but the winner of each key from a DuckDB table in one transaction (the
   * losers found by rowid, as {@link #latestSql(String, Map, RowKey)} finds them), then creates a
   * unique index on the key (unless one with that name exists).
   *
   * @throws IllegalArgumentException if the table has a column named rowid, which hides the row id
   */
  public DedupReport applyDuckdb(Connection c, String table) throws SQLException {
    Dialect d = Dialect.DUCKDB;
    String t = Names.table(d, table);
    Map<String, Integer> columns = Names.columns(c, t);
    if (RowKey.ROWID.unlessShadowed(columns) == null) {
      throw new IllegalArgumentException("--table " + table + " has a column named rowid, which hides DuckDB's row id"
          + " that --apply deletes by: rename the column, or write the kept rows with --output FILE");
    }
    DedupReport before = analyze(c, d, t);
    long removed;
    try (Statement st = c.createStatement()) {
      removed = st.executeUpdate("DELETE FROM " + t + " WHERE rowid IN (SELECT loupe_rid FROM ("
          + losersSql(columns, t, RowKey.ROWID.expression) + ") AS l)");
      st.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + d.quote(constraintName(table)) + " ON " + t + " (" + d.quote(key) + ")");
    }
    return before.withRemoved(removed);
  }

  /** loupe_unique_&lt;table&gt;_&lt;key&gt;, cut to PostgreSQL's 63 characters. */
  String constraintName(String table) {
    String name = "loupe_unique_" + table.replace('.', '_') + "_" + key;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private boolean hasUniqueConstraint(Connection c, String table) throws SQLException {
    String sql =
        "SELECT COUNT(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
            + " WHERE i.indrelid = CAST(? AS regclass) AND i.indisunique AND i.indnatts = 1 AND a.attname = ?";
    try (var ps = c.prepareStatement(sql)) {
      ps.setString(1, Names.table(Dialect.POSTGRES, table));
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /** version DESC with NULLs last, then the other columns as text, ascending, NULLs last. */
  String ranking(Dialect d, Map<String, Integer> columns, String alias) {
    List<String> parts = new ArrayList<>();
    parts.add(alias + "." + d.quote(version) + " DESC NULLS LAST");
    for (String column : columns.keySet()) {
      if (!column.equals(key) && !column.equals(version)) {
        parts.add(d.asText(alias + "." + d.quote(column)) + " ASC NULLS LAST");
      }
    }
    return String.join(", ", parts);
  }

  private static String selectList(Dialect d, Map<String, Integer> columns, String alias) {
    List<String> parts = new ArrayList<>();
    for (String column : columns.keySet()) {
      parts.add(alias + "." + d.quote(column));
    }
    return String.join(", ", parts);
  }

  private void check(Map<String, Integer> columns) {
    Names.require(columns, "--key", key);
    Names.require(columns, "--order-by", version);
  }
}
