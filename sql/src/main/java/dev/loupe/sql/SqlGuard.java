package dev.loupe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox's first line: splits a query into statements (outside quotes, dollar quotes and
 * comments), allows exactly one, and refuses anything whose first keyword is not a query, each
 * with a message naming the keyword. DuckDB's own parser then confirms the statement is a SELECT
 * (see {@link SqlSandbox}).
 */
final class SqlGuard {

  static final String VIEWS = "events, rejected, sessions, daily_reports";

  private static final String FILES =
      " is refused: the sandbox neither reads nor writes files; query the views " + VIEWS;
  private static final String SETTINGS = " is refused: the sandbox's settings are fixed";
  private static final String EXTENSIONS = " is refused: extensions cannot be installed or loaded in the sandbox";
  private static final String DATABASES = " is refused: the sandbox reads only the lake's views (" + VIEWS + ")";
  private static final String READ_ONLY = " is refused: the sandbox is read-only; only SELECT queries run";

  private static final Map<String, String> REFUSED =
      Map.ofEntries(
          Map.entry("ATTACH", DATABASES),
          Map.entry("DETACH", DATABASES),
          Map.entry("USE", DATABASES),
          Map.entry("INSTALL", EXTENSIONS),
          Map.entry("LOAD", EXTENSIONS),
          Map.entry("FORCE", EXTENSIONS),
          Map.entry("UPDATE", READ_ONLY),
          Map.entry("COPY", FILES),
          Map.entry("EXPORT", FILES),
          Map.entry("IMPORT", FILES),
          Map.entry("SET", SETTINGS),
          Map.entry("RESET", SETTINGS),
          Map.entry("PRAGMA", SETTINGS),
          Map.entry("CREATE", READ_ONLY),
          Map.entry("INSERT", READ_ONLY),
          Map.entry("DELETE", READ_ONLY),
          Map.entry("DROP", READ_ONLY),
          Map.entry("ALTER", READ_ONLY),
          Map.entry("TRUNCATE", READ_ONLY),
          Map.entry("MERGE", READ_ONLY),
          Map.entry("VACUUM", READ_ONLY),
          Map.entry("CHECKPOINT", READ_ONLY),
          Map.entry("CALL", READ_ONLY),
          Map.entry("PREPARE", READ_ONLY),
          Map.entry("EXECUTE", READ_ONLY),
          Map.entry("DEALLOCATE", READ_ONLY),
          Map.entry("BEGIN", READ_ONLY),
          Map.entry("START", READ_ONLY),
          Map.entry("COMMIT", READ_ONLY),
          Map.entry("ROLLBACK", READ_ONLY),
          Map.entry("ABORT", READ_ONLY),
          Map.entry("END", READ_ONLY),
          Map.entry("COMMENT", READ_ONLY),
          Map.entry("ANALYZE", READ_ONLY),
          Map.entry("UPSERT", READ_ONLY),
          Map.entry("REPLACE", READ_ONLY));

  private SqlGuard() {}

  /**
   * Returns the one statement of the query (without a trailing semicolon).
   *
   * @throws QueryRefusedException if there is no statement, more than one, or a refused one
   */
  static String check(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new QueryRefusedException(
          "query is empty: give one SQL statement such as SELECT count(*) FROM events");
    }
    List<String> statements = split(sql);
    if (statements.isEmpty()) {
      throw new QueryRefusedException(
          "query is empty: give one SQL statement such as SELECT count(*) FROM events");
    }
    if (statements.size() > 1) {
      throw new QueryRefusedException(
          "query has " + statements.size() + " statements but the sandbox runs exactly one per request");
    }
    String statement = statements.get(0);
    String keyword = firstKeyword(statement);
    String reason = REFUSED.get(keyword);
    if (reason != null) {
      throw new QueryRefusedException(keyword + reason);
    }
    return statement;
  }

  /** The statements of a script: split at semicolons outside strings and comments, blank ones dropped. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean code = false; // current statement has something besides whitespace and comments
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        while (end >= 0 && end + 1 < n && sql.charAt(end + 1) == c) {
          end = sql.indexOf(c, end + 2);
        }
        end = end < 0 ? n : end + 1;
        current.append(sql, i, end);
        code = true;
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(' ');
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(' ');
        i = end;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        end = end < 0 ? n : end + tag.length();
        current.append(sql, i, end);
        code = true;
        i = end;
      } else if (c == ';') {
        if (code) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
        code = false;
        i++;
      } else {
        current.append(c);
        code |= !Character.isWhitespace(c);
        i++;
      }
    }
    if (code) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /** {@code $tag$} or {@code $$} starting at i, or null (a positional parameter such as $1). */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
      return sql.substring(i, j + 1);
    }
    return null;
  }

  static String firstKeyword(String statement) {
    String s = statement.stripLeading();
    while (s.startsWith("(")) {
      s = s.substring(1).stripLeading();
    }
    int end = 0;
    while (end < s.length() && Character.isLetter(s.charAt(end))) {
      end++;
    }
    return s.substring(0, end).toUpperCase(Locale.ROOT);
  }
}
