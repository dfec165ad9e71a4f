package dev.loupe.events;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a request body into {@link RawEvent}s, and writes events as JSON. No I/O beyond byte
 * arrays.
 *
 * <p>Accepted bodies: a JSON array of objects, or NDJSON (one JSON object per line, blank lines
 * ignored), either optionally gzip-compressed (recognized by its magic bytes, whatever the
 * headers say). A UTF-8 byte-order mark is skipped. A JSON array that is not valid JSON as a
 * whole is a {@link MalformedBodyException}; in NDJSON each unreadable line becomes a
 * {@link RawEvent} with an error, so one bad line never blocks the others.
 *
 * <p>Thread-safe.
 */
public final class EventCodec {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** Same, but duplicate keys are left to {@link DuplicateCheck} (cheaper than a hash set). */
  private static final ObjectMapper JSON_UNCHECKED = JsonMapper.builder().build();

  /**
   * Most events (array items or NDJSON lines) in one body. A body of tiny items (16 MiB of
   * {@code 1,}) would otherwise make millions of rejections, each logged and answered, enough to
   * exhaust the server's memory.
   */
  public static final int MAX_EVENTS = 100_000;

  private final long maxBytes;

  private EventCodec(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1 but was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** A codec refusing bodies longer than {@code maxBytes}, measured after decompression. */
  public static EventCodec create(long maxBytes) {
    return new EventCodec(maxBytes);
  }

  public static ObjectMapper mapper() {
    return JSON;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Splits a body into events.
   *
   * @throws MalformedBodyException if the body is empty, not gzip although it starts like gzip,
   *     or a JSON array that does not parse
   * @throws BodyTooLargeException if it is larger than the limit once decompressed, or holds more
   *     than {@link #MAX_EVENTS} events
   */
  public List<RawEvent> parse(byte[] body) {
    if (body.length > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    byte[] bytes = toUtf8(isGzip(body) ? gunzip(body) : body);
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    while (start < bytes.length && isWhitespace(bytes[start])) {
      start++;
    }
    if (start == bytes.length) {
      throw new MalformedBodyException(
          "body is empty: send a JSON array of events or NDJSON (one event per line)");
    }
    List<RawEvent> events = bytes[start] == '[' ? parseArray(bytes, start) : parseLines(bytes, start);
    if (events.isEmpty()) {
      throw new MalformedBodyException(
          "body holds no events: send a JSON array of events or NDJSON (one event per line)");
    }
    return events;
  }

  /**
   * A body in UTF-16 or UTF-32 with a byte-order mark (bytes no UTF-8 text starts with), as some
   * Windows tools write, re-encoded as UTF-8; other bodies as they are. Without it the parser
   * read the first line of such an NDJSON body and rejected the others as invalid JSON. A body
   * without a mark is UTF-8: a zero byte in it is a bad line like any other.
   *
   * @throws MalformedBodyException if the body does not decode in the encoding its mark names
   */
  static byte[] toUtf8(byte[] b) {
    int n = b.length;
    String charset = null;
    int skip = 0;
    if (n >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xfe && (b[3] & 0xff) == 0xff) {
      charset = "UTF-32BE";
      skip = 4;
    } else if (n >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe && b[2] == 0 && b[3] == 0) {
      charset = "UTF-32LE";
      skip = 4;
    } else if (n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
      charset = "UTF-16BE";
      skip = 2;
    } else if (n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      charset = "UTF-16LE";
      skip = 2;
    }
    if (charset == null) {
      return b;
    }
    try {
      CharBuffer text = java.nio.charset.Charset.forName(charset).newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, skip, n - skip));
      return text.toString().getBytes(StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new MalformedBodyException(
          "body starts with a " + charset + " byte-order mark but does not decode as " + charset
              + " (send UTF-8): " + e.getMessage());
    }
  }

  private static List<RawEvent> parseArray(byte[] bytes, int start) {
    try {
      return parseArray(bytes, start, new DuplicateCheck());
    } catch (DuplicateCheck.Undecided | MalformedBodyException e) {
      // read again with the parser's own duplicate detection, which may report another error
      // first (a duplicate key before the value that broke the cheaper pass)
      return parseArray(bytes, start, null);
    }
  }

  /**
   * @param check null to let the parser detect duplicate keys (a hash set per object), else the
   *     cheaper check, which gives up with {@link DuplicateCheck.Undecided} when in doubt
   */
  private static List<RawEvent> parseArray(byte[] bytes, int start, DuplicateCheck check) {
    List<RawEvent> out = new ArrayList<>();
    ObjectMapper mapper = check == null ? JSON : JSON_UNCHECKED;
    try (JsonParser p = mapper.createParser(bytes, start, bytes.length - start)) {
      p.nextToken(); // START_ARRAY
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new MalformedBodyException("body is not valid JSON: the array is not closed with ]");
        }
        if (out.size() == MAX_EVENTS) {
          throw BodyTooLargeException.events(MAX_EVENTS);
        }
        out.add(readItem(p, bytes, start, out.size(), check));
      }
      if (p.nextToken() != null) {
        throw new MalformedBodyException(
            "body is not valid JSON: unexpected content after the closing ] at "
                + location(p));
      }
    } catch (JsonProcessingException e) {
      throw new MalformedBodyException(
          "body is not valid JSON (a JSON array of events was expected): "
              + e.getOriginalMessage() + " at " + location(e));
    } catch (IOException e) {
      throw new MalformedBodyException("body cannot be read: " + e.getMessage());
    }
    return out;
  }

  /**
   * NDJSON. Lines are read with one parser for the whole body while every line holds exactly one
   * well-formed value with no duplicate key; from the first line where that is not certain, each
   * line gets its own parser, as the contract describes (so an error is reported exactly as for
   * that line alone, and the lines after it are still read).
   */
  private static List<RawEvent> parseLines(byte[] bytes, int start) {
    List<RawEvent> out = new ArrayList<>();
    int line = 1;
    for (int i = 0; i < start; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    DuplicateCheck check = new DuplicateCheck();
    JsonParser shared = null;
    try {
      shared = JSON_UNCHECKED.createParser(bytes, start, bytes.length - start);
    } catch (IOException e) {
      shared = null;
    }
    int pos = start;
    while (pos < bytes.length) {
      int end = pos;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int a = pos;
      int b = end;
      while (a < b && isWhitespace(bytes[a])) {
        a++;
      }
      while (b > a && isWhitespace(bytes[b - 1])) {
        b--;
      }
      if (a < b) {
        if (out.size() == MAX_EVENTS) {
          if (shared != null) {
            closeQuietly(shared);
          }
          throw BodyTooLargeException.events(MAX_EVENTS);
        }
        RawEvent item = null;
        if (shared != null) {
          item = readSharedLine(shared, bytes, start, a, b, out.size(), check);
          if (item == null) {
            closeQuietly(shared);
            shared = null;
          }
        }
        out.add(item != null ? item : parseLine(bytes, a, b, out.size(), line));
      }
      pos = end + 1;
      line++;
    }
    if (shared != null) {
      closeQuietly(shared);
    }
    return out;
  }

  /**
   * The next value of the shared parser if it is exactly the line {@code [a, b)}, one object or
   * scalar, without duplicate keys; null when not certain (the caller then reads the line alone).
   */
  private static RawEvent readSharedLine(JsonParser p, byte[] bytes, int base, int a, int b,
      int index, DuplicateCheck check) {
    try {
      JsonToken t = p.nextToken();
      if (t == null || base + p.currentTokenLocation().getByteOffset() != a) {
        return null;
      }
      RawEvent item = readItem(p, bytes, base, index, check);
      return base + p.currentLocation().getByteOffset() == b ? item : null;
    } catch (IOException | DuplicateCheck.Undecided e) {
      return null;
    }
  }

  private static void closeQuietly(JsonParser p) {
    try {
      p.close();
    } catch (IOException e) {
      // a parser over a byte array holds no resource
    }
  }

  /**
   * Parses one NDJSON line (for readers that stream a file line by line).
   *
   * @param index the event's position, reported in rejections
   * @param line the 1-based line number, used in error messages
   */
  public static RawEvent parseLine(String text, int index, int line) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return parseLine(b, 0, b.length, index, line);
  }

  /**
   * Parses one NDJSON line given as its bytes: bytes that are not UTF-8 make it unreadable, as in
   * a request body, instead of being replaced.
   *
   * @param index the event's position, reported in rejections
   * @param line the 1-based line number, used in error messages
   */
  public static RawEvent parseLine(byte[] bytes, int index, int line) {
    return parseLine(bytes, 0, bytes.length, index, line);
  }

  private static RawEvent parseLine(byte[] bytes, int from, int to, int index, int line) {
    try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
      if (p.nextToken() == null) {
        throw new IllegalStateException("unreachable: line has content");
      }
      RawEvent item = readItem(p, bytes, from, index, null);
      if (p.nextToken() != null) {
        return RawEvent.unreadable(
            index,
            "line " + line + " holds more than one JSON value (NDJSON needs one event per line)",
            new String(bytes, from, to - from, StandardCharsets.UTF_8));
      }
      return item;
    } catch (JsonProcessingException e) {
      return RawEvent.unreadable(
          index,
          "line " + line + " is not valid JSON: " + e.getOriginalMessage(),
          new String(bytes, from, to - from, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return RawEvent.unreadable(
          index, "line " + line + " cannot be read: " + e.getMessage(),
          new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }
  }

  /**
   * Reads the value at the parser's current token. An object is read in one streaming pass that
   * picks up the five fields the validator needs and skips everything else (the parser still
   * checks all of it, duplicate keys included, exactly as when building a tree); its
   * {@code properties} object is kept as a byte range, not built. Any other value becomes a tree.
   *
   * @param base the offset in {@code bytes} where the parser's input starts
   * @param check null when the parser detects duplicate keys itself, else the check to use
   * @throws DuplicateCheck.Undecided when {@code check} cannot rule out a duplicate key
   */
  private static RawEvent readItem(JsonParser p, byte[] bytes, int base, int index,
      DuplicateCheck check) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      if (check != null && p.currentToken() == JsonToken.START_ARRAY) {
        throw DuplicateCheck.UNDECIDED;
      }
      return RawEvent.of(index, p.readValueAsTree());
    }
    if (check != null) {
      check.reset();
      check.enterObject();
    }
    int from = base + (int) p.currentTokenLocation().getByteOffset();
    JsonNode eventId = null;
    JsonNode userId = null;
    JsonNode eventType = null;
    JsonNode eventTime = null;
    JsonNode properties = null;
    int propertiesFrom = -1;
    int propertiesTo = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (check != null) {
        check.name(name);
      }
      JsonToken t = p.nextToken();
      switch (name) {
        case "event_id" -> eventId = scalar(p, t, check);
        case "user_id" -> userId = scalar(p, t, check);
        case "event_type" -> eventType = scalar(p, t, check);
        case "event_time" -> eventTime = scalar(p, t, check);
        case "properties" -> {
          if (t == JsonToken.START_OBJECT) {
            propertiesFrom = base + (int) p.currentTokenLocation().getByteOffset();
            skip(p, check);
            propertiesTo = base + (int) p.currentLocation().getByteOffset();
            properties = null;
          } else {
            properties = scalar(p, t, check);
            propertiesFrom = -1;
            propertiesTo = -1;
          }
        }
        default -> skip(p, check);
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new JsonParseException(p, "expected a field name or the end of the object");
    }
    int to = base + (int) p.currentLocation().getByteOffset();
    return RawEvent.streamed(index, new StreamedFields(bytes, from, to, eventId, userId, eventType,
        eventTime, properties, propertiesFrom, propertiesTo));
  }

  /** The value at the current token as a tree would hold it (built only when not a string). */
  private static JsonNode scalar(JsonParser p, JsonToken t, DuplicateCheck check)
      throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return TextNode.valueOf(p.getText());
    }
    if (t == JsonToken.VALUE_NULL) {
      return NullNode.getInstance();
    }
    if (check != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
      throw DuplicateCheck.UNDECIDED; // a tree built without the parser's check: leave it to it
    }
    return p.readValueAsTree();
  }

  /** Skips the value at the current token, checking the keys of every object in it. */
  private static void skip(JsonParser p, DuplicateCheck check) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    if (check == null) {
      p.skipChildren();
      return;
    }
    int depth = 0;
    do {
      switch (t) {
        case START_OBJECT -> {
          check.enterObject();
          depth++;
        }
        case START_ARRAY -> {
          check.enterArray();
          depth++;
        }
        case END_OBJECT, END_ARRAY -> {
          check.exit();
          depth--;
        }
        case FIELD_NAME -> check.name(p.currentName());
        default -> { }
      }
      if (depth == 0) {
        return;
      }
      t = p.nextToken();
    } while (t != null);
    throw DuplicateCheck.UNDECIDED; // the parser reports a truncated value; let the strict one

  }

  private byte[] gunzip(byte[] body) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 65_536)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, body.length * 4));
      byte[] buf = new byte[65_536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new BodyTooLargeException(maxBytes);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new MalformedBodyException("body starts like gzip but cannot be decompressed: "
          + e.getMessage());
    }
  }

  private static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  private static boolean isWhitespace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static String location(JsonParser p) {
    return "line " + p.currentLocation().getLineNr() + ", column "
        + p.currentLocation().getColumnNr();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** An event as the JSON object clients send (with {@code received_at} added). */
  public static ObjectNode toJson(Event e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event_id", e.eventId());
    if (e.userId() == null) {
      o.putNull("user_id");
    } else {
      o.put("user_id", e.userId());
    }
    o.put("event_type", e.eventType());
    o.put("event_time", e.eventTime().toString());
    try {
      o.set("properties", JSON.readTree(e.properties()));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("properties of " + e.eventId() + " are not JSON", ex);
    }
    o.put("received_at", e.receivedAt().toString());
    return o;
  }

  /** NDJSON text of the events, one per line. */
  public static byte[] toNdjson(List<Event> events) {
    StringBuilder b = new StringBuilder(events.size() * 200);
    for (Event e : events) {
      b.append(toJson(e)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Gzip-compresses bytes (for clients and tests). */
  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

}
