package dev.loupe.events;

/** A body (or its gzip-decompressed content) over the configured limit. Maps to HTTP 413. */
public final class BodyTooLargeException extends IllegalArgumentException {

  private final long limit;

  public BodyTooLargeException(long limit) {
    super("body is larger than the limit of " + limit + " bytes (after gzip decompression); "
        + "send smaller batches");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
