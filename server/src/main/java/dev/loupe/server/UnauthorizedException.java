package dev.loupe.server;

/** A request without the right key. Maps to HTTP 401. */
public final class UnauthorizedException extends RuntimeException {

  public UnauthorizedException(String message) {
    super(message);
  }
}
