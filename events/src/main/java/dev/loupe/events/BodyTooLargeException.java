package dev.loupe.events;

/**
 * A body (or its gzip-decompressed content) over the configured limit in bytes, or holding more
 * than {@link EventCodec#MAX_EVENTS} events. Maps to HTTP 413.
 */
public final class BodyTooLargeException extends IllegalArgumentException {

  private final long limit;

  public BodyTooLargeException(long limit) {
    this("body is larger than the limit of " + limit + " bytes (after gzip decompression); "
        + "send smaller batches", limit);
  }

  private BodyTooLargeException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /** A body holding more events than {@code maxEvents}. */
  static BodyTooLargeException events(int maxEvents) {
    return new BodyTooLargeException("body holds more than " + maxEvents
        + " events, the limit per request; send smaller batches", maxEvents);
  }

  /** The limit that was exceeded: bytes, or events for {@link #events}. */
  public long limit() {
    return limit;
  }
}
