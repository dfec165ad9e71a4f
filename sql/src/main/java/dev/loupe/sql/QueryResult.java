package dev.loupe.sql;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, fully materialized query result: column names and rows of JDBC values.
 *
 * @param truncated true when more rows existed than were read (see {@link #read(ResultSet, int)})
 */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {

  public QueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** Reads at most {@code maxRows} rows; {@code truncated} says whether more were left. */
  public static QueryResult read(ResultSet rs, int maxRows) throws SQLException {
    return read(rs, maxRows, Long.MAX_VALUE);
  }

  /** Characters a value counts for in {@link #read(ResultSet, int, long)}. */
  private static long size(Object v) {
    if (v instanceof String s) {
      return s.length();
    }
    if (v instanceof java.sql.Array || v instanceof java.sql.Struct || v instanceof java.sql.Blob
        || v instanceof java.util.Map) {
      return String.valueOf(SqlValues.plain(v)).length();
    }
    return 16;
  }

  /**
   * Reads at most {@code maxRows} rows holding at most about {@code maxChars} characters: the
   * length of each text value, of the text of each list, struct, map or BLOB value, 16 for any
   * other value.
   *
   * @throws QueryRefusedException as soon as the rows read hold more than {@code maxChars}
   */
  public static QueryResult read(ResultSet rs, int maxRows, long maxChars) throws SQLException {
    long chars = 0;
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() >= maxRows) {
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        chars += size(v);
        row.add(v);
      }
      if (chars > maxChars) {
        throw new QueryRefusedException("the result holds more than " + maxChars + " characters after "
            + (rows.size() + 1) + " rows, over the limit of one answer; select fewer rows or columns,"
            + " or shorter values");
      }
      rows.add(java.util.Collections.unmodifiableList(row));
    }
    return new QueryResult(columns, rows, truncated);
  }
}
