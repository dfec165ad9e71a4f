package dev.loupe.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reading JDBC values the same way from DuckDB and PostgreSQL. */
final class Jdbc {

  private Jdbc() {}

  /** A timestamp column as a UTC instant; TIMESTAMP without time zone is taken as UTC. */
  static Instant instant(ResultSet rs, int column) throws SQLException {
    int type = rs.getMetaData().getColumnType(column);
    if (type == Types.TIMESTAMP_WITH_TIMEZONE) {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  /** A whole-number column as a long; null stays null. */
  static Long longValue(ResultSet rs, int column) throws SQLException {
    Object o = rs.getObject(column);
    if (o == null) {
      return null;
    }
    if (o instanceof BigInteger b) {
      return b.longValueExact();
    }
    if (o instanceof BigDecimal b) {
      return b.longValueExact();
    }
    return ((Number) o).longValue();
  }

  static double doubleValue(ResultSet rs, int column) throws SQLException {
    Object o = rs.getObject(column);
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }

  /** Any scalar as text: the key of a row, whatever its SQL type. */
  static String text(ResultSet rs, int column) throws SQLException {
    Object o = rs.getObject(column);
    return o == null ? null : o.toString();
  }

  /** An array column as a list of strings. */
  static List<String> strings(ResultSet rs, int column) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) {
      return null;
    }
    Object[] values = (Object[]) a.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(v == null ? null : v.toString());
    }
    return Collections.unmodifiableList(out);
  }

  static List<Long> longs(ResultSet rs, int column) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) {
      return null;
    }
    Object[] values = (Object[]) a.getArray();
    List<Long> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(v == null ? null : ((Number) v).longValue());
    }
    return Collections.unmodifiableList(out);
  }
}
