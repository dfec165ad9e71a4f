package dev.loupe.sql;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The engines tests run on: a fresh in-memory DuckDB per call, and one real PostgreSQL server per
 * test JVM (started from the machine's binaries on first use, stopped when the JVM exits). Where no
 * PostgreSQL binaries exist, the first use fails with a message saying what to install: the tests
 * never skip silently.
 */
final class TestDatabases {

  static final Path GOLDEN = Path.of("src/test/resources/golden").toAbsolutePath();

  private static LocalPostgres postgres;
  private static int databases;

  private TestDatabases() {}

  static Connection duckdb() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
    return c;
  }

  static synchronized LocalPostgres postgresServer() {
    if (postgres == null) {
      postgres = LocalPostgres.start();
    }
    return postgres;
  }

  /** A connection to a new, empty database on the shared server. */
  static Connection postgres() throws SQLException {
    LocalPostgres server = postgresServer();
    String name;
    synchronized (TestDatabases.class) {
      name = "t" + (++databases);
    }
    try (Connection admin = server.connect();
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name + "?user=postgres");
  }

  /** Creates {@code table} with the DDL column list and loads the CSV (with header) into it. */
  static void load(Connection c, Dialect dialect, String table, String columns, Path csv)
      throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (" + columns + ")");
      if (dialect == Dialect.DUCKDB) {
        st.execute("COPY " + table + " FROM " + FileSource.quote(csv.toString()) + " (HEADER, NULLSTR '')");
        return;
      }
    }
    try (Reader r = Files.newBufferedReader(csv)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER)", r);
    }
  }

  static final String USER_EVENTS =
      "event_id INTEGER, user_id INTEGER, event_type VARCHAR(50), event_time TIMESTAMP";
  static final String RAW_EVENTS =
      "event_id VARCHAR(50), user_id INTEGER, event_data VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP";
  static final String EMPLOYEES =
      "employee_id INTEGER, name VARCHAR(100), manager_id INTEGER, department VARCHAR(50), salary INTEGER";
}
