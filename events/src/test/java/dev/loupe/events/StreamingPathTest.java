package dev.loupe.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The streaming path ({@link EventCodec#parse} then {@link EventValidator#validate(RawEvent,
 * Instant)}) against the tree-based path it replaced ({@link TreeEventCodec} then
 * {@link EventValidator#validate(com.fasterxml.jackson.databind.JsonNode, Instant)}): on random
 * and adversarial bodies, both give the same whole-body error, or the same items with the same
 * parse errors, raw text, and either the same event or the same rejection (field and message).
 */
class StreamingPathTest {

  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final EventValidator VALIDATOR = EventValidator.create(
      new EventRules(java.time.Duration.ofDays(1), java.time.Duration.ofDays(730), 300));
  static final EventCodec CODEC = EventCodec.create(1 << 24);
  static final TreeEventCodec ORACLE = new TreeEventCodec(1 << 24);

  @Property(tries = 3000)
  void parseAndValidate_sameAsTreePath_ndjson(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder body = new StringBuilder();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      body.append(mutate(r, event(r))).append(r.nextInt(5) == 0 ? "\n\n" : "\n");
    }
    assertSame(body.toString());
  }

  @Property(tries = 3000)
  void parseAndValidate_sameAsTreePath_array(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder body = new StringBuilder("[");
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : "," + ws(r)).append(r.nextInt(12) == 0 ? value(r, 0) : event(r));
    }
    assertSame(mutate(r, body.append("]").toString()));
  }

  @Test
  void parseAndValidate_sameAsTreePath_adversarialCases() {
    String ok = "\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"";
    for (String props : List.of("{}", "{ }", "{\"a\":1e400}", "{\"a\":-0}", "{\"a\":-0.0}",
        "{\"a\":1.50}", "{\"a\":1.0E10}", "{\"a\":1e10}", "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\u0041\\/\"}", "{\"a\":\"é😀\"}", "{\"a\":\"\u007f\"}", "{\"a\":{\"a\":1,\"a\":2}}",
        "{\"a\":NaN}", "{\"a\":" + "9".repeat(1001) + "}", "{\"a\":" + "9".repeat(999) + "}",
        "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
        "{\"a\":" + "[".repeat(400) + "]".repeat(400) + "}",
        "{\"a\":\"" + "x".repeat(290) + "\"}", "{\"a\":\"" + "x".repeat(300) + "\"}",
        "{\"a\" : [1, 2 ]}", "[]", "null", "\"x\"", "{\"a\":true,\"b\":false,\"c\":null}",
        "{\"a\":12345678901234567890123}", "{\"a\":0.1,\"b\":1.0E-5,\"c\":2.5e-3}")) {
      assertSame("{" + ok + ",\"properties\":" + props + "}\n");
      assertSame("[{\"properties\":" + props + "," + ok + "}]");
    }
    assertSame("{" + ok + ",\"event_id\":\"f\"}");
    assertSame("{" + ok + ",\"user_id\":-0}\n{" + ok + ",\"user_id\":1.5}\n{" + ok
        + ",\"user_id\":" + "7".repeat(300) + "}\n{" + ok + ",\"user_id\":[1]}\n{" + ok
        + ",\"user_id\":\"\\udc00\"}");
    assertSame("{" + ok + "} }\n{" + ok + "} {}\n{" + ok + ",}\n{" + ok + "\n[1,2]\n7");
  }

  @Test
  void parse_sameAsTreePath_sharedParserEdgeCases() {
    String ok = "{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"";
    StringBuilder many = new StringBuilder(ok);
    for (int i = 0; i < 30; i++) {
      many.append(",\"k").append(i).append("\":").append(i);
    }
    for (String line : List.of(ok + "}", ok + ",\"a\":1}{\"b\":2}", ok + "}\r" + ok + "}",
        ok + ",\n\"x\":1}", "\u0000" + ok + "}", "\uFEFF" + ok + "}", ok + ",\"p\":{\"a\":{\"b\":1,\"b\":2}}}",
        ok + ",\"properties\":{\"a\":[{\"b\":1},{\"b\":1}],\"b\":1}}",
        ok + ",\"properties\":{\"a\":[{\"b\":1,\"c\":{\"b\":2}}],\"a\":1}}",
        ok + ",\"user_id\":{\"a\":1,\"a\":2}}", ok + ",\"user_id\":[{\"a\":1,\"a\":2}]}",
        many + "}", many + ",\"k3\":1}", "123", "\"str\"", "[{\"a\":1,\"a\":1}]", "[1]", "true",
        "nul", ok + ",\"event_id\":\"x\"}", ok + ",\"properties\":{\"a\":1,\"a\":1}}",
        ok + ",\"properties\":" + "{\"a\":".repeat(600) + "1" + "}".repeat(600) + "}")) {
      assertSame(line + "\n" + ok + "}\n");
      assertSame(ok + "}\n" + line + "\n" + ok + "}");
      assertSame("[" + ok + "}," + line + "]");
    }
    assertSame(ok + "}\n\u0000\u0000\n" + ok + "}");
    assertSame(ok + "}\n\n\n   \t\n" + ok + "}\r\n");
  }

  @Test
  void compactText_onlyWhenTheTextIsWhatATreeWrites() {
    assertThat(compact("{\"a\":[1,2.5,-3,true,null,{}],\"b\":\"x y\"}"))
        .isEqualTo("{\"a\":[1,2.5,-3,true,null,{}],\"b\":\"x y\"}");
    assertThat(compact("{\"a\":1.0E10}")).isEqualTo("{\"a\":1.0E10}");
    for (String s : List.of("{ }", "{\"a\":1e10}", "{\"a\":1.50}", "{\"a\":-0}", "{\"a\":\"\\n\"}",
        "{\"a\":\"é\"}", "{\"a\":1e400}")) {
      assertThat(compact(s)).as(s).isNull();
    }
  }

  static String compact(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return EventValidator.compactText(b, 0, b.length);
  }

  static void assertSame(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(outcome(bytes, true)).as(body).isEqualTo(outcome(bytes, false));
  }

  static List<String> outcome(byte[] body, boolean streaming) {
    List<RawEvent> items;
    try {
      items = streaming ? CODEC.parse(body) : ORACLE.parse(body);
    } catch (RuntimeException e) {
      return List.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    for (RawEvent item : items) {
      String head = item.index() + " " + item.error() + " raw=" + item.raw() + " -> ";
      if (!item.readable()) {
        out.add(head + "unreadable");
        continue;
      }
      try {
        Event e = streaming ? VALIDATOR.validate(item, NOW) : VALIDATOR.validate(item.node(), NOW);
        out.add(head + e);
      } catch (InvalidEventException e) {
        out.add(head + e.field() + ": " + e.getMessage());
      }
    }
    return out;
  }

  static final String[] KEYS = {"event_id", "user_id", "event_type", "event_time", "properties",
      "a", "b", "received_at", "é", "a\\u0062"};
  static final String[] NUMBERS = {"0", "-0", "7", "-12", "12345678901234",
      "123456789012345678901234567890", "1.5", "1.50", "-0.0", "0.1", "1e5", "1E5", "1.0E10",
      "1e400", "-1e400", "1e-400", "2.5e-3", "1.0E-5", "100.0", "3.141592653589793", "01", "1.",
      "-", "NaN", "Infinity", "+1", "9".repeat(1001)};
  static final String[] PIECES = {"a", "Z", "0", " ", "\\\"", "\\\\", "\\n", "\\t", "\\u0041",
      "\\ud800", "\\udc00", "\\ud83d\\ude00", "é", "😀", "/", "\\/", "\u0001", "\u007f", "\\x",
      "2026-11-26T11:00:00Z", "-"};
  static final String[] TIMES = {"2026-11-26T11:00:00Z", "2026-11-26T13:04:05.1234567+01:00",
      "2026-11-26T11:00:00", "2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "yesterday", ""};
  static final String[] TYPES = {"click", "page.view", ".bad", "a-b", "", "x y", "é"};

  static String event(Random r) {
    List<String> fields = new ArrayList<>();
    if (r.nextInt(10) > 0) {
      fields.add(field(r, "event_id", r.nextInt(6) > 0 ? quote("id-" + r.nextInt(1000)) : value(r, 1)));
    }
    if (r.nextBoolean()) {
      fields.add(field(r, "user_id", r.nextInt(3) > 0 ? quote("u" + r.nextInt(99)) : value(r, 1)));
    }
    if (r.nextInt(10) > 0) {
      fields.add(field(r, "event_type", r.nextInt(6) > 0 ? quote(pick(r, TYPES)) : value(r, 1)));
    }
    if (r.nextInt(10) > 0) {
      fields.add(field(r, "event_time", r.nextInt(6) > 0 ? quote(pick(r, TIMES)) : value(r, 1)));
    }
    if (r.nextInt(4) > 0) {
      fields.add(field(r, "properties", r.nextInt(5) > 0 ? object(r, 1) : value(r, 1)));
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      fields.add(field(r, pick(r, KEYS), value(r, 1)));
    }
    java.util.Collections.shuffle(fields, r);
    return "{" + ws(r) + String.join("," + ws(r), fields) + ws(r) + "}";
  }

  static String field(Random r, String key, String value) {
    return quote(key) + ws(r) + ":" + ws(r) + value;
  }

  static String value(Random r, int depth) {
    switch (r.nextInt(depth > 3 ? 3 : 6)) {
      case 0:
        return string(r);
      case 1:
        return pick(r, NUMBERS);
      case 2:
        return pick(r, new String[] {"true", "false", "null"});
      case 3:
        return object(r, depth + 1);
      case 4:
        StringBuilder b = new StringBuilder("[");
        for (int i = r.nextInt(4); i > 0; i--) {
          b.append(value(r, depth + 1)).append(i > 1 ? "," + ws(r) : "");
        }
        return b.append("]").toString();
      default:
        int d = r.nextInt(10) == 0 ? 1100 : 1 + r.nextInt(20);
        return "[".repeat(d) + "]".repeat(d);
    }
  }

  static String object(Random r, int depth) {
    StringBuilder b = new StringBuilder("{");
    for (int i = r.nextInt(4); i > 0; i--) {
      b.append(field(r, pick(r, KEYS), value(r, depth + 1))).append(i > 1 ? "," + ws(r) : "");
    }
    return b.append(ws(r)).append("}").toString();
  }

  static String string(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      b.append(r.nextInt(3) == 0 ? pick(r, PIECES) : "ab");
    }
    return quote(b.toString());
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }

  static String ws(Random r) {
    return r.nextInt(5) == 0 ? pick(r, new String[] {" ", "\t", "  ", "\r"}) : "";
  }

  static String mutate(Random r, String s) {
    if (s.isEmpty() || r.nextInt(8) > 0) {
      return s;
    }
    int at = r.nextInt(s.length());
    return switch (r.nextInt(3)) {
      case 0 -> s.substring(0, at);
      case 1 -> s.substring(0, at) + pick(r, new String[] {"{", "}", "\"", ",", ":", "]", "x"})
          + s.substring(at);
      default -> s.substring(0, at) + s.substring(at + 1);
    };
  }

  static String pick(Random r, String[] options) {
    return options[r.nextInt(options.length)];
  }
}
