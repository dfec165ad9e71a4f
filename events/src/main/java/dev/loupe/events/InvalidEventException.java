package dev.loupe.events;

/**
 * One event broke a validation rule. The message names the field, the value and the rule.
 *
 * <p>Thrown once per bad event on the ingestion path, so it carries no stack trace.
 */
public final class InvalidEventException extends IllegalArgumentException {

  private final String field;

  public InvalidEventException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The JSON field that broke the rule, or {@code "(event)"}. */
  public String field() {
    return field;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
