package dev.loupe.server;

import dev.loupe.sql.QueryResult;
import java.util.List;

/** A query result as CSV (RFC 4180: quotes around fields with comma, quote or line break). */
final class Csv {

  private Csv() {}

  static String of(QueryResult r) {
    StringBuilder sb = new StringBuilder();
    line(sb, r.columns());
    for (List<Object> row : r.rows()) {
      line(sb, row);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = values.get(i);
      String s = v == null ? "" : JsonValues.text(v);
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    sb.append("\r\n");
  }
}
