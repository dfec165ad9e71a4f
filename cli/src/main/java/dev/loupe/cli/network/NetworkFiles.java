package dev.loupe.cli.network;

import dev.loupe.graph.GraphBuilder;
import dev.loupe.graph.GraphLoad;
import dev.loupe.sql.FileSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the files of network experiments (edge lists, attributes, assignments, outcomes) from CSV
 * or Parquet files, or directories of Parquet files (a lake table), with DuckDB, so that ids may be
 * strings or numbers and columns are found by name.
 */
public final class NetworkFiles {

  private NetworkFiles() {}

  /**
   * Reads an undirected edge list. Columns: {@code source} and {@code target} (or the first two
   * columns when those names are absent), and {@code weight} when {@code weightColumn} is given or a
   * column named {@code weight} exists. Node numbers follow the sorted ids, so the same graph gives
   * the same numbering (and the same clusters for a seed) whatever the order of the file's rows.
   *
   * @throws IllegalArgumentException on a missing file or column, a null id or weight, a bad weight
   */
  public static GraphLoad readEdges(Path file, String sourceColumn, String targetColumn, String weightColumn) {
    String table = source(file);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      List<String> cols = columns(st, table);
      if (cols.size() < 2) {
        throw new IllegalArgumentException("edge list " + file + " must have at least two columns (source, target) but had " + cols);
      }
      String s = sourceColumn != null ? require(cols, sourceColumn, file) : cols.contains("source") ? "source" : cols.get(0);
      String t = targetColumn != null ? require(cols, targetColumn, file) : cols.contains("target") ? "target" : cols.get(1);
      String w = weightColumn != null ? require(cols, weightColumn, file) : cols.contains("weight") ? "weight" : null;
      st.execute(
          "CREATE TEMP TABLE e AS SELECT " + ident(s) + " AS s, " + ident(t) + " AS t, "
              + (w == null ? "1.0" : "TRY_CAST(" + ident(w) + " AS DOUBLE)") + " AS w FROM " + table);
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FILTER (s IS NULL OR t IS NULL), count(*) FILTER (w IS NULL) FROM e")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new IllegalArgumentException(
              "edge list " + file + ": columns " + s + " and " + t + " must not be empty but " + rs.getLong(1) + " rows had a missing id");
        }
        if (rs.getLong(2) > 0) {
          throw new IllegalArgumentException(
              "edge list " + file + ": column " + w + " must be a number but " + rs.getLong(2) + " rows were empty or not numeric");
        }
      }
      st.execute(
          "CREATE TEMP TABLE n AS SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS k FROM"
              + " (SELECT s AS id FROM e UNION SELECT t FROM e)");
      GraphBuilder b = GraphBuilder.create();
      try (ResultSet rs = st.executeQuery("SELECT CAST(id AS VARCHAR) FROM n ORDER BY k")) {
        while (rs.next()) {
          b.node(rs.getString(1));
        }
      }
      try (ResultSet rs =
          st.executeQuery("SELECT a.k, b.k, e.w FROM e JOIN n a ON e.s = a.id JOIN n b ON e.t = b.id")) {
        while (rs.next()) {
          b.addEdge(rs.getInt(1), rs.getInt(2), rs.getDouble(3));
        }
      }
      return b.build();
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot read edge list " + file + ": " + firstParagraph(e), e);
    }
  }

  /**
   * Reads a table keyed by user: {@code user} column (or the first column) and the named columns
   * as strings (null stays null).
   *
   * @throws IllegalArgumentException on a missing column or a user listed twice
   */
  public static Table readTable(Path file, String userColumn, List<String> wanted) {
    String table = source(file);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      List<String> cols = columns(st, table);
      String u = userColumn != null ? require(cols, userColumn, file) : cols.contains("user") ? "user" : cols.get(0);
      StringBuilder sql = new StringBuilder("SELECT CAST(").append(ident(u)).append(" AS VARCHAR)");
      for (String w : wanted) {
        sql.append(", CAST(").append(ident(require(cols, w, file))).append(" AS VARCHAR)");
      }
      sql.append(" FROM ").append(table);
      Map<String, String[]> rows = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery(sql.toString())) {
        while (rs.next()) {
          String user = rs.getString(1);
          if (user == null) {
            throw new IllegalArgumentException(file + ": column " + u + " must not be empty but row " + (rows.size() + 1) + " had no user");
          }
          String[] v = new String[wanted.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = rs.getString(i + 2);
          }
          if (rows.put(user, v) != null) {
            throw new IllegalArgumentException(file + ": column " + u + " must list each user once but " + user + " appears twice");
          }
        }
      }
      return new Table(file, u, List.copyOf(wanted), rows, cols);
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + firstParagraph(e), e);
    }
  }

  /** The column names of a file or directory, as DuckDB reads them. */
  public static List<String> columnsOf(Path file) {
    String table = source(file);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      return columns(st, table);
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + firstParagraph(e), e);
    }
  }

  /** A user-keyed table of string values; see {@link #readTable}. */
  public record Table(Path file, String userColumn, List<String> columns, Map<String, String[]> rows, List<String> allColumns) {

    /** The value of column {@code col} for every user, in file order. */
    public Map<String, String> column(String col) {
      int i = columns.indexOf(col);
      Map<String, String> out = new LinkedHashMap<>();
      for (var e : rows.entrySet()) {
        out.put(e.getKey(), e.getValue()[i]);
      }
      return out;
    }

    /**
     * Column {@code col} as numbers.
     *
     * @throws IllegalArgumentException naming the user and value when one is empty or not a number
     */
    public Map<String, Double> numbers(String col) {
      Map<String, Double> out = new HashMap<>();
      for (var e : column(col).entrySet()) {
        double d;
        try {
          d = e.getValue() == null ? Double.NaN : Double.parseDouble(e.getValue());
        } catch (NumberFormatException ex) {
          d = Double.NaN;
        }
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException(
              file + ": column " + col + " must be a finite number but was '" + e.getValue() + "' for user " + e.getKey());
        }
        out.put(e.getKey(), d);
      }
      return out;
    }
  }

  private static List<String> columns(Statement st, String table) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + table)) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    }
    return cols;
  }

  private static String require(List<String> cols, String name, Path file) {
    for (String c : cols) {
      if (c.equals(name)) {
        return c;
      }
    }
    for (String c : cols) {
      if (c.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("file " + file + " must have a column " + name + " but its columns are " + cols);
  }

  /**
   * A file ({@link FileSource#tableExpression}) or a directory of Parquet files such as a lake
   * table ({@code **}{@code /*.parquet}, hive partitions become columns).
   */
  static String source(Path file) {
    if (java.nio.file.Files.isDirectory(file)) {
      try (var files = java.nio.file.Files.walk(file)) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
          throw new IllegalArgumentException("directory " + file + " must contain .parquet files but has none");
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot list " + file + ": " + e.getMessage(), e);
      }
      return "read_parquet(" + FileSource.quote(file.toAbsolutePath() + "/**/*.parquet") + ", hive_partitioning = true)";
    }
    return FileSource.tableExpression(file);
  }

  /** DuckDB's messages start with what went wrong (line, column, value) and go on with advice. */
  static String firstParagraph(SQLException e) {
    String m = String.valueOf(e.getMessage()).strip();
    int blank = m.indexOf("\n\n");
    return (blank < 0 ? m : m.substring(0, blank)).replace('\n', ' ');
  }

  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
