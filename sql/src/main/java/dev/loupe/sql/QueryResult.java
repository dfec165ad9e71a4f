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
        row.add(rs.getObject(i));
      }
      rows.add(java.util.Collections.unmodifiableList(row));
    }
    return new QueryResult(columns, rows, truncated);
  }
}
