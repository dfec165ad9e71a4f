package dev.loupe.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of a batch as read from the wire, before validation.
 *
 * <p>An item is either unreadable ({@link #error()} says why, {@link #raw()} holds its text), a
 * parsed JSON tree ({@link #of}), or an object read by {@link EventCodec}'s single streaming pass:
 * then its top-level fields were picked up on the way and its bytes are kept, so that
 * {@link EventValidator#validate(RawEvent, java.time.Instant)} never builds a tree; {@link #node()}
 * builds one on demand (for rejections and callers that want it).
 *
 * <p>Not thread-safe: hand an item to one thread at a time.
 */
public final class RawEvent {

  private final int index;
  private final String error;
  private final String rawText;
  private final StreamedFields fields;
  private JsonNode node;

  private RawEvent(int index, JsonNode node, String error, String rawText, StreamedFields fields) {
    this.index = index;
    this.node = node;
    this.error = error;
    this.rawText = rawText;
    this.fields = fields;
  }

  /** An item given as a parsed JSON value. */
  public static RawEvent of(int index, JsonNode node) {
    return new RawEvent(index, node, null, null, null);
  }

  /** An item that could not be parsed. */
  public static RawEvent unreadable(int index, String error, String rawText) {
    return new RawEvent(index, null, error, rawText, null);
  }

  static RawEvent streamed(int index, StreamedFields fields) {
    return new RawEvent(index, null, null, null, fields);
  }

  /** 0-based position in the batch. */
  public int index() {
    return index;
  }

  /** Why the item could not be parsed, or null when it is valid JSON. */
  public String error() {
    return error;
  }

  /** Whether the item is valid JSON (it may still break the event schema). */
  public boolean readable() {
    return error == null;
  }

  /** The item's text when it could not be parsed (null otherwise; use {@link #raw()}). */
  public String rawText() {
    return rawText;
  }

  /** The parsed JSON value, or null when the item is not valid JSON. */
  public JsonNode node() {
    if (node == null && fields != null) {
      try {
        node = EventCodec.mapper().readTree(fields.bytes(), fields.from(), fields.to() - fields.from());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("item " + index + " was read once and cannot be read again",
            e);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return node;
  }

  StreamedFields fields() {
    return fields;
  }

  /** The item as text: what was received, or the parsed value re-serialized. */
  public String raw() {
    if (rawText != null) {
      return rawText;
    }
    JsonNode n = node();
    return n == null ? "" : n.toString();
  }

  @Override
  public String toString() {
    return "RawEvent[index=" + index + (error == null ? ", " + raw() : ", error=" + error) + "]";
  }
}
