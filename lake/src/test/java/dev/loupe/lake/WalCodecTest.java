package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.events.Event;
import dev.loupe.events.Rejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCodecTest {

  @TempDir Path dir;

  static final Instant T = Instant.parse("2026-11-26T10:00:00.123456Z");

  static WalBatch batch(String id) {
    return new WalBatch(T, "http",
        List.of(new Event(id, null, "click", T.minusSeconds(5), "{\"ü\":\"✓\"}", T),
            new Event(id + "b", "u", "view", T, "{}", T)),
        List.of(new Rejection(3, "event_time", "bad time", "{\"x\":1}")));
  }

  @Test
  void read_roundTripsRecords() throws Exception {
    Path seg = dir.resolve("s.wal");
    Files.write(seg, WalCodec.encode(batch("a")));
    Files.write(seg, WalCodec.encode(batch("b")), StandardOpenOption.APPEND);
    WalCodec.Contents c = WalCodec.read(seg);
    assertThat(c.tornTail()).isFalse();
    assertThat(c.batches()).containsExactly(batch("a"), batch("b"));
    List<WalBatch> streamed = new java.util.ArrayList<>();
    assertThat(WalCodec.forEach(seg, streamed::add).tornTail()).isFalse();
    assertThat(streamed).isEqualTo(c.batches());
  }

  @Test
  void read_stopsAtATornOrCorruptRecord() throws Exception {
    byte[] a = WalCodec.encode(batch("a"));
    byte[] b = WalCodec.encode(batch("b"));
    Path seg = dir.resolve("s.wal");
    Files.write(seg, a);
    Files.write(seg, java.util.Arrays.copyOf(b, b.length - 3), StandardOpenOption.APPEND);
    WalCodec.Contents torn = WalCodec.read(seg);
    assertThat(torn.batches()).containsExactly(batch("a"));
    assertThat(torn.tornTail()).isTrue();
    assertThat(torn.validBytes()).isEqualTo(a.length);
    List<WalBatch> streamed = new java.util.ArrayList<>();
    WalCodec.Scan scan = WalCodec.forEach(seg, streamed::add);
    assertThat(streamed).containsExactly(batch("a"));
    assertThat(scan).isEqualTo(new WalCodec.Scan(1, a.length, true));

    b[b.length - 1] ^= 1; // a flipped bit: checksum mismatch
    Files.write(seg, a);
    Files.write(seg, b, StandardOpenOption.APPEND);
    assertThat(WalCodec.read(seg).batches()).containsExactly(batch("a"));
    assertThat(WalCodec.read(seg).tornTail()).isTrue();
  }
}
