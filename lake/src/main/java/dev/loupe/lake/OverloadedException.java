package dev.loupe.lake;

import java.time.Duration;

/**
 * The collector cannot take the batch now (write-ahead log backlog over its limit): nothing of
 * the batch was stored; retry after {@link #retryAfter()}. Maps to HTTP 503 with Retry-After.
 */
public final class OverloadedException extends RuntimeException {

  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
