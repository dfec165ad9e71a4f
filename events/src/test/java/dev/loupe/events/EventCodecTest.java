package dev.loupe.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  final EventCodec codec = EventCodec.create(1 << 20);

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_jsonArray() {
    List<RawEvent> items = codec.parse(b(" [ {\"a\":1}, 2, {\"b\":[]} ] "));
    assertThat(items).extracting(RawEvent::index).containsExactly(0, 1, 2);
    assertThat(items).extracting(RawEvent::raw).containsExactly("{\"a\":1}", "2", "{\"b\":[]}");
  }

  @Test
  void parse_ndjsonSkipsBlankLinesAndKeepsBadLines() {
    List<RawEvent> items = codec.parse(b("{\"a\":1}\r\n\n  \n{oops\n{\"c\":3}"));
    assertThat(items).hasSize(3);
    assertThat(items.get(0).node().get("a").asInt()).isEqualTo(1);
    assertThat(items.get(1).node()).isNull();
    assertThat(items.get(1).index()).isEqualTo(1);
    assertThat(items.get(1).error()).startsWith("line 4 is not valid JSON");
    assertThat(items.get(1).raw()).isEqualTo("{oops");
    assertThat(items.get(2).node().get("c").asInt()).isEqualTo(3);
  }

  @Test
  void parse_ndjsonTwoValuesOnALine() {
    List<RawEvent> items = codec.parse(b("{\"a\":1} {\"b\":2}"));
    assertThat(items.get(0).error())
        .isEqualTo("line 1 holds more than one JSON value (NDJSON needs one event per line)");
  }

  @Test
  void parse_gzipAndBom() {
    byte[] body = EventCodec.gzip(b("\uFEFF[{\"a\":1}]"));
    assertThat(codec.parse(body)).hasSize(1);
  }

  @Test
  void parse_malformedArrayIsWholeBodyError() {
    assertThatThrownBy(() -> codec.parse(b("[{\"a\":1}, {\"b\":")))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageStartingWith("body is not valid JSON (a JSON array of events was expected)")
        .hasMessageContaining("line 1, column");
    assertThatThrownBy(() -> codec.parse(b("[{\"a\":1}] {\"b\":2}")))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageContaining("unexpected content after the closing ]");
  }

  @Test
  void parse_emptyBodies() {
    assertThatThrownBy(() -> codec.parse(new byte[0]))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessage("body is empty: send a JSON array of events or NDJSON (one event per line)");
    assertThatThrownBy(() -> codec.parse(b("[]")))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageStartingWith("body holds no events");
  }

  @Test
  void parse_brokenGzip() {
    assertThatThrownBy(() -> codec.parse(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageStartingWith("body starts like gzip but cannot be decompressed");
  }

  @Test
  void parse_gzipBombStopsAtTheLimit() {
    EventCodec small = EventCodec.create(10_000);
    byte[] bomb = EventCodec.gzip(new byte[1_000_000]);
    assertThat(bomb.length).isLessThan(10_000);
    assertThatThrownBy(() -> small.parse(bomb))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("larger than the limit of 10000 bytes");
  }

  @Test
  void parse_duplicateKeysAreRejectedPerLine() {
    List<RawEvent> items = codec.parse(b("{\"event_id\":\"a\",\"event_id\":\"b\"}"));
    assertThat(items.get(0).error()).contains("Duplicate field 'event_id'");
  }

  @Test
  void toNdjson_roundTripsThroughParseAndValidate() {
    Instant t = Instant.parse("2026-11-26T10:00:00.123456Z");
    Event e = new Event("id-1", null, "click", t, "{\"k\":\"v\"}", t);
    List<RawEvent> items = codec.parse(EventCodec.toNdjson(List.of(e)));
    Event back = EventValidator.withDefaults().validate(items.get(0).node(), t);
    assertThat(back).isEqualTo(e);
  }

  @Test
  void parse_moreThanMaxEvents_isTooLargeWhateverTheirSize() {
    EventCodec big = EventCodec.create(16 << 20);
    String array = "[" + "1,".repeat(EventCodec.MAX_EVENTS) + "1]";
    assertThatThrownBy(() -> big.parse(b(array)))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessage("body holds more than 100000 events, the limit per request; send smaller batches");
    String lines = "{}\n".repeat(EventCodec.MAX_EVENTS + 1);
    assertThatThrownBy(() -> big.parse(b(lines)))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("more than 100000 events");
    assertThat(big.parse(b("{}\n".repeat(EventCodec.MAX_EVENTS) + "\n\n"))).hasSize(EventCodec.MAX_EVENTS);
    assertThat(big.parse(b("[" + "1,".repeat(EventCodec.MAX_EVENTS - 1) + "1]"))).hasSize(EventCodec.MAX_EVENTS);
  }

  @Test
  void parse_utf16Or32Body_readLikeUtf8() {
    String ndjson = "{\"a\":1}\n{\"b\":\"\u00e9\"}\n";
    byte[] utf8 = b(ndjson);
    for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-32BE", "UTF-32LE")) {
      List<RawEvent> items = codec.parse(("\ufeff" + ndjson).getBytes(java.nio.charset.Charset.forName(charset)));
      assertThat(items).as(charset).hasSize(2);
      assertThat(items).as(charset).extracting(RawEvent::raw).containsExactly("{\"a\":1}", "{\"b\":\"\u00e9\"}");
    }
    assertThat(codec.parse(utf8)).extracting(RawEvent::raw).containsExactly("{\"a\":1}", "{\"b\":\"\u00e9\"}");
    // an odd number of bytes cannot be UTF-16
    byte[] bad = java.util.Arrays.copyOf("\ufeff[{}]".getBytes(StandardCharsets.UTF_16LE), 9);
    assertThatThrownBy(() -> codec.parse(bad))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageStartingWith("body starts with a UTF-16LE byte-order mark but does not decode as UTF-16LE"
            + " (send UTF-8): "); // then the JDK decoder's own words
  }
}
