package dev.loupe.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks one JSON event against Loupe's schema and turns it into an {@link Event}.
 *
 * <p>Rules, each reported with the field, the value and the rule when broken:
 *
 * <ul>
 *   <li>the event is a JSON object;
 *   <li>{@code event_id}: required string, 1 to 128 characters, no control characters, valid
 *       Unicode (no lone surrogate);
 *   <li>{@code user_id}: optional; a string (1 to 256 characters) or an integer, which is kept as
 *       its decimal text; {@code null} or absent means anonymous;
 *   <li>{@code event_type}: required string of 1 to 64 characters from {@code [A-Za-z0-9_.-]},
 *       not starting with {@code .} or {@code -} (it names a lake directory);
 *   <li>{@code event_time}: required ISO-8601 string with an offset ({@code Z} or {@code ±hh:mm}),
 *       stored as UTC and truncated to microseconds; at most {@link EventRules#maxFutureSkew()}
 *       after and at most {@link EventRules#maxAge()} before the reception time;
 *   <li>{@code properties}: optional JSON object (absent or {@code null} means {@code {}}), at
 *       most {@link EventRules#maxPropertiesChars()} characters once serialized.
 * </ul>
 *
 * <p>{@code received_at} is set from the reception time given by the caller; a value sent by the
 * client is ignored, as are unknown top-level fields. Stateless and thread-safe; no I/O.
 */
public final class EventValidator {

  /** A properties key shown as {@code .key} in messages; other keys are shown quoted in brackets. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_]{1,80}");

  private static final int SHOWN_CHARS = 80;

  private final EventRules rules;

  private EventValidator(EventRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  public static EventValidator create(EventRules rules) {
    return new EventValidator(rules);
  }

  public static EventValidator withDefaults() {
    return new EventValidator(EventRules.withDefaults());
  }

  public EventRules rules() {
    return rules;
  }

  /**
   * Validates one event received at {@code receivedAt}.
   *
   * @throws InvalidEventException naming the first broken rule
   */
  public Event validate(JsonNode node, Instant receivedAt) {
    if (node == null || !node.isObject()) {
      throw new InvalidEventException(
          "(event)", "event must be a JSON object but was " + describe(node));
    }
    String eventId = eventId(node.get("event_id"));
    String userId = userId(node.get("user_id"));
    String eventType = eventType(node.get("event_type"));
    Instant eventTime = eventTime(node.get("event_time"), receivedAt);
    String properties = properties(node.get("properties"));
    return new Event(eventId, userId, eventType, eventTime, properties, receivedAt);
  }

  /**
   * Validates one item of a batch received at {@code receivedAt}: the same rules, messages and
   * result as {@link #validate(JsonNode, Instant)} on its tree, without building the tree when
   * {@link EventCodec} read the item in its streaming pass.
   *
   * @throws InvalidEventException naming the first broken rule
   * @throws IllegalArgumentException if the item is not valid JSON ({@link RawEvent#readable()})
   */
  public Event validate(RawEvent item, Instant receivedAt) {
    if (!item.readable()) {
      throw new IllegalArgumentException(
          "item " + item.index() + " is not valid JSON (" + item.error() + ")");
    }
    StreamedFields f = item.fields();
    if (f == null) {
      return validate(item.node(), receivedAt);
    }
    String eventId = eventId(f.eventId());
    String userId = userId(f.userId());
    String eventType = eventType(f.eventType());
    Instant eventTime = eventTime(f.eventTime(), receivedAt);
    String properties = f.propertiesIsObject()
        ? propertiesText(f.bytes(), f.propertiesFrom(), f.propertiesTo())
        : properties(f.properties());
    return new Event(eventId, userId, eventType, eventTime, properties, receivedAt);
  }

  private static String eventId(JsonNode v) {
    if (v == null || v.isNull()) {
      throw new InvalidEventException("event_id", "event_id is required (the idempotency key)");
    }
    if (!v.isTextual()) {
      throw new InvalidEventException(
          "event_id", "event_id must be a string but was " + describe(v));
    }
    String s = v.textValue();
    if (s.isEmpty() || s.length() > EventRules.MAX_EVENT_ID_CHARS) {
      throw new InvalidEventException(
          "event_id",
          "event_id " + show(s) + " must have 1 to " + EventRules.MAX_EVENT_ID_CHARS
              + " characters but has " + s.length());
    }
    if (hasControl(s)) {
      throw new InvalidEventException(
          "event_id", "event_id " + show(s) + " must not contain control characters");
    }
    if (hasLoneSurrogate(s)) {
      throw new InvalidEventException(
          "event_id", "event_id " + show(s) + " must be valid Unicode (it holds a lone surrogate)");
    }
    return s;
  }

  private static String userId(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    String s;
    if (v.isTextual()) {
      s = v.textValue();
    } else if (v.isIntegralNumber()) {
      s = v.asText();
    } else {
      throw new InvalidEventException(
          "user_id", "user_id must be a string, an integer or null but was " + describe(v));
    }
    if (s.isEmpty() || s.length() > EventRules.MAX_USER_ID_CHARS) {
      throw new InvalidEventException(
          "user_id",
          "user_id " + show(s) + " must have 1 to " + EventRules.MAX_USER_ID_CHARS
              + " characters (or be null) but has " + s.length());
    }
    if (hasControl(s)) {
      throw new InvalidEventException(
          "user_id", "user_id " + show(s) + " must not contain control characters");
    }
    if (hasLoneSurrogate(s)) {
      throw new InvalidEventException(
          "user_id", "user_id " + show(s) + " must be valid Unicode (it holds a lone surrogate)");
    }
    return s;
  }

  private static String eventType(JsonNode v) {
    if (v == null || v.isNull()) {
      throw new InvalidEventException("event_type", "event_type is required");
    }
    if (!v.isTextual()) {
      throw new InvalidEventException(
          "event_type", "event_type must be a string but was " + describe(v));
    }
    String s = v.textValue();
    if (!isEventType(s)) {
      throw new InvalidEventException(
          "event_type",
          "event_type " + show(s) + " must be 1 to " + EventRules.MAX_EVENT_TYPE_CHARS
              + " characters from [A-Za-z0-9_.-], not starting with '.' or '-'");
    }
    return s;
  }

  private Instant eventTime(JsonNode v, Instant receivedAt) {
    if (v == null || v.isNull()) {
      throw new InvalidEventException(
          "event_time", "event_time is required (ISO-8601 with offset, e.g. 2026-11-26T15:04:05Z)");
    }
    if (!v.isTextual()) {
      throw new InvalidEventException(
          "event_time",
          "event_time must be an ISO-8601 string with offset (e.g. 2026-11-26T15:04:05Z) but was "
              + describe(v));
    }
    String s = v.textValue();
    Instant t;
    try {
      t = IsoTime.parse(s);
    } catch (DateTimeParseException e) {
      // the parser's reason when the shape is right but a field is not ("Invalid date 'FEBRUARY
      // 30'", "Invalid value for MonthOfYear (valid values 1 - 12): 13"); its other reasons
      // (an index, "Value out of range" for an offset) would mislead
      String m = String.valueOf(e.getMessage());
      int at = m.indexOf("could not be parsed: Invalid ");
      throw new InvalidEventException(
          "event_time",
          "event_time " + show(s)
              + " is not ISO-8601 with an offset (e.g. 2026-11-26T15:04:05Z or"
              + " 2026-11-26T16:04:05+01:00)"
              + (at < 0 ? "" : ": " + m.substring(at + "could not be parsed: ".length())));
    }
    t = t.truncatedTo(ChronoUnit.MICROS);
    Instant latest = receivedAt.plus(rules.maxFutureSkew());
    if (t.isAfter(latest)) {
      throw new InvalidEventException(
          "event_time",
          "event_time " + show(s) + " is more than " + human(rules.maxFutureSkew())
              + " after its reception at " + receivedAt + " (limit: event_time <= " + latest + ")");
    }
    Instant earliest = receivedAt.minus(rules.maxAge());
    if (t.isBefore(earliest)) {
      throw new InvalidEventException(
          "event_time",
          "event_time " + show(s) + " is older than the retention of " + human(rules.maxAge())
              + " (limit: event_time >= " + earliest + ")");
    }
    return t;
  }

  private String properties(JsonNode v) {
    if (v == null || v.isNull()) {
      return "{}";
    }
    if (!v.isObject()) {
      throw new InvalidEventException(
          "properties", "properties must be a JSON object but was " + describe(v));
    }
    checkValues(v);
    return checkLength(v.toString());
  }

  /**
   * Values that would not be stored as sent are rejected instead: a number too large for a double
   * (such as {@code 1e400}, read as an infinity and written back as the text {@code "Infinity"}),
   * and a key or text holding a lone surrogate (written to the lake as {@code ?}). The tree is
   * walked once without building paths; only a bad tree is walked again to name the value.
   */
  private static void checkValues(JsonNode properties) {
    if (!storable(properties)) {
      throwAtFirstBad(properties, "properties");
    }
  }

  private static boolean storable(JsonNode v) {
    if (v.isFloatingPointNumber()) {
      return Double.isFinite(v.doubleValue());
    }
    if (v.isTextual()) {
      return !hasLoneSurrogate(v.textValue());
    }
    if (v.isContainerNode()) {
      if (v.isObject()) {
        for (var e : v.properties()) {
          if (hasLoneSurrogate(e.getKey()) || !storable(e.getValue())) {
            return false;
          }
        }
      } else {
        for (JsonNode item : v) {
          if (!storable(item)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static void throwAtFirstBad(JsonNode v, String path) {
    if (v.isFloatingPointNumber()) {
      if (!Double.isFinite(v.doubleValue())) {
        throw new InvalidEventException(
            "properties",
            path + " is a number beyond the range of a double (its magnitude must be at most "
                + Double.MAX_VALUE + ")");
      }
    } else if (v.isTextual()) {
      if (hasLoneSurrogate(v.textValue())) {
        throw new InvalidEventException(
            "properties", path + " must be valid Unicode (it holds a lone surrogate)");
      }
    } else if (v.isObject()) {
      for (var e : v.properties()) {
        String key = e.getKey();
        String at = path + (PLAIN_KEY.matcher(key).matches() ? "." + key : "[" + show(key) + "]");
        if (hasLoneSurrogate(key)) {
          throw new InvalidEventException(
              "properties", "a key of " + path + " must be valid Unicode (it holds a lone surrogate)");
        }
        throwAtFirstBad(e.getValue(), at);
      }
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        throwAtFirstBad(v.get(i), path + "[" + i + "]");
      }
    }
  }

  /**
   * {@code properties} given as the bytes of a JSON object (already checked to be valid JSON):
   * its text is what the tree's {@code toString()} gives; when the bytes already are that text
   * ({@link #compactText}), they are taken as they are.
   */
  private String propertiesText(byte[] bytes, int from, int to) {
    String s = compactText(bytes, from, to);
    if (s == null) {
      try {
        JsonNode tree = EventCodec.mapper().readTree(bytes, from, to - from);
        checkValues(tree);
        s = tree.toString();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("properties were read once and cannot be read again", e);
      }
    }
    return checkLength(s);
  }

  private String checkLength(String s) {
    if (s.length() > rules.maxPropertiesChars()) {
      throw new InvalidEventException(
          "properties",
          "properties has " + s.length() + " characters, more than the limit of "
              + rules.maxPropertiesChars());
    }
    return s;
  }

  /**
   * The text of a valid JSON value if it is already in the form Jackson's tree writes it, else
   * null. That form has no whitespace outside strings; strings are printable ASCII without
   * escapes (anything else is left to the tree, which knows how it re-escapes); integers are
   * written as parsed ({@code -0} becomes {@code 0}, so it is not); a number with a fraction or
   * an exponent is a double written by {@link Double#toString(double)} ({@code 1.5}, {@code 1.0E10};
   * {@code 1e10}, {@code 1.50} or {@code 1e400} are not). Keys keep their order in a tree, and
   * duplicates were rejected by the parser.
   */
  static String compactText(byte[] b, int from, int to) {
    boolean inString = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '"') {
          inString = false;
        } else if (c < 0x20 || c == '\\' || c == 0x7f) {
          return null; // also every byte >= 0x80, negative as a Java byte
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '}', '[', ']', ':', ',' -> { }
        case 't', 'n' -> i += 3; // true, null
        case 'f' -> i += 4; // false
        case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
          int j = i + 1;
          boolean fraction = false;
          while (j < to) {
            byte d = b[j];
            if (d == '.' || d == 'e' || d == 'E') {
              fraction = true;
            } else if (!(d >= '0' && d <= '9') && d != '-' && d != '+') {
              break;
            }
            j++;
          }
          String number = new String(b, i, j - i, StandardCharsets.ISO_8859_1);
          if (fraction
              ? !Double.toString(Double.parseDouble(number)).equals(number)
              : number.equals("-0")) {
            return null;
          }
          i = j - 1;
        }
        default -> {
          return null;
        }
      }
    }
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,63}}, without a regex (this runs per event). */
  static boolean isEventType(String s) {
    int n = s.length();
    if (n < 1 || n > EventRules.MAX_EVENT_TYPE_CHARS) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || (i > 0 && (c == '.' || c == '-'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a UTF-16 surrogate lacks its pair (such text has no UTF-8 form). */
  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return true;
      }
      if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** A value as shown in messages: quoted, control characters escaped, long values cut. */
  static String show(String s) {
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), SHOWN_CHARS);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > SHOWN_CHARS) {
      b.append("…");
    }
    return b.append('\'').toString();
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    String kind =
        switch (v.getNodeType()) {
          case ARRAY -> "an array";
          case BOOLEAN -> "a boolean";
          case NUMBER -> "a number";
          case OBJECT -> "an object";
          case STRING -> "a string";
          case NULL -> "null";
          default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    if (v.isValueNode() && !v.isNull()) {
      String text = v.isTextual() ? v.textValue() : v.asText();
      return kind + " (" + show(text) + ")";
    }
    return kind;
  }

  static String human(Duration d) {
    if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() == 1 ? "1 day" : d.toDays() + " days";
    }
    if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
    }
    return d.toString();
  }
}
