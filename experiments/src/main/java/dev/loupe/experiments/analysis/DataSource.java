package dev.loupe.experiments.analysis;

import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.FileSource;
import dev.loupe.sql.QueryResult;
import dev.loupe.sql.SqlSandbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an analysis reads its rows: a CSV/Parquet file, or a read-only SQL query over the lake.
 * Analyses send one aggregating query per fit ({@code … FROM <relation> GROUP BY …}), so the rows
 * stay in DuckDB and only sufficient statistics come back (the 2×2 difference-in-differences reads
 * a plain CSV file itself, see {@link DidAnalysis}). Not thread-safe; close it.
 */
public final class DataSource implements AutoCloseable {

  private final String relation;
  private final String description;
  private final Path csvFile;
  private final SqlSandbox sandbox;
  private Connection db;

  private DataSource(String relation, String description, Path csvFile, SqlSandbox sandbox) {
    this.relation = relation;
    this.description = description;
    this.csvFile = csvFile;
    this.sandbox = sandbox;
  }

  /**
   * A CSV or Parquet file, read by an in-memory DuckDB (opened on the first query; analyses that
   * read a plain {@code .csv} file themselves never open it).
   *
   * @throws IllegalArgumentException if the file does not exist or has an unknown extension
   */
  public static DataSource ofFile(Path file) throws SQLException {
    String expr = FileSource.tableExpression(file);
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    return new DataSource(expr, "file " + file, csv ? file : null, null);
  }

  /** The file when it is a plain (uncompressed) {@code .csv} file, else null. */
  Path csvFile() {
    return csvFile;
  }

  /**
   * The rows of a read-only query over the lake (views {@code events}, {@code rejected}).
   *
   * @throws IllegalArgumentException if the query is blank or the data directory does not exist
   */
  public static DataSource ofLakeQuery(LakeLayout layout, String sql) throws SQLException {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("--sql is empty: give a query such as SELECT … FROM events");
    }
    String trimmed = sql.strip();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    SqlSandbox sandbox = SqlSandbox.open(layout);
    // The newline keeps a trailing line comment in the user's query from swallowing the ")".
    return new DataSource("(" + trimmed + "\n) AS loupe_src", "query", null, sandbox);
  }

  /** The table expression to put after FROM. */
  public String relation() {
    return relation;
  }

  /** "file data.csv" or "query", for messages. */
  public String description() {
    return description;
  }

  /** Runs a query and materializes every row. */
  public QueryResult query(String sql) throws SQLException {
    try {
      if (sandbox != null) {
        QueryResult r = sandbox.query(sql, Integer.MAX_VALUE - 1);
        return r;
      }
      if (db == null) {
        db = DriverManager.getConnection("jdbc:duckdb:");
      }
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        return QueryResult.read(rs, Integer.MAX_VALUE - 1);
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "reading " + description + " failed: " + firstLine(e.getMessage()), e);
    }
  }

  /** The column names of the relation. */
  public List<String> columns() throws SQLException {
    return new ArrayList<>(types().keySet());
  }

  private java.util.Map<String, String> types;

  /** Column name → DuckDB type name, in column order (read once, then cached). */
  public java.util.Map<String, String> types() throws SQLException {
    if (types == null) {
      java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
      for (List<Object> row : query("DESCRIBE SELECT * FROM " + relation).rows()) {
        m.put(String.valueOf(row.get(0)), String.valueOf(row.get(1)));
      }
      types = m;
    }
    return types;
  }

  /** Whether the column has a numeric SQL type (so no value can fail to parse as a number). */
  public boolean isNumeric(String column) throws SQLException {
    String t = types().getOrDefault(column, "").toUpperCase(Locale.ROOT);
    return t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*)");
  }

  /**
   * Checks that the named columns exist (case-insensitively, like DuckDB) and returns them as
   * spelled in the data.
   *
   * @throws IllegalArgumentException naming the option, the missing column and the columns found
   */
  public List<String> require(String... optionAndColumn) throws SQLException {
    List<String> cols = columns();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < optionAndColumn.length; i += 2) {
      String option = optionAndColumn[i];
      String col = optionAndColumn[i + 1];
      String found = null;
      for (String c : cols) {
        if (c.toLowerCase(Locale.ROOT).equals(col.toLowerCase(Locale.ROOT))) {
          found = c;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(
            option + " column '" + col + "' is not in " + description + "; its columns are " + cols);
      }
      out.add(found);
    }
    return out;
  }

  /** A SQL identifier, quoted. */
  public static String id(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  @Override
  public void close() throws SQLException {
    if (db != null) {
      db.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }
}
