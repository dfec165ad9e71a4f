package dev.loupe.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of a batch as read from the wire, before validation.
 *
 * @param index 0-based position in the batch
 * @param node the parsed JSON value, or null when the item is not valid JSON
 * @param error why the item could not be parsed (null when {@code node} is present)
 * @param rawText the item's text when it could not be parsed (null otherwise; use {@link #raw()})
 */
public record RawEvent(int index, JsonNode node, String error, String rawText) {

  public static RawEvent of(int index, JsonNode node) {
    return new RawEvent(index, node, null, null);
  }

  public static RawEvent unreadable(int index, String error, String rawText) {
    return new RawEvent(index, null, error, rawText);
  }

  /** The item as text: what was received, or the parsed value re-serialized. */
  public String raw() {
    return rawText != null ? rawText : node == null ? "" : node.toString();
  }
}
