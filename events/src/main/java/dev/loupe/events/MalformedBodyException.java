package dev.loupe.events;

/**
 * A request body that cannot be read as a batch of events at all (not JSON, not NDJSON, not
 * gzip, empty). Maps to HTTP 400. Single bad events inside a readable batch are {@link Rejection}s
 * instead.
 */
public final class MalformedBodyException extends IllegalArgumentException {

  public MalformedBodyException(String message) {
    super(message);
  }
}
