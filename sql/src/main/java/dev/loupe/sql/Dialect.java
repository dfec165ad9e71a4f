package dev.loupe.sql;

import java.sql.Types;

/**
 * The SQL engines Loupe generates its analyses for. Each analysis writes one query per dialect;
 * the differences are small and live here, so that the same analysis gives identical results on
 * both engines (tested against a real server of each).
 *
 * <p>Text is compared byte-wise on both engines (PostgreSQL: {@code COLLATE "C"}), so ordering by
 * a text column never depends on a server's locale.
 */
public enum Dialect {
  DUCKDB,
  POSTGRES;

  /** A quoted identifier. The name must already be validated by {@link Names#identifier}. */
  public String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * An expression to sort by: text columns compare byte-wise on both engines, NULLs last.
   *
   * @param sqlType the column's {@link java.sql.Types} code
   */
  String sortKey(String expression, int sqlType) {
    if (this == POSTGRES && isText(sqlType)) {
      return expression + " COLLATE \"C\"";
    }
    return expression;
  }

  /** A double-precision number of seconds in the interval expression. */
  String epochSeconds(String intervalExpression) {
    return "CAST(EXTRACT(EPOCH FROM (" + intervalExpression + ")) AS DOUBLE PRECISION)";
  }

  /** A text rendering of any value, for deterministic tie-breaking. */
  String asText(String expression) {
    return this == POSTGRES
        ? "CAST(" + expression + " AS TEXT) COLLATE \"C\""
        : "CAST(" + expression + " AS VARCHAR)";
  }

  /** An interval literal of whole seconds. */
  String seconds(long seconds) {
    return "INTERVAL '" + seconds + " seconds'";
  }

  /** A one-element array. */
  String array(String element) {
    return this == POSTGRES ? "ARRAY[" + element + "]" : "[" + element + "]";
  }

  /** The array with one more element at the end. */
  String append(String array, String element) {
    return this == POSTGRES ? array + " || " + element : "list_append(" + array + ", " + element + ")";
  }

  /** True when the array holds the element. */
  String contains(String array, String element) {
    return this == POSTGRES ? element + " = ANY(" + array + ")" : "list_contains(" + array + ", " + element + ")";
  }

  static boolean isInteger(int sqlType) {
    return sqlType == Types.INTEGER
        || sqlType == Types.BIGINT
        || sqlType == Types.SMALLINT
        || sqlType == Types.TINYINT;
  }

  /** A JDBC type code's name, e.g. VARCHAR; OTHER for the engine's own types (such as HUGEINT). */
  static String typeName(int sqlType) {
    try {
      return java.sql.JDBCType.valueOf(sqlType).getName();
    } catch (IllegalArgumentException e) {
      return "type code " + sqlType;
    }
  }

  static boolean isText(int sqlType) {
    return sqlType == Types.VARCHAR
        || sqlType == Types.CHAR
        || sqlType == Types.LONGVARCHAR
        || sqlType == Types.NVARCHAR
        || sqlType == Types.NCHAR
        || sqlType == Types.CLOB;
  }
}
