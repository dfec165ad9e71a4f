package dev.loupe.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree-based reader {@link EventCodec} used before its streaming pass (one Jackson tree per
 * event, no gzip): the oracle that {@link StreamingPathTest} compares the streaming path with.
 */
final class TreeEventCodec {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final long maxBytes;

  TreeEventCodec(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1 but was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Splits a body into events.
   *
   * @throws MalformedBodyException if the body is empty, not gzip although it starts like gzip,
   *     or a JSON array that does not parse
   * @throws BodyTooLargeException if it is larger than the limit once decompressed
   */
  public List<RawEvent> parse(byte[] body) {
    if (body.length > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    byte[] bytes = body;
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

  private static List<RawEvent> parseArray(byte[] bytes, int start) {
    List<RawEvent> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(bytes, start, bytes.length - start)) {
      p.nextToken(); // START_ARRAY
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new MalformedBodyException("body is not valid JSON: the array is not closed with ]");
        }
        JsonNode node = p.readValueAsTree();
        out.add(RawEvent.of(out.size(), node));
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

  private static List<RawEvent> parseLines(byte[] bytes, int start) {
    List<RawEvent> out = new ArrayList<>();
    int line = 1;
    for (int i = 0; i < start; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
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
        out.add(parseLine(bytes, a, b, out.size(), line));
      }
      pos = end + 1;
      line++;
    }
    return out;
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

  private static RawEvent parseLine(byte[] bytes, int from, int to, int index, int line) {
    try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
      if (p.nextToken() == null) {
        throw new IllegalStateException("unreachable: line has content");
      }
      JsonNode node = p.readValueAsTree();
      if (p.nextToken() != null) {
        return RawEvent.unreadable(
            index,
            "line " + line + " holds more than one JSON value (NDJSON needs one event per line)",
            new String(bytes, from, to - from, StandardCharsets.UTF_8));
      }
      return RawEvent.of(index, node);
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

}
