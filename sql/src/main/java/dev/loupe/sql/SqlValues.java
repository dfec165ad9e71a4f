package dev.loupe.sql;

import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query result values (as DuckDB's JDBC driver gives them) as plain Java values, for printing
 * them as JSON, CSV or table cells:
 *
 * <ul>
 *   <li>a LIST or ARRAY becomes a {@link List}, a STRUCT a {@link Map} from field name to value
 *       in field order, a MAP a {@link Map} from the key's text to the value, recursively;
 *   <li>a BLOB becomes text as DuckDB writes it: printable ASCII as is, every other byte (and the
 *       backslash) as {@code \xHH};
 *   <li>DuckDB's {@code infinity} and {@code -infinity} TIMESTAMP and DATE values become the text
 *       {@code infinity} and {@code -infinity} (the driver gives them as dates 294,247 years
 *       away);
 *   <li>every other value is returned as it is.
 * </ul>
 */
public final class SqlValues {

  /** DuckDB's TIMESTAMP infinity: the largest 64-bit count of microseconds. */
  private static final LocalDateTime TIMESTAMP_INFINITY = micros(Long.MAX_VALUE);

  private static final LocalDateTime TIMESTAMP_MINUS_INFINITY = micros(-Long.MAX_VALUE);

  /** DuckDB's TIMESTAMP -infinity as the driver gives it (a {@link Timestamp}). */
  private static final long MINUS_INFINITY_MILLIS = -9_223_560_388_854_776L;

  private static final int MINUS_INFINITY_NANOS = 224_193_000;

  /** DuckDB's DATE infinity: the largest 32-bit count of days. */
  private static final LocalDate DATE_INFINITY = LocalDate.ofEpochDay(Integer.MAX_VALUE);

  private static final LocalDate DATE_MINUS_INFINITY = LocalDate.ofEpochDay(-Integer.MAX_VALUE);

  private SqlValues() {}

  /**
   * The plain value of {@code v} (see the class comment).
   *
   * @throws IllegalStateException if the driver cannot read a nested value it returned
   */
  public static Object plain(Object v) {
    try {
      if (v instanceof Array a) {
        List<Object> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
          out.add(plain(o));
        }
        return out;
      }
      if (v instanceof Struct s) {
        return struct(s);
      }
      if (v instanceof Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.put(String.valueOf(plain(e.getKey())), plain(e.getValue()));
        }
        return out;
      }
      if (v instanceof Blob b) {
        return blobText(b.getBytes(1, (int) b.length()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a " + v.getClass().getSimpleName() + " value: " + e.getMessage(), e);
    }
    if (v instanceof Timestamp t) {
      long micros = Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
      if (micros == Long.MAX_VALUE) {
        return "infinity";
      }
      // the driver turns -infinity (-(2^63 - 1) µs) into this instant through the Julian
      // calendar; SqlValuesTest pins it
      return t.getTime() == MINUS_INFINITY_MILLIS && t.getNanos() == MINUS_INFINITY_NANOS ? "-infinity" : v;
    }
    if (v instanceof LocalDateTime t) {
      return infinity(t, v);
    }
    if (v instanceof LocalDate d) {
      return d.equals(DATE_INFINITY) ? "infinity" : d.equals(DATE_MINUS_INFINITY) ? "-infinity" : v;
    }
    return v;
  }

  private static Object infinity(LocalDateTime t, Object v) {
    return t.equals(TIMESTAMP_INFINITY) ? "infinity" : t.equals(TIMESTAMP_MINUS_INFINITY) ? "-infinity" : v;
  }

  private static Map<String, Object> struct(Struct s) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    if (s instanceof org.duckdb.DuckDBStruct d) {
      for (Map.Entry<String, Object> e : d.getMap().entrySet()) {
        out.put(e.getKey(), plain(e.getValue()));
      }
      return out;
    }
    Object[] values = s.getAttributes();
    for (int i = 0; i < values.length; i++) {
      out.put("f" + (i + 1), plain(values[i]));
    }
    return out;
  }

  private static String blobText(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int u = b & 0xff;
      if (u >= 0x20 && u < 0x7f && u != '\\') {
        sb.append((char) u);
      } else {
        sb.append(String.format("\\x%02X", u));
      }
    }
    return sb.toString();
  }

  private static LocalDateTime micros(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }
}
