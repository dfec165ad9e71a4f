package dev.loupe.events;

import java.util.Objects;

/**
 * Why one event of a batch was not accepted.
 *
 * @param index position of the event in its batch, 0-based (for NDJSON: among the non-blank
 *     lines)
 * @param field the JSON field that broke a rule ({@code event_id}, {@code event_time}, …), or
 *     {@code "(event)"} when the event as a whole is unreadable
 * @param reason a sentence naming the field, the value and the rule
 * @param raw the event as received (NDJSON line, or the array element re-serialized), possibly
 *     truncated to {@link #MAX_RAW_CHARS} characters
 */
public record Rejection(int index, String field, String reason, String raw) {

  /** Raw payloads longer than this are cut, so one huge bad event cannot fill the store. */
  public static final int MAX_RAW_CHARS = 65_536;

  public Rejection {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
    raw = raw == null ? "" : raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
  }
}
