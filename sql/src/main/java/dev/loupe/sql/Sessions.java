package dev.loupe.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sessionization without session ids (seed exercise Q7), as SQL generated for DuckDB and
 * PostgreSQL.
 *
 * <p>Contract, identical on both engines:
 *
 * <ul>
 *   <li>A user's events are ordered by {@code (event_time, event_id)}: ties on event_time are
 *       broken by event_id (byte order for text ids), so the event sequence is deterministic. The
 *       seed's query orders by event_time only and lists tied events in whatever order the engine
 *       happens to produce.
 *   <li>A new session starts at a user's first event and at every event that comes <em>more</em>
 *       than {@code gap} after the previous one: a gap of exactly 30 minutes does not split, 30
 *       minutes and 1 second does. The comparison is on exact interval values, not on floating
 *       minutes.
 *   <li>Events with a NULL event_time and events with a NULL user_id are counted in the report and
 *       left out of sessions (the seed's query turns each timeless event into a session of its own
 *       and lumps all anonymous events into one "user").
 *   <li>{@code session_duration_min = (last event time - first event time)} in minutes; 0 for a
 *       single-event session.
 * </ul>
 *
 * <p>With a day range ({@link #withDays}), the sessions that start on those days (UTC) are
 * returned; events are read from the day before {@code from} to the day after {@code to}, so a
 * session is whole unless it runs for more than a day without a break longer than the gap.
 */
public final class Sessions {

  /** The columns a source must have. */
  public static final List<String> REQUIRED = List.of("user_id", "event_id", "event_type", "event_time");

  private final Duration gap;
  private final LocalDate from;
  private final LocalDate to;

  private Sessions(Duration gap, LocalDate from, LocalDate to) {
    this.gap = gap;
    this.from = from;
    this.to = to;
  }

  /** A 30-minute gap, all days. */
  public static Sessions withDefaults() {
    return withGap(Duration.ofMinutes(30));
  }

  /**
   * @param gap the longest inactivity that does not end a session; whole seconds, more than 0 and
   *     less than 24 hours
   */
  public static Sessions withGap(Duration gap) {
    Objects.requireNonNull(gap, "gap");
    if (gap.isNegative() || gap.isZero() || gap.getNano() != 0 || gap.compareTo(Duration.ofDays(1)) >= 0) {
      throw new IllegalArgumentException(
          "--gap must be a whole number of seconds, more than 0 and less than 24 hours, but was "
              + gap);
    }
    return new Sessions(gap, null, null);
  }

  /** Only sessions that start on days {@code from}..{@code to} (inclusive, UTC). */
  public Sessions withDays(LocalDate from, LocalDate to) {
    if (from != null && to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("--to (" + to + ") must not be before --from (" + from + ")");
    }
    return new Sessions(gap, from, to);
  }

  public Duration gap() {
    return gap;
  }

  /**
   * Sessionizes the source (a table name or table expression) on the connection's engine.
   *
   * <p>On DuckDB the engine streams each event as two numbers (user hash; time and type number
   * packed in one) and Java orders and cuts them ({@link #sessionizeHashed}); the sessions are returned as compact
   * columns, each {@link Session} made when it is read. On PostgreSQL the whole analysis is the
   * SQL of {@link #sql}. Both give the same sessions.
   */
  public SessionReport sessionize(Connection c, Dialect dialect, String source) throws SQLException {
    if (!hasTimeColumn(c, dialect, source)) {
      return new SessionReport(List.of(), 0, 0);
    }
    if (dialect == Dialect.DUCKDB) {
      return sessionizeHashed(c, source, HASH);
    }
    return sessionizeSql(c, dialect, source);
  }

  /** DuckDB's 64-bit hash of a value, as a non-negative BIGINT: {@code %s} is the column. */
  static final String HASH = "CAST(hash(%s) >> 1 AS BIGINT)";

  /** The most event types the hashed path packs beside the time (8 bits, with NULL). */
  static final int MAX_PACKED_TYPES = 255;

  /**
   * The DuckDB path. One query lists the distinct event types (it reads only the event_type
   * column, a partition column in the lake); one streams every event as two numbers: a 63-bit
   * hash of the user and the time in epoch microseconds times 256 plus the type's number (NULL
   * user and NULL time as negative markers, counted here), with no join and no sort in the engine;
   * one lists the distinct users in user order with their hashes. {@link KeyedOrder} orders the
   * events by (user hash, time) in Java; only events tied on (user, time), if any, are read again in
   * event_id order from DuckDB. Sessions are cut in one pass into {@link SessionColumns} and listed
   * in user order.
   *
   * <p>Falls back to the numbered path {@link #sessionizeStream}, which gives the same sessions, if
   * two distinct users share a hash (detected exactly: the users query gives every distinct user
   * with its hash), if there are more than {@link #MAX_PACKED_TYPES} event types, or if a time is
   * outside the packable range (within about 570 years of 1970).
   *
   * @param hash the hash expression, {@code %s} standing for the column (tests pass a weak one)
   */
  SessionReport sessionizeHashed(Connection c, String source, String hash) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    for (String column : REQUIRED) {
      Names.require(columns, "the session input", column);
    }
    String userHash = hash.replace("%s", "user_id");
    String where = " WHERE user_id IS NOT NULL AND event_time IS NOT NULL" + eventFilter();
    try (Statement st = c.createStatement()) {
      st.setFetchSize(100_000);
      List<String> names = new ArrayList<>();
      boolean nullType = false;
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(event_type AS VARCHAR) FROM " + source + " AS src")) {
        while (rs.next()) {
          String name = rs.getString(1);
          if (name == null) {
            nullType = true;
          } else {
            names.add(name);
          }
        }
      }
      if (names.size() + (nullType ? 1 : 0) > MAX_PACKED_TYPES) {
        return sessionizeStream(c, source);
      }
      StringBuilder list = new StringBuilder();
      for (String name : names) {
        list.append(list.length() == 0 ? "[" : ", ").append('\'').append(name.replace("'", "''")).append('\'');
      }
      // type number: the name's place in the list; NULL after the names
      String typeCode = names.isEmpty() ? "0" : "COALESCE(list_position(" + list
          + "]::VARCHAR[], CAST(event_type AS VARCHAR)) - 1, " + names.size() + ")";
      if (nullType) {
        names.add(null);
      }
      String[] typeNames = names.toArray(new String[0]);
      Stream stream = stream(st, source, userHash, typeCode);
      if (stream == null) {
        return sessionizeStream(c, source);
      }
      int n = stream.size();
      // about 25 events per user sizes the buckets; any estimate is correct
      int threads = n < 1 << 16 ? 1 : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
      KeyedOrder.SortedPacked sorted = KeyedOrder.sortPacked(stream.keys(), stream.values(), n, CHUNK,
          Math.max(1, n / 25), TYPE_BITS, threads);
      long withoutTime = stream.withoutTime();
      long withoutUser = stream.withoutUser();
      stream = null;
      long[] keys = sorted.keys();
      // unpacked in place: the values become the times
      long[] times = sorted.values();
      int[] types = new int[n];
      long typeMask = (1L << TYPE_BITS) - 1;
      for (int i = 0; i < n; i++) {
        types[i] = (int) (times[i] & typeMask);
        times[i] >>= TYPE_BITS;
      }
      if (sorted.hasTies()) {
        resolveTies(st, source, where, userHash, typeCode, columns, keys, times, types, n);
      }
      // every distinct user with its hash, in user order (the time is not read without a day range)
      UserList users = users(c, "SELECT CAST(user_id AS VARCHAR), " + userHash + " FROM (SELECT DISTINCT user_id FROM "
          + source + " AS src WHERE user_id IS NOT NULL" + eventFilter() + ") AS d ORDER BY user_id");
      if (users.collision()) {
        return sessionizeStream(c, source);
      }
      return new SessionReport(cut(keys, times, types, n, users.keys(), users.ranks(), users.names(), typeNames), withoutTime,
          withoutUser);
    }
  }

  /** The streamed events with a user and a time (unsorted), and the counts of those without. */
  private record Stream(long[][] keys, long[][] values, int size, long withoutTime, long withoutUser) {}

  /** Events per chunk of the stream (16 MB for keys and values). */
  private static final int CHUNK = 1 << 20;

  /** Bits of the type number in a packed (time, type) value. */
  private static final int TYPE_BITS = 8;

  /** The largest time, in epoch microseconds either way, that packs: (2^54 - 1) * 256 + 255 < 2^62. */
  private static final long PACKED_TIME_LIMIT = (1L << 54) - 1;

  /**
   * Streams (user hash, time * 256 + type number) for every event with a user and a time in the
   * range read, counting the events without a time (all) and those with a time in the day range
   * but without a user, marked by negative first values (-2 no time, -1 no user, -3 a time beyond
   * {@link #PACKED_TIME_LIMIT}).
   *
   * @return null if a time does not pack
   */
  private Stream stream(Statement st, String source, String userHash, String typeCode) throws SQLException {
    long fromMicros = from == null ? Long.MIN_VALUE : from.toEpochDay() * 86_400_000_000L;
    long toMicros = to == null ? Long.MAX_VALUE : to.plusDays(1).toEpochDay() * 86_400_000_000L;
    String micros = "epoch_us(event_time)";
    String packable = micros + " BETWEEN " + -PACKED_TIME_LIMIT + " AND " + PACKED_TIME_LIMIT;
    String filter = eventFilter();
    String sql = "SELECT CASE WHEN event_time IS NULL THEN -2 WHEN NOT (" + packable + ") THEN -3 WHEN user_id IS NULL"
        + " THEN -1 ELSE " + userHash + " END, CASE WHEN " + packable + " THEN " + micros + " * " + (1 << TYPE_BITS)
        + " + " + typeCode + " END FROM " + source + " AS src"
        + (filter.isEmpty() ? "" : " WHERE event_time IS NULL OR (TRUE" + filter + ")");
    // read into chunks (no copying as the input grows), sorted from there
    List<long[]> keyChunks = new ArrayList<>();
    List<long[]> valueChunks = new ArrayList<>();
    long[] keys = new long[0];
    long[] values = new long[0];
    int at = CHUNK;
    int n = 0;
    long withoutTime = 0;
    long withoutUser = 0;
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        long key = rs.getLong(1);
        long packed = rs.getLong(2);
        if (key < 0) {
          if (key == -3) {
            return null;
          } else if (key == -2) {
            withoutTime++;
          } else if ((packed >> TYPE_BITS) >= fromMicros && (packed >> TYPE_BITS) < toMicros) {
            withoutUser++;
          }
          continue;
        }
        if (at == CHUNK) {
          keys = new long[CHUNK];
          values = new long[CHUNK];
          keyChunks.add(keys);
          valueChunks.add(values);
          at = 0;
        }
        keys[at] = key;
        values[at] = packed;
        at++;
        n = Math.addExact(n, 1);
      }
    }
    return new Stream(keyChunks.toArray(new long[0][]), valueChunks.toArray(new long[0][]), n, withoutTime, withoutUser);
  }

  /**
   * Puts the types of events tied on (user, time) in event_id order (runs of one type are in order
   * already, since only the types are kept). The tied times are sent to
   * DuckDB as a list (a filter it applies while scanning, before hashing); rows of other users at
   * those times are skipped here.
   */
  private static void resolveTies(Statement st, String source, String where, String userHash, String typeCode,
      Map<String, Integer> columns, long[] keys, long[] times, int[] types, int n)
      throws SQLException {
    java.util.Set<Long> tiedTimes = new java.util.TreeSet<>();
    java.util.Set<String> tiedPairs = new java.util.HashSet<>();
    // a run of events tied on (user, time) needs event_id order only if their types differ
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && keys[j] == keys[i] && times[j] == times[i]) {
        j++;
      }
      if (types[j - 1] != types[i]) {
        tiedTimes.add(times[i]);
        tiedPairs.add(keys[i] + ":" + times[i]);
      }
      i = j;
    }
    if (tiedPairs.isEmpty()) {
      return;
    }
    StringBuilder list = new StringBuilder();
    for (long t : tiedTimes) {
      list.append(list.length() == 0 ? "" : ", ").append(t);
    }
    st.execute("CREATE OR REPLACE TEMP TABLE loupe_sess_ties AS SELECT UNNEST([" + list + "]::BIGINT[]) AS t");
    // a few tied times on a TIMESTAMP column: also as constants, which DuckDB checks against each
    // file's and row group's time range (a lake's files each hold one day) before reading it
    String constants = "";
    if (tiedTimes.size() <= 1_000 && columns.get("event_time") == java.sql.Types.TIMESTAMP) {
      StringBuilder in = new StringBuilder();
      for (long t : tiedTimes) {
        in.append(in.length() == 0 ? "" : ", ").append("make_timestamp(").append(t).append(')');
      }
      constants = " AND event_time IN (" + in + ")";
    }
    String tied = "SELECT " + userHash + ", epoch_us(event_time), " + typeCode + " FROM " + source + " AS src" + where
        + constants + " AND epoch_us(event_time) IN (SELECT t FROM loupe_sess_ties) ORDER BY 1, 2, "
        + Dialect.DUCKDB.sortKey("event_id", columns.get("event_id"));
    try (ResultSet rs = st.executeQuery(tied)) {
      int i = 0;
      while (rs.next()) {
        long u = rs.getLong(1);
        long t = rs.getLong(2);
        if (!tiedPairs.contains(u + ":" + t)) {
          continue;
        }
        while (i < n && !(keys[i] == u && times[i] == t && isTied(keys, times, n, i))) {
          i++;
        }
        if (i == n) {
          throw changedWhileRead();
        }
        types[i++] = (int) rs.getLong(3);
      }
    } finally {
      st.execute("DROP TABLE IF EXISTS loupe_sess_ties");
    }
  }

  /** The source's queries disagree: files were added, compacted or expired between them. */
  private static IllegalStateException changedWhileRead() {
    return new IllegalStateException("the events changed while they were being read (a file was written,"
        + " compacted or expired meanwhile); run the analysis again");
  }

  private static boolean isTied(long[] keys, long[] times, int n, int i) {
    return (i > 0 && keys[i - 1] == keys[i] && times[i - 1] == times[i])
        || (i + 1 < n && keys[i + 1] == keys[i] && times[i + 1] == times[i]);
  }

  /**
   * Cuts the sorted events into sessions (same rule as {@link Sessionizer}), keeps those starting
   * in the day range, and lists them by user rank (the order of {@code userNames}), then number.
   * {@code userKeys} are in key order, {@code userRanks} their user ranks.
   */
  private SessionColumns cut(long[] keys, long[] times, int[] types, int n, long[] userKeys, long[] userRanks,
      String[] userNames, String[] typeNames) {
    long gapMicros = gap.getSeconds() * 1_000_000L;
    long fromMicros = from == null ? Long.MIN_VALUE : from.toEpochDay() * 86_400_000_000L;
    long toMicros = to == null ? Long.MAX_VALUE : to.plusDays(1).toEpochDay() * 86_400_000_000L;
    int sessions = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1] || times[i] - times[i - 1] > gapMicros) {
        sessions++;
      }
    }
    int users = userKeys.length;
    int[] userOf = new int[sessions];
    int[] numbers = new int[sessions];
    long[] starts = new long[sessions];
    long[] ends = new long[sessions];
    int[] firsts = new int[sessions];
    int[] counts = new int[sessions];
    int[] userFirst = new int[users];
    int[] userCount = new int[users];
    int s = 0;
    int k = 0;
    int i = 0;
    while (i < n) {
      while (k < users && userKeys[k] != keys[i]) {
        k++;
      }
      if (k == users) {
        throw changedWhileRead();
      }
      int rank = (int) userRanks[k];
      userFirst[rank] = s;
      int number = 0;
      int j = i;
      while (j < n && keys[j] == keys[i]) {
        int first = j;
        j++;
        while (j < n && keys[j] == keys[first] && times[j] - times[j - 1] <= gapMicros) {
          j++;
        }
        number++;
        if (times[first] >= fromMicros && times[first] < toMicros) {
          userOf[s] = rank;
          numbers[s] = number;
          starts[s] = times[first];
          ends[s] = times[j - 1];
          firsts[s] = first;
          counts[s] = j - first;
          s++;
        }
      }
      userCount[rank] = s - userFirst[rank];
      i = j;
    }
    int[] order = new int[s];
    int o = 0;
    for (int r = 0; r < users; r++) {
      for (int x = 0; x < userCount[r]; x++) {
        order[o++] = userFirst[r] + x;
      }
    }
    return new SessionColumns(userNames, typeNames, types, userOf, numbers, starts, ends, firsts, counts, order);
  }

  /**
   * The users query's answer: the keys in key order with each one's user rank, the names in user
   * order, whether two users share a key.
   */
  private record UserList(long[] keys, long[] ranks, String[] names, boolean collision) {}

  /** Reads (name, key) rows; two distinct names with one key are a collision. */
  private static UserList users(Connection c, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    LongList hashes = new LongList();
    try (Statement st = c.createStatement()) {
      st.setFetchSize(100_000);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          names.add(rs.getString(1));
          hashes.add(rs.getLong(2));
        }
      }
    }
    long[] keys = hashes.toArray();
    int users = keys.length;
    long[] ranks = new long[users];
    for (int r = 0; r < users; r++) {
      ranks[r] = r;
    }
    // the keys in order with their user ranks alongside: for the collision check and for the cut
    KeyedOrder.SortedPacked byKey = KeyedOrder.sortPacked(keys, ranks, users, users, 0, users < 1 << 16 ? 1 : 2);
    boolean collision = false;
    for (int i = 1; i < users && !collision; i++) {
      collision = byKey.keys()[i] == byKey.keys()[i - 1];
    }
    return new UserList(byKey.keys(), byKey.values(), names.toArray(new String[0]), collision);
  }

  /** A growable list of longs. */
  private static final class LongList {
    private long[] values = new long[16];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }

  /**
   * The single-sort path: DuckDB numbers the distinct users (in {@code user_id} order) and event
   * types and streams (user number, event time in epoch microseconds, type number) unsorted, as
   * numbers (text over JDBC costs about ten times more); {@link EventOrder} sorts them in Java (a
   * counting sort by user, then each user's few events by time); only the events tied on (user,
   * time), if any, are sorted by DuckDB by event_id and read again; {@link Sessionizer} cuts the
   * sessions in one pass.
   */
  SessionReport sessionizeStream(Connection c, String source) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    for (String column : REQUIRED) {
      Names.require(columns, "the session input", column);
    }
    String suffix = Long.toUnsignedString(System.nanoTime(), 36);
    String events = "loupe_sess_e_" + suffix;
    String users = "loupe_sess_u_" + suffix;
    String types = "loupe_sess_t_" + suffix;
    Long fromMicros = from == null ? null : from.toEpochDay() * 86_400_000_000L;
    Long toMicros = to == null ? null : to.plusDays(1).toEpochDay() * 86_400_000_000L;
    List<Session> sessions = new ArrayList<>();
    Sessionizer sessionizer = new Sessionizer(gap.getSeconds(), s -> {
      long start = s.start().getEpochSecond() * 1_000_000L + s.start().getNano() / 1_000;
      if ((fromMicros == null || start >= fromMicros) && (toMicros == null || start < toMicros)) {
        sessions.add(s);
      }
    });
    try (Statement st = c.createStatement()) {
      try {
        st.execute("CREATE TEMP VIEW " + events + " AS SELECT user_id, event_id, event_type, event_time FROM " + source
            + " AS src WHERE user_id IS NOT NULL AND event_time IS NOT NULL" + eventFilter());
        st.execute("CREATE TEMP TABLE " + users + " AS SELECT user_id, CAST(ROW_NUMBER() OVER (ORDER BY user_id) - 1 AS INTEGER)"
            + " AS k FROM (SELECT DISTINCT user_id FROM " + events + ") AS d");
        st.execute("CREATE TEMP TABLE " + types + " AS SELECT event_type, CAST(ROW_NUMBER() OVER (ORDER BY event_type) - 1"
            + " AS INTEGER) AS k FROM (SELECT DISTINCT event_type FROM " + events + ") AS d");
        List<String> userNames = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT CAST(user_id AS VARCHAR) FROM " + users + " ORDER BY k")) {
          while (rs.next()) {
            userNames.add(rs.getString(1));
          }
        }
        List<String> typeNames = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT CAST(event_type AS VARCHAR) FROM " + types + " ORDER BY k")) {
          while (rs.next()) {
            typeNames.add(rs.getString(1));
          }
        }
        st.setFetchSize(100_000);
        String numbered = "SELECT u.k, epoch_us(e.event_time), t.k FROM " + events + " AS e JOIN " + users
            + " AS u ON u.user_id = e.user_id JOIN " + types + " AS t ON t.event_type IS NOT DISTINCT FROM e.event_type";
        int capacity = 1 << 16;
        int[] us = new int[capacity];
        long[] ts = new long[capacity];
        int[] cs = new int[capacity];
        int n = 0;
        try (ResultSet rs = st.executeQuery(numbered)) {
          while (rs.next()) {
            if (n == us.length) {
              capacity = Math.multiplyExact(capacity, 2);
              us = java.util.Arrays.copyOf(us, capacity);
              ts = java.util.Arrays.copyOf(ts, capacity);
              cs = java.util.Arrays.copyOf(cs, capacity);
            }
            us[n] = rs.getInt(1);
            ts[n] = rs.getLong(2);
            cs[n] = rs.getInt(3);
            n++;
          }
        }
        EventOrder.Sorted sorted = EventOrder.sort(us, ts, cs, n, userNames.size(), typeNames.size());
        us = null;
        ts = null;
        cs = null;
        int[] order = sorted.types();
        if (sorted.hasTies()) {
          // events tied on (user, time): their types in event_id order, run by run
          String tied = numbered + " WHERE (e.user_id, e.event_time) IN (SELECT user_id, event_time FROM " + events
              + " GROUP BY user_id, event_time HAVING COUNT(*) > 1) ORDER BY u.k, e.event_time, e.event_id";
          try (ResultSet rs = st.executeQuery(tied)) {
            int i = 0;
            while (rs.next()) {
              int u = rs.getInt(1);
              long t = rs.getLong(2);
              while (!(sorted.users()[i] == u && sorted.times()[i] == t && isTied(sorted, i))) {
                i++;
              }
              order[i++] = rs.getInt(3);
            }
          }
        }
        for (int i = 0; i < n; i++) {
          sessionizer.accept(userNames.get(sorted.users()[i]), sorted.times()[i], typeNames.get(order[i]));
        }
      } finally {
        st.execute("DROP VIEW IF EXISTS " + events);
        st.execute("DROP TABLE IF EXISTS " + users);
        st.execute("DROP TABLE IF EXISTS " + types);
      }
    }
    sessionizer.finish();
    long[] unplaced = unplaced(c, source);
    return new SessionReport(sessions, unplaced[0], unplaced[1]);
  }

  private static boolean isTied(EventOrder.Sorted s, int i) {
    return (i > 0 && s.users()[i - 1] == s.users()[i] && s.times()[i - 1] == s.times()[i])
        || (i + 1 < s.size() && s.users()[i + 1] == s.users()[i] && s.times()[i + 1] == s.times()[i]);
  }

  /** The all-SQL path, on either engine (on DuckDB: the test oracle of the single-sort path). */
  SessionReport sessionizeSql(Connection c, Dialect dialect, String source) throws SQLException {
    String sql = sql(dialect, source, Names.columns(c, source));
    List<Session> sessions = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      st.setFetchSize(10_000);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          sessions.add(
              new Session(
                  Jdbc.text(rs, 1),
                  Jdbc.longValue(rs, 2),
                  Jdbc.instant(rs, 3),
                  Jdbc.instant(rs, 4),
                  Jdbc.doubleValue(rs, 5),
                  Jdbc.longValue(rs, 6),
                  Jdbc.strings(rs, 7)));
        }
      }
    }
    long[] unplaced = unplaced(c, source);
    return new SessionReport(sessions, unplaced[0], unplaced[1]);
  }

  /** Counts and means over all sessions, computed by the engine. */
  public SessionSummary summarize(Connection c, Dialect dialect, String source) throws SQLException {
    if (!hasTimeColumn(c, dialect, source)) {
      return new SessionSummary(0, Double.NaN, Double.NaN, 0, 0);
    }
    String sql =
        "SELECT COUNT(*), AVG(session_duration_min), CAST(SUM(events_in_session) AS DOUBLE PRECISION)"
            + " / NULLIF(COUNT(*), 0) FROM (" + sql(dialect, source, Names.columns(c, source), false)
            + ") AS sessions";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      long n = Jdbc.longValue(rs, 1);
      long[] unplaced = unplaced(c, source);
      return new SessionSummary(
          n,
          n == 0 ? Double.NaN : Jdbc.doubleValue(rs, 2),
          n == 0 ? Double.NaN : Jdbc.doubleValue(rs, 3),
          unplaced[0],
          unplaced[1]);
    }
  }

  /**
   * Checks the required columns and that event_time holds times. A text or number event_time (a
   * CSV whose times do not all parse reads as text) is bad input, named with its first value that
   * is not a time; except that a source with no rows at all (a CSV with only a header, whose
   * columns read as text) has no sessions, reported by returning false.
   *
   * @throws IllegalArgumentException naming the column, its type and (on DuckDB) a bad value
   */
  private static boolean hasTimeColumn(Connection c, Dialect dialect, String source) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    for (String column : REQUIRED) {
      Names.require(columns, "the session input", column);
    }
    int type = columns.get("event_time");
    boolean text = Dialect.isText(type);
    boolean number = switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
          Types.DECIMAL, Types.NUMERIC, Types.BOOLEAN, Types.BIT -> true;
      default -> false;
    };
    if (!text && !number) {
      return true;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + source + " AS src")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return false;
      }
    }
    String typeName = Dialect.typeName(type);
    String example = "";
    if (text && dialect == Dialect.DUCKDB) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT event_time FROM " + source + " AS src WHERE event_time IS NOT NULL"
              + " AND TRY_CAST(event_time AS TIMESTAMPTZ) IS NULL LIMIT 1")) {
        if (rs.next()) {
          String v = rs.getString(1);
          example = ": for example '" + (v.length() > 80 ? v.substring(0, 80) + "…" : v)
              + "' is not a timestamp (ISO-8601, e.g. 2026-11-26T15:04:05Z)";
        }
      }
    }
    throw new IllegalArgumentException(
        "the session input's column event_time must hold timestamps but is "
            + (text ? "text (" + typeName + ")" + example : "a number (" + typeName + "); convert epoch numbers"
                + " with to_timestamp"));
  }

  /** The session query for a source with these columns (see {@link Names#columns}). */
  public String sql(Dialect dialect, String source, Map<String, Integer> columns) {
    return sql(dialect, source, columns, true, true);
  }

  String sql(Dialect d, String source, Map<String, Integer> columns, boolean withSequence) {
    return sql(d, source, columns, withSequence, withSequence);
  }

  String sql(Dialect d, String source, Map<String, Integer> columns, boolean withSequence, boolean ordered) {
    for (String column : REQUIRED) {
      Names.require(columns, "the session input", column);
    }
    // Text ids get their byte order ("C" collation on PostgreSQL) once, where they are read, so that
    // the window's sort, the grouping and the final ORDER BY share one order and one sort.
    String order = "ORDER BY event_time, event_id";
    String window = "PARTITION BY user_id " + order;
    StringBuilder sql = new StringBuilder();
    sql.append("WITH e AS (SELECT ")
        .append(d.sortKey("user_id", columns.get("user_id")))
        .append(" AS user_id, ")
        .append(d.sortKey("event_id", columns.get("event_id")))
        .append(" AS event_id, event_type, event_time FROM ")
        .append(source)
        .append(" AS src WHERE user_id IS NOT NULL AND event_time IS NOT NULL")
        .append(eventFilter())
        .append("), g AS (SELECT user_id, event_id, event_type, event_time, CASE WHEN event_time - LAG(event_time) OVER (")
        .append(window)
        .append(") <= ")
        .append(d.seconds(gap.getSeconds()))
        .append(" THEN 0 ELSE 1 END AS is_start FROM e), n AS (SELECT user_id, event_id, event_type, event_time,")
        .append(" CAST(SUM(is_start) OVER (")
        .append(window)
        .append(" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS session_num FROM g)");
    sql.append(" SELECT user_id, session_num, MIN(event_time) AS session_start, MAX(event_time) AS session_end, ")
        .append(d.epochSeconds("MAX(event_time) - MIN(event_time)"))
        .append(" / 60.0 AS session_duration_min, COUNT(*) AS events_in_session");
    if (withSequence) {
      sql.append(", ARRAY_AGG(event_type ").append(order).append(") AS event_sequence");
    }
    sql.append(" FROM n GROUP BY user_id, session_num");
    sql.append(sessionFilter());
    if (ordered) {
      sql.append(" ORDER BY user_id, session_num");
    }
    return sql.toString();
  }

  private String eventFilter() {
    StringBuilder sb = new StringBuilder();
    if (from != null) {
      sb.append(" AND event_time >= TIMESTAMP '").append(from.minusDays(1)).append(" 00:00:00'");
    }
    if (to != null) {
      sb.append(" AND event_time < TIMESTAMP '").append(to.plusDays(2)).append(" 00:00:00'");
    }
    return sb.toString();
  }

  private String dayFilter() {
    StringBuilder sb = new StringBuilder();
    if (from != null) {
      sb.append(" AND event_time >= TIMESTAMP '").append(from).append(" 00:00:00'");
    }
    if (to != null) {
      sb.append(" AND event_time < TIMESTAMP '").append(to.plusDays(1)).append(" 00:00:00'");
    }
    return sb.toString();
  }

  private String sessionFilter() {
    List<String> conditions = new ArrayList<>();
    if (from != null) {
      conditions.add("MIN(event_time) >= TIMESTAMP '" + from + " 00:00:00'");
    }
    if (to != null) {
      conditions.add("MIN(event_time) < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'");
    }
    return conditions.isEmpty() ? "" : " HAVING " + String.join(" AND ", conditions);
  }

  /** {events without a time, events with a time but without a user}. */
  private long[] unplaced(Connection c, String source) throws SQLException {
    String sql =
        "SELECT COUNT(*) FILTER (WHERE event_time IS NULL),"
            + " COUNT(*) FILTER (WHERE event_time IS NOT NULL AND user_id IS NULL) FROM "
            + source + " AS src";
    if (from != null || to != null) {
      sql += " WHERE event_time IS NULL OR (TRUE" + dayFilter() + ")";
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new long[] {Jdbc.longValue(rs, 1), Jdbc.longValue(rs, 2)};
    }
  }
}
