package dev.loupe.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The top-level fields of one event object, picked up by {@link EventCodec}'s streaming pass.
 *
 * <p>The four scalar fields hold the value exactly as a JSON tree of the event would (a
 * {@code TextNode} for a string, the deserialized node for anything else), or null when absent.
 * {@code properties} is the same, except that an object value is not built: it is the byte range
 * {@code [propertiesFrom, propertiesTo)} of {@code bytes} (both -1 when it is not an object). The
 * whole event is {@code [from, to)} of {@code bytes}. The bytes are known to be valid JSON (the
 * parser went through them with duplicate detection on).
 */
record StreamedFields(
    byte[] bytes,
    int from,
    int to,
    JsonNode eventId,
    JsonNode userId,
    JsonNode eventType,
    JsonNode eventTime,
    JsonNode properties,
    int propertiesFrom,
    int propertiesTo) {

  boolean propertiesIsObject() {
    return propertiesFrom >= 0;
  }
}
