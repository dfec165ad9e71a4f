package dev.loupe.cli;

import dev.loupe.sql.Dialect;
import dev.loupe.sql.FileSource;
import dev.loupe.sql.LakeTables;
import dev.loupe.sql.Names;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where an analysis reads its rows: the lake (default), a CSV/Parquet file ({@code --input}), or a
 * table in the user's own database ({@code --table} with {@code --engine} and {@code --jdbc-url}).
 */
public final class InputOptions {

  @Mixin DataDirOption dataDir;

  @Option(names = "--input", paramLabel = "FILE", description = "Read a CSV or Parquet file instead of the lake.")
  Path input;

  @Option(names = "--table", paramLabel = "NAME", description = "Read this table (schema.table allowed) through --jdbc-url.")
  String table;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      defaultValue = "duckdb",
      description = "Engine that runs the SQL: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Dialect engine = Dialect.DUCKDB;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "JDBC URL of the database holding --table (jdbc:postgresql://host/db?user=…, or jdbc:duckdb:/path/file.db).")
  String jdbcUrl;

  /** An open connection and the table expression to analyse. */
  record Source(Connection connection, Dialect dialect, String expression, Kind kind) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  enum Kind {
    LAKE,
    FILE,
    TABLE
  }

  /**
   * Opens the source.
   *
   * @param lakeTable the lake's table expression (null: this analysis has no lake input)
   */
  Source open(java.util.function.Function<dev.loupe.lake.LakeLayout, String> lakeTable) throws SQLException {
    if (input != null && table != null) {
      throw new IllegalArgumentException("--input and --table cannot be combined: give one of them");
    }
    if (table != null) {
      if (jdbcUrl == null) {
        throw new IllegalArgumentException("--table " + table + " needs --jdbc-url (the database that holds it)");
      }
      String expected = engine == Dialect.POSTGRES ? "jdbc:postgresql:" : "jdbc:duckdb:";
      if (!jdbcUrl.startsWith(expected)) {
        throw new IllegalArgumentException(
            "--jdbc-url must start with " + expected + " for --engine " + engine.name().toLowerCase(java.util.Locale.ROOT)
                + " but was " + jdbcUrl.replaceAll("password=[^&]*", "password=…"));
      }
      if (engine == Dialect.DUCKDB) {
        // opening a DuckDB file that is not there would create an empty one
        String file = jdbcUrl.substring(expected.length());
        int q = file.indexOf('?');
        file = q < 0 ? file : file.substring(0, q);
        if (!file.isEmpty() && !file.startsWith(":") && !file.startsWith("md:")
            && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(file))) {
          throw new IllegalArgumentException(
              "--jdbc-url names the DuckDB file " + file + ", which does not exist");
        }
      }
      Connection c = DriverManager.getConnection(jdbcUrl);
      return new Source(c, engine, Names.table(engine, table), Kind.TABLE);
    }
    if (engine != Dialect.DUCKDB || jdbcUrl != null) {
      throw new IllegalArgumentException("--engine postgres and --jdbc-url go with --table NAME (the lake and --input files are read by DuckDB)");
    }
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
    if (input != null) {
      return new Source(c, Dialect.DUCKDB, FileSource.tableExpression(input), Kind.FILE);
    }
    if (lakeTable == null) {
      c.close();
      throw new IllegalArgumentException("give --input FILE or --table NAME (this analysis has no lake table)");
    }
    try {
      return new Source(c, Dialect.DUCKDB, lakeTable.apply(dataDir.layout()), Kind.LAKE);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A database error while reading the user's {@code --input} file (not UTF-8, not Parquet, a
   * malformed CSV row) is bad input: an IllegalArgumentException naming the file and DuckDB's
   * reason. Other errors are returned as they are.
   */
  Exception explain(SQLException e) {
    if (input != null) {
      return unreadable("--input " + input, e);
    }
    String m = String.valueOf(e.getMessage());
    if (table != null && (m.contains("Table with name") || m.contains("relation")) && m.contains("does not exist")) {
      return new IllegalArgumentException(
          "--table " + table + " does not exist in the database of --jdbc-url (" + firstLine(m) + ")", e);
    }
    return e;
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  /** "WHAT cannot be read: reason", the reason on one line without the SQL DuckDB quotes back. */
  static IllegalArgumentException unreadable(String what, SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int sql = m.indexOf("\nLINE ");
    if (sql >= 0) {
      m = m.substring(0, sql);
    }
    int hint = m.indexOf("Possible Solution");
    if (hint >= 0) {
      m = m.substring(0, hint);
    }
    m = m.strip().replaceAll("\\s+", " ");
    if (m.length() > 400) {
      m = m.substring(0, 400) + "…";
    }
    return new IllegalArgumentException(what + " cannot be read: " + m, e);
  }

  /** The lake's events. */
  static String events(dev.loupe.lake.LakeLayout lake) {
    return LakeTables.events(lake);
  }
}
