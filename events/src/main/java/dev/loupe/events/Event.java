package dev.loupe.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One product event, as stored in the lake.
 *
 * <p>{@code eventId} is the idempotency key: two events with the same id are the same event.
 * {@code eventTime} is when it happened (UTC), {@code receivedAt} when the collector accepted it.
 * {@code properties} is a JSON object rendered as text ({@code "{}"} when the sender gave none),
 * so it round-trips byte for byte through the write-ahead log and the Parquet lake. {@code userId}
 * may be null (anonymous events); every other field is required.
 */
public record Event(
    String eventId,
    String userId,
    String eventType,
    Instant eventTime,
    String properties,
    Instant receivedAt) {

  public Event {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
