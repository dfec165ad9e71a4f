package dev.loupe.bench;

import dev.loupe.lake.LakeFiles;
import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.Dedup;
import dev.loupe.sql.Dialect;
import dev.loupe.sql.FileSource;
import dev.loupe.sql.Hierarchy;
import dev.loupe.sql.LakeTables;
import dev.loupe.sql.LocalPostgres;
import dev.loupe.sql.Names;
import dev.loupe.sql.Session;
import dev.loupe.sql.Sessions;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * Loupe's sessions, deduplication and org rollup against the seed's queries (seed-exercises.md
 * Q7-Q9) run verbatim, on the same data, in one run: DuckDB over the lake, and a real PostgreSQL
 * started from the machine's binaries. Each result is checked for identical output before timing
 * is reported. Prints a Markdown table of medians and ratios.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am package
 * java -Xmx8g -cp "bench/target/classes:bench/target/lib/*" dev.loupe.bench.SqlAnalysesBench \
 *     --dir /tmp/loupe-bench --events 50000000 --users 2000000 --days 30 \
 *     --dedup-rows 50000000 --employees 1000000 --repeats 3
 * </pre>
 *
 * {@code --only sessions|dedup|org} runs one part, {@code --no-postgres} skips PostgreSQL. The lake
 * is generated once per size under {@code --dir} and reused. {@code --pg-dir DIR} keeps
 * PostgreSQL's files in DIR, so the events are loaded once and later runs reuse them. {@code
 * --targets-only} times only what the issue's targets compare (the seed's queries and Loupe's
 * DuckDB path), leaving out Loupe's all-SQL query, its incremental refresh and its PostgreSQL
 * dialect.
 *
 * Data: events cluster into sessions (8 per user on random days, events spread over 30 minutes
 * within a session, microsecond times so there are no ties and the seed's arbitrary tie order
 * cannot differ); dedup rows have 35% extra versions with distinct versions per key, read from a
 * DuckDB table and from a zstd Parquet file (written under {@code --dir}, deleted after); the org is a
 * random recursive tree (each employee's manager drawn uniformly from those before them). The seed's
 * rollup is timed materializing its result in the engine; Loupe's rollup is timed delivering its
 * result to Java (it reads (id, manager_id, salary) and sums in one linear pass).
 */
public final class SqlAnalysesBench {

  static final String SEED_SESSIONS = "WITH event_gaps AS ( SELECT event_id, user_id, event_type, event_time, EXTRACT(EPOCH FROM ( event_time - LAG(event_time) OVER ( PARTITION BY user_id ORDER BY event_time ) )) / 60.0 AS minutes_since_last FROM user_events ), session_flags AS ( SELECT *, CASE WHEN minutes_since_last IS NULL THEN 1 WHEN minutes_since_last > 30 THEN 1 ELSE 0 END AS is_session_start FROM event_gaps ), sessionized AS ( SELECT *, SUM(is_session_start) OVER ( PARTITION BY user_id ORDER BY event_time ) AS session_num FROM session_flags ) SELECT user_id, session_num, MIN(event_time) AS session_start, MAX(event_time) AS session_end, EXTRACT(EPOCH FROM (MAX(event_time) - MIN(event_time))) / 60.0 AS session_duration_min, COUNT(*) AS events_in_session, ARRAY_AGG(event_type ORDER BY event_time) AS event_sequence FROM sessionized GROUP BY user_id, session_num ORDER BY user_id, session_num";

  static final String SEED_DEDUP = "WITH ranked_events AS ( SELECT *, ROW_NUMBER() OVER ( PARTITION BY event_id ORDER BY updated_at DESC ) AS rn FROM raw_events ) SELECT * FROM ranked_events WHERE rn = 1";

  static final String SEED_ROLLUP = "WITH RECURSIVE org_tree AS ( SELECT employee_id, name, manager_id, salary, employee_id AS root_manager_id FROM employees UNION ALL SELECT e.employee_id, e.name, e.manager_id, e.salary, ot.root_manager_id FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id ), manager_totals AS ( SELECT root_manager_id AS manager_id, SUM(salary) AS total_team_salary, COUNT(*) AS team_size FROM org_tree GROUP BY root_manager_id ) SELECT e.employee_id, e.name, e.salary AS own_salary, mt.team_size, mt.total_team_salary, mt.total_team_salary - e.salary AS reports_salary FROM employees e JOIN manager_totals mt ON e.employee_id = mt.manager_id ORDER BY mt.total_team_salary DESC";

  private long events = 5_000_000;
  private long users = 200_000;
  private int days = 30;
  private long dedupRows = 5_000_000;
  private long employees = 1_000_000;
  private int repeats = 3;
  private boolean postgres = true;
  private String only = "all";
  private Path dir = Path.of("/tmp/loupe-bench");
  private Path pgDir;
  private boolean targetsOnly;
  private final List<String> table = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    SqlAnalysesBench b = new SqlAnalysesBench();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> b.dir = Path.of(args[++i]);
        case "--events" -> b.events = Long.parseLong(args[++i]);
        case "--users" -> b.users = Long.parseLong(args[++i]);
        case "--days" -> b.days = Integer.parseInt(args[++i]);
        case "--dedup-rows" -> b.dedupRows = Long.parseLong(args[++i]);
        case "--employees" -> b.employees = Long.parseLong(args[++i]);
        case "--repeats" -> b.repeats = Integer.parseInt(args[++i]);
        case "--no-postgres" -> b.postgres = false;
        case "--only" -> b.only = args[++i];
        case "--pg-dir" -> b.pgDir = Path.of(args[++i]);
        case "--targets-only" -> b.targetsOnly = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    b.run();
  }

  private void run() throws Exception {
    LakeLayout lake = LakeLayout.of(dir.resolve("lake-" + events + "-" + users + "-" + days));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      if (!only.equals("all") && !only.equals("sessions")) {
        if (only.equals("dedup")) {
          dedup(duck);
        } else if (only.equals("org")) {
          org(duck);
        } else {
          throw new IllegalArgumentException("--only must be all, sessions, dedup or org but was " + only);
        }
        printTable();
        return;
      }
      writeLake(duck, lake);
      String events = LakeTables.events(lake);
      st.execute("CREATE OR REPLACE VIEW user_events AS SELECT event_id, user_id, event_type, event_time FROM " + events);
      String loupe = Sessions.withDefaults().sql(Dialect.DUCKDB, events, Names.columnsOf(duck, events));
      double[] duckMedians = sessionsOnDuck(duck, events, loupe);
      double seedDuck = duckMedians[0];
      double loupeSqlDuck = duckMedians[1];
      double loupeDuck = duckMedians[2];
      long diff = count(duck, "SELECT COUNT(*) FROM (SELECT user_id, session_num, session_start, session_end, events_in_session,"
          + " event_sequence FROM seed_out EXCEPT ALL SELECT user_id, session_num, session_start, session_end, events_in_session,"
          + " event_sequence FROM loupe_out) d") + count(duck, "SELECT COUNT(*) FROM (SELECT user_id, session_num, session_start,"
          + " session_end, events_in_session, event_sequence FROM loupe_out EXCEPT ALL SELECT user_id, session_num, session_start,"
          + " session_end, events_in_session, event_sequence FROM seed_out) d");
      long sessions = count(duck, "SELECT COUNT(*) FROM loupe_out");
      check(diff == 0, "sessions differ from the seed's on DuckDB in " + diff + " rows");
      String sizes = this.events + " events, " + users + " users, " + days + " days; " + sessions + " sessions";
      row("sessions (" + sizes + ")", "seed on DuckDB (Loupe: events streamed as numbers, ordered and cut in Java, delivered to Java)",
          seedDuck, loupeDuck);
      if (!targetsOnly) {
        row("sessions (" + sizes + ")", "seed on DuckDB (Loupe's all-SQL query, two window sorts)", seedDuck, loupeSqlDuck);
        incremental(duck, lake, seedDuck, sizes);
      }
      String checksum = "SELECT COUNT(*), SUM(events_in_session), SUM(session_num),"
          + " SUM(CAST(EXTRACT(EPOCH FROM DATE_TRUNC('second', session_start)) AS BIGINT)),"
          + " SUM(CAST(EXTRACT(MICROSECONDS FROM session_start) AS BIGINT)),"
          + " SUM(CAST(EXTRACT(EPOCH FROM DATE_TRUNC('second', session_end)) AS BIGINT)),"
          + " SUM(CAST(EXTRACT(MICROSECONDS FROM session_end) AS BIGINT)),"
          + " SUM(LENGTH(ARRAY_TO_STRING(event_sequence, ','))) FROM ";
      String duckSum = rowText(duck, checksum + "loupe_out");

      if (postgres) {
        try (LocalPostgres pg = pgDir == null ? LocalPostgres.start() : LocalPostgres.startIn(pgDir);
            Connection c = pg.connect(); Statement ps = c.createStatement()) {
          String loadedTag = "lake " + lake.root().getFileName();
          boolean loaded = false;
          try (ResultSet rs = ps.executeQuery("SELECT to_regclass('bench_loaded') IS NOT NULL")) {
            rs.next();
            if (rs.getBoolean(1)) {
              try (ResultSet r2 = ps.executeQuery("SELECT tag FROM bench_loaded")) {
                loaded = r2.next() && r2.getString(1).equals(loadedTag);
              }
            }
          }
          if (loaded) {
            System.err.println("PostgreSQL in " + pgDir + " already holds the events of " + loadedTag);
          } else {
            Path csv = dir.resolve("events-" + this.events + ".csv");
            st.execute("COPY (SELECT event_id, user_id, event_type, event_time FROM user_events) TO "
                + FileSource.quote(csv.toString()) + " (FORMAT csv, HEADER false)");
            ps.execute("DROP TABLE IF EXISTS bench_loaded");
            ps.execute("DROP TABLE IF EXISTS user_events");
            ps.execute("CREATE " + (pgDir == null ? "UNLOGGED " : "") + "TABLE user_events (event_id TEXT, user_id TEXT,"
                + " event_type TEXT, event_time TIMESTAMP)");
            long t0 = System.nanoTime();
            try (BufferedReader r = Files.newBufferedReader(csv)) {
              c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY user_events FROM STDIN WITH (FORMAT csv)", r);
            }
            ps.execute("ANALYZE user_events");
            ps.execute("CREATE TABLE bench_loaded AS SELECT '" + loadedTag + "' AS tag");
            System.err.printf(Locale.ROOT, "loaded %d events into PostgreSQL in %.1f s%n", this.events, (System.nanoTime() - t0) / 1e9);
            Files.delete(csv);
          }
          double seedPg = time("seed Q7 on PostgreSQL", c, "CREATE TEMP TABLE seed_out AS " + SEED_SESSIONS, "DROP TABLE IF EXISTS seed_out");
          String pgSum = rowText(c, checksum + "seed_out");
          check(pgSum.equals(duckSum), "seed on PostgreSQL " + pgSum + " differs from Loupe on DuckDB " + duckSum);
          row("sessions (" + sizes + ")", "seed on PostgreSQL", seedPg, loupeDuck);
          ps.execute("DROP TABLE IF EXISTS seed_out");
          if (!targetsOnly) {
            String loupePgSql = Sessions.withDefaults().sql(Dialect.POSTGRES, "user_events", Names.columnsOf(c, "user_events"));
            double loupePg = time("Loupe sessions on PostgreSQL", c, "CREATE TEMP TABLE loupe_out AS " + loupePgSql, "DROP TABLE IF EXISTS loupe_out");
            check(rowText(c, checksum + "loupe_out").equals(duckSum), "Loupe on PostgreSQL differs from Loupe on DuckDB");
            row("sessions (" + sizes + ")", "seed on PostgreSQL vs Loupe's PostgreSQL dialect", seedPg, loupePg);
            ps.execute("DROP TABLE IF EXISTS loupe_out");
          }
        }
      }
      st.execute("DROP TABLE IF EXISTS seed_out");
      st.execute("DROP TABLE IF EXISTS loupe_out");

      if (only.equals("all")) {
        dedup(duck);
        org(duck);
      }
    }
    printTable();
  }

  private void printTable() {
    System.out.println();
    System.out.println("| analysis | reference | reference median (s) | Loupe median (s) | speed-up |");
    System.out.println("|---|---|---|---|---|");
    table.forEach(System.out::println);
  }

  private void writeLake(Connection duck, LakeLayout lake) throws SQLException, java.io.IOException {
    if (Files.exists(lake.root().resolve("COMPLETE"))) {
      return;
    }
    long t0 = System.nanoTime();
    try (Statement st = duck.createStatement()) {
      Files.createDirectories(lake.events());
      long sessionsTotal = users * 8;
      st.execute("COPY (SELECT 'e' || i AS event_id, 'u' || (s % " + users + ") AS user_id,"
          + " (['page_view','click','search','add_to_cart','purchase','scroll','share','login'])[1 + CAST(hash(i, 3) % 8 AS INTEGER)] AS event_type,"
          + " TIMESTAMP '2024-01-01' + to_microseconds(CAST((hash(s) % " + (days * 86_400L - 3600) + ") * 1000000 + hash(i, 2) % 1800000000 AS BIGINT)) AS event_time,"
          + " '{}' AS properties, TIMESTAMP '2024-01-01' AS received_at"
          + " FROM (SELECT i, hash(i, 1) % " + sessionsTotal + " AS s FROM range(" + events + ") t(i))) TO "
          + FileSource.quote(dir.resolve("tmp-events.parquet").toString()) + " (FORMAT parquet)");
      st.execute("COPY (SELECT *, CAST(event_time AS DATE) AS event_date, event_type AS et FROM read_parquet("
          + FileSource.quote(dir.resolve("tmp-events.parquet").toString()) + ")) TO "
          + FileSource.quote(lake.events().toString()) + " (FORMAT parquet, PARTITION_BY (event_date, et), OVERWRITE_OR_IGNORE)");
    }
    Files.delete(dir.resolve("tmp-events.parquet"));
    try (var days = Files.list(lake.events())) {
      for (Path day : days.toList()) {
        try (var types = Files.list(day)) {
          for (Path t : types.toList()) {
            Files.move(t, day.resolve("event_type=" + t.getFileName().toString().substring(3)));
          }
        }
      }
    }
    Files.writeString(lake.root().resolve("COMPLETE"), "");
    System.err.printf(Locale.ROOT, "wrote %d events to %s in %.1f s%n", events, lake.root(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The daily job: sessions materialized for all days but the last, then one refresh for the last
   * day (the timed part, median of repeats, each on a copy of the 29-day state).
   */
  private void incremental(Connection duck, LakeLayout lake, double seedDuck, String sizes) throws Exception {
    Path last;
    try (var ds = Files.list(lake.events())) {
      last = ds.filter(p -> p.getFileName().toString().startsWith("event_date=")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    Path aside = dir.resolve("aside-" + last.getFileName());
    Files.move(last, aside);
    dev.loupe.sql.SessionStore store = dev.loupe.sql.SessionStore.of(lake, Sessions.withDefaults());
    store.refresh(duck, true);
    Files.move(aside, last);
    Path saved = dir.resolve("sessions-saved");
    Path savedState = dir.resolve("sessions-state-saved");
    copyTree(lake.sessions(), saved);
    Files.copy(lake.state().resolve("sessions.properties"), savedState, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    double[] t = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      LakeFiles.deleteTree(lake.sessions());
      copyTree(saved, lake.sessions());
      Files.copy(savedState, lake.state().resolve("sessions.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      long t0 = System.nanoTime();
      dev.loupe.sql.MaterializeReport r = store.refresh(duck, false);
      t[i] = (System.nanoTime() - t0) / 1e9;
      check(r.newEventDays().size() == 1, "expected one new day but got " + r.newEventDays());
      System.err.printf(Locale.ROOT, "Loupe incremental refresh of %s: run %d: %.2f s (%d sessions extended)%n",
          last.getFileName(), i + 1, t[i], r.sessionsExtended());
    }
    Arrays.sort(t);
    long diff = count(duck, "SELECT COUNT(*) FROM (SELECT user_id, session_num, session_start, session_end, events_in_session,"
        + " event_sequence FROM seed_out EXCEPT ALL SELECT user_id, session_num, session_start, session_end, events_in_session,"
        + " event_sequence FROM " + LakeTables.sessions(lake) + ") d");
    check(diff == 0, "materialized sessions differ from the seed's in " + diff + " rows");
    row("sessions (" + sizes + "): Loupe refreshes the newest day of materialized sessions, the seed recomputes all days",
        "seed on DuckDB", seedDuck, t[repeats / 2]);
    LakeFiles.deleteTree(saved);
    Files.delete(savedState);
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * The latest version of each key, the seed's ROW_NUMBER query against Loupe's, both materializing
   * the kept rows: over a DuckDB table (ranked by rowid), then over the same rows in a zstd Parquet
   * file (ranked by row number), the form in which Loupe reads its lake and {@code --input} files.
   */
  private void dedup(Connection duck) throws SQLException {
    try (Statement st = duck.createStatement()) {
      long keys = Math.round(dedupRows / 1.35);
      st.execute("CREATE OR REPLACE TABLE raw_events AS SELECT 'e' || k AS event_id, CAST(k % 100000 AS INTEGER) AS user_id,"
          + " '{\"v\": ' || i || '}' AS event_data, TIMESTAMP '2024-01-01' AS created_at,"
          + " TIMESTAMP '2024-01-01' + to_microseconds(CAST(i AS BIGINT)) AS updated_at"
          + " FROM (SELECT i, CASE WHEN i < " + keys + " THEN i ELSE hash(i) % " + keys + " END AS k FROM range(" + dedupRows + ") t(i))");
      Dedup dedup = Dedup.of("event_id", "updated_at");
      String what = "latest version (" + dedupRows + " rows, " + keys + " keys)";
      dedupOn(duck, "raw_events", dedup.latestSql("raw_events", Names.columnsOf(duck, "raw_events"), Dedup.RowKey.ROWID),
          "DuckDB table", what + ", DuckDB table");
      Path file = dir.resolve("dedup-" + dedupRows + ".parquet");
      st.execute("COPY raw_events TO " + FileSource.quote(file.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
      st.execute("DROP TABLE raw_events");
      String parquet = "read_parquet(" + FileSource.quote(file.toString()) + ")";
      st.execute("CREATE OR REPLACE VIEW raw_events AS SELECT * FROM " + parquet);
      dedupOn(duck, parquet, dedup.latestSql(parquet, Names.columnsOf(duck, parquet), Dedup.RowKey.FILE_ROW),
          "Parquet file", what + ", zstd Parquet file");
      st.execute("DROP VIEW raw_events");
      Files.deleteIfExists(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The seed's query (over the view or table raw_events) against {@code loupe}, alternating; checks equal rows. */
  private void dedupOn(Connection duck, String source, String loupe, String form, String what) throws SQLException {
    double[] m = alternate(duck, "seed Q8 ROW_NUMBER on a " + form, "CREATE OR REPLACE TEMP TABLE seed_out AS " + SEED_DEDUP,
        "Loupe latest version on a " + form, "CREATE OR REPLACE TEMP TABLE loupe_out AS " + loupe);
    long diff = count(duck, "SELECT COUNT(*) FROM (SELECT event_id, user_id, event_data, created_at, updated_at FROM seed_out"
        + " EXCEPT ALL SELECT * FROM loupe_out) d");
    check(diff == 0 && count(duck, "SELECT COUNT(*) FROM seed_out") == count(duck, "SELECT COUNT(*) FROM loupe_out"),
        "dedup on a " + form + " (" + source + ") differs from the seed's in " + diff + " rows");
    row(what, "seed ROW_NUMBER on DuckDB", m[0], m[1]);
    try (Statement st = duck.createStatement()) {
      st.execute("DROP TABLE seed_out");
      st.execute("DROP TABLE loupe_out");
    }
  }

  private void org(Connection duck) throws SQLException {
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE OR REPLACE TABLE employees AS SELECT i AS employee_id, 'E' || i AS name,"
          + " CASE WHEN i = 1 THEN NULL ELSE 1 + CAST(hash(i) % (i - 1) AS INTEGER) END AS manager_id,"
          + " 'd' || (i % 10) AS department, 30000 + CAST(hash(i, 5) % 100000 AS INTEGER) AS salary"
          + " FROM range(1, " + (employees + 1) + ") t(i)");
      double[] t = new double[repeats];
      double[] ts = new double[repeats];
      List<dev.loupe.sql.TeamTotal> teams = List.of();
      for (int i = 0; i < repeats; i++) {
        long t0 = System.nanoTime();
        st.execute("CREATE OR REPLACE TEMP TABLE seed_out AS " + SEED_ROLLUP);
        ts[i] = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "seed Q9 rollup on DuckDB: run %d: %.2f s%n", i + 1, ts[i]);
        t0 = System.nanoTime();
        teams = Hierarchy.create().rollup(duck, Dialect.DUCKDB, "employees");
        t[i] = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "Loupe rollup on DuckDB: run %d: %.2f s%n", i + 1, t[i]);
      }
      Arrays.sort(t);
      Arrays.sort(ts);
      double ours = t[repeats / 2];
      double seed = ts[repeats / 2];
      java.util.Map<Long, dev.loupe.sql.TeamTotal> byId = new java.util.HashMap<>();
      teams.forEach(x -> byId.put(x.employeeId(), x));
      long diff = 0;
      try (ResultSet rs = st.executeQuery("SELECT employee_id, team_size, total_team_salary FROM seed_out")) {
        while (rs.next()) {
          dev.loupe.sql.TeamTotal x = byId.get(rs.getLong(1));
          if (x == null || x.teamSize() != rs.getLong(2) || x.teamSalary().compareTo(rs.getBigDecimal(3)) != 0) {
            diff++;
          }
        }
      }
      check(diff == 0 && teams.size() == employees, "rollup differs from the seed's in " + diff + " rows");
      long depth = count(duck, "WITH RECURSIVE d AS (SELECT employee_id, 1 AS l FROM employees WHERE manager_id IS NULL UNION ALL"
          + " SELECT e.employee_id, d.l + 1 FROM employees e JOIN d ON e.manager_id = d.employee_id) SELECT MAX(l) FROM d");
      row("org rollup (" + employees + " employees, depth " + depth + ")", "seed recursive query on DuckDB", seed, ours);
    }
  }

  /**
   * Sessions on DuckDB, medians of {@code repeats} rounds of: the seed's query, Loupe's all-SQL
   * query (both materialized as temp tables), Loupe's sessionization as a user runs it (DuckDB
   * streams the events as numbers, Java orders and cuts them, the sessions are delivered to Java as
   * compact columns; each {@code Session} object is made when read, after the timing). After the timing, Loupe's sessions
   * are loaded into {@code loupe_out} for the comparison with the seed's.
   *
   * @return {seed, Loupe all-SQL, Loupe single sort} in seconds
   */
  private double[] sessionsOnDuck(Connection duck, String events, String loupeSql) throws Exception {
    double[] seed = new double[repeats];
    double[] sql = new double[repeats];
    double[] stream = new double[repeats];
    List<Session> result = null;
    for (int i = 0; i < repeats; i++) {
      try (Statement st = duck.createStatement()) {
        long t0 = System.nanoTime();
        st.execute("CREATE OR REPLACE TEMP TABLE seed_out AS " + SEED_SESSIONS);
        seed[i] = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "seed Q7 on DuckDB: run %d: %.2f s%n", i + 1, seed[i]);
        if (!targetsOnly) {
          t0 = System.nanoTime();
          st.execute("CREATE OR REPLACE TEMP TABLE loupe_sql_out AS " + loupeSql);
          sql[i] = (System.nanoTime() - t0) / 1e9;
          System.err.printf(Locale.ROOT, "Loupe all-SQL sessions on DuckDB: run %d: %.2f s%n", i + 1, sql[i]);
          st.execute("DROP TABLE loupe_sql_out");
        }
      }
      result = null;
      long t0 = System.nanoTime();
      result = Sessions.withDefaults().sessionize(duck, Dialect.DUCKDB, events).sessions();
      stream[i] = (System.nanoTime() - t0) / 1e9;
      System.err.printf(Locale.ROOT, "Loupe sessions on DuckDB: run %d: %.2f s%n", i + 1, stream[i]);
    }
    Path csv = dir.resolve("loupe-sessions.csv");
    try (java.io.BufferedWriter w = Files.newBufferedWriter(csv)) {
      for (Session s : result) {
        w.write(s.userId() + "," + s.sessionNum() + "," + micros(s.start()) + "," + micros(s.end()) + ","
            + s.events() + "," + String.join("|", s.eventSequence()) + "\n");
      }
    }
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE loupe_out AS SELECT user_id, session_num, make_timestamp(s) AS session_start,"
          + " make_timestamp(e) AS session_end, n AS events_in_session, string_split(q, '|') AS event_sequence FROM read_csv("
          + "'" + csv + "', header = false, columns = {'user_id': 'VARCHAR', 'session_num': 'BIGINT', 's': 'BIGINT',"
          + " 'e': 'BIGINT', 'n': 'BIGINT', 'q': 'VARCHAR'})");
    }
    Files.delete(csv);
    Arrays.sort(seed);
    Arrays.sort(sql);
    Arrays.sort(stream);
    return new double[] {seed[repeats / 2], sql[repeats / 2], stream[repeats / 2]};
  }

  private static long micros(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  /** Medians of {@code repeats} runs of a and b, alternating a, b, a, b, … so both see the same load. */
  private double[] alternate(Connection c, String whatA, String sqlA, String whatB, String sqlB) throws SQLException {
    double[] a = new double[repeats];
    double[] b = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      try (Statement st = c.createStatement()) {
        long t0 = System.nanoTime();
        st.execute(sqlA);
        a[i] = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "%s: run %d: %.2f s%n", whatA, i + 1, a[i]);
        t0 = System.nanoTime();
        st.execute(sqlB);
        b[i] = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "%s: run %d: %.2f s%n", whatB, i + 1, b[i]);
      }
    }
    Arrays.sort(a);
    Arrays.sort(b);
    return new double[] {a[repeats / 2], b[repeats / 2]};
  }

  private double time(String what, Connection c, String sql) throws SQLException {
    return time(what, c, sql, null);
  }

  /** Median wall time of {@code repeats} runs (after {@code reset}, untimed, before each). */
  private double time(String what, Connection c, String sql, String reset) throws SQLException {
    double[] t = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      try (Statement st = c.createStatement()) {
        if (reset != null) {
          st.execute(reset);
        }
        long t0 = System.nanoTime();
        st.execute(sql);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      System.err.printf(Locale.ROOT, "%s: run %d: %.2f s%n", what, i + 1, t[i]);
    }
    Arrays.sort(t);
    return t[repeats / 2];
  }

  private void row(String analysis, String reference, double ref, double ours) {
    String line = String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.1f× |", analysis, reference, ref, ours, ref / ours);
    table.add(line);
    System.err.println(line);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String rowText(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      List<String> v = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        v.add(String.valueOf(rs.getObject(i) == null ? null : new java.math.BigDecimal(rs.getObject(i).toString()).toBigInteger()));
      }
      return v.toString();
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
