package dev.loupe.sql;

/**
 * The sandbox will not run this query: it is not a single read-only SELECT, it reaches outside the
 * lake, or it exceeded a limit. The message says which rule and what is allowed; the user can fix
 * the query (HTTP 400, CLI exit 2).
 */
public class QueryRefusedException extends IllegalArgumentException {

  public QueryRefusedException(String message) {
    super(message);
  }
}
