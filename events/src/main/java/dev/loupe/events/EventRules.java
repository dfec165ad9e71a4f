package dev.loupe.events;

import java.time.Duration;

/**
 * The limits an event must respect, besides its schema.
 *
 * @param maxFutureSkew how far after its reception an event's {@code event_time} may lie (clock
 *     skew of the sender); later events are rejected
 * @param maxAge how far before its reception an event's {@code event_time} may lie; it equals the
 *     lake's retention, since older events would be deleted at once
 * @param maxPropertiesChars the longest {@code properties} JSON text accepted, in characters
 */
public record EventRules(Duration maxFutureSkew, Duration maxAge, int maxPropertiesChars) {

  /** Longest accepted {@code event_id}, in characters. */
  public static final int MAX_EVENT_ID_CHARS = 128;
  /** Longest accepted {@code user_id}, in characters. */
  public static final int MAX_USER_ID_CHARS = 256;
  /** Longest accepted {@code event_type}, in characters. */
  public static final int MAX_EVENT_TYPE_CHARS = 64;

  public EventRules {
    if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException("maxFutureSkew must be >= 0 but was " + maxFutureSkew);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be > 0 but was " + maxAge);
    }
    if (maxPropertiesChars < 2) {
      throw new IllegalArgumentException(
          "maxPropertiesChars must be >= 2 (room for {}) but was " + maxPropertiesChars);
    }
  }

  /** One day of future skew, two years (730 days) of age, 64 KiB of properties. */
  public static EventRules withDefaults() {
    return new EventRules(Duration.ofDays(1), Duration.ofDays(730), 65_536);
  }
}
