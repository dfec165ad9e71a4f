package dev.loupe.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of user-given names (columns, tables) and lookup of a source's columns. */
public final class Names {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private Names() {}

  /**
   * Returns the name if it is a plain SQL identifier (a letter or underscore, then letters, digits
   * or underscores, at most 63 characters).
   *
   * @param field what the name is for, used in the error message (for example {@code "--key"})
   * @throws IllegalArgumentException otherwise, naming the field, the value and the rule
   */
  public static String identifier(String field, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          field + " must be a plain column name (a letter or _, then letters, digits or _; at most"
              + " 63 characters) but was " + (name == null ? "missing" : "'" + name + "'"));
    }
    return name;
  }

  /** A table name, optionally schema-qualified; returned quoted for the dialect. */
  public static String table(Dialect dialect, String name) {
    if (name == null || !TABLE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "--table must be a table name, optionally schema.table (letters, digits, _) but was "
              + (name == null ? "missing" : "'" + name + "'"));
    }
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("\\.")) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(dialect.quote(part));
    }
    return sb.toString();
  }

  /**
   * The columns of a table expression with their {@link java.sql.Types} codes, in order. Names are
   * as the engine reports them.
   */
  static Map<String, Integer> columns(Connection c, String source) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + source + " AS s LIMIT 0")) {
      ResultSetMetaData md = rs.getMetaData();
      Map<String, Integer> out = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.put(md.getColumnLabel(i), md.getColumnType(i));
      }
      return out;
    }
  }

  /** {@link #columns}, for callers outside this package (benchmarks, commands). */
  public static Map<String, Integer> columnsOf(Connection c, String source) throws SQLException {
    return columns(c, source);
  }

  /** Fails with a message naming the missing column and the columns there are. */
  static int require(Map<String, Integer> columns, String field, String column) {
    Integer type = columns.get(column);
    if (type == null) {
      throw new IllegalArgumentException(
          field + " names column '" + column + "', which the input does not have (columns: "
              + String.join(", ", columns.keySet()) + ")");
    }
    return type;
  }
}
