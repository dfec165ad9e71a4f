package dev.loupe.lake;

import dev.loupe.events.Event;
import dev.loupe.events.Rejection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The write-ahead log's record format. No I/O except {@link #read(Path)}.
 *
 * <pre>
 * frame   = length:int32 crc32c:int32 payload[length]       (big-endian)
 * payload = version:int8(1) received_at_micros:int64 source:str
 *           n_events:int32 event* n_rejections:int32 rejection*
 * event   = event_id:str user_id:str? event_type:str event_time_micros:int64 properties:str
 * rejection = index:int32 field:str reason:str raw:str
 * str     = length:int32 (−1 for null) utf8[length]
 * </pre>
 *
 * A frame whose length runs past the end of the file or whose checksum differs is a torn write
 * (the process died while writing it; it was never acknowledged): reading stops there.
 */
final class WalCodec {

  private static final byte VERSION = 1;

  private WalCodec() {}

  static byte[] encode(WalBatch b) {
    Out out = new Out(64 + b.events().size() * 160);
    out.skip(8);
    out.b(VERSION);
    out.l(micros(b.receivedAt()));
    out.s(b.source());
    out.i(b.events().size());
    for (Event e : b.events()) {
      out.s(e.eventId());
      out.s(e.userId());
      out.s(e.eventType());
      out.l(micros(e.eventTime()));
      out.s(e.properties());
    }
    out.i(b.rejections().size());
    for (Rejection r : b.rejections()) {
      out.i(r.index());
      out.s(r.field());
      out.s(r.reason());
      out.s(r.raw());
    }
    byte[] buf = out.bytes();
    int len = buf.length - 8;
    CRC32C crc = new CRC32C();
    crc.update(buf, 8, len);
    ByteBuffer.wrap(buf, 0, 8).putInt(len).putInt((int) crc.getValue());
    return buf;
  }

  /** The frames of a segment up to the first torn one. */
  record Contents(List<WalBatch> batches, long validBytes, boolean tornTail) {}

  /** Receives the records of a segment one at a time. */
  @FunctionalInterface
  interface Visitor {
    void accept(WalBatch batch) throws IOException;
  }

  /** What a streaming read found: records read, valid bytes, whether the tail was torn. */
  record Scan(long batches, long validBytes, boolean tornTail) {}

  /**
   * Streams the records of a segment up to the first torn one, holding one record in memory at
   * a time.
   */
  static Scan forEach(Path segment, Visitor visitor) throws IOException {
    long valid = 0;
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (java.io.InputStream in = new java.io.BufferedInputStream(
        Files.newInputStream(segment), 1 << 20)) {
      byte[] head = new byte[8];
      while (true) {
        int got = in.readNBytes(head, 0, 8);
        if (got == 0) {
          return new Scan(n, valid, false);
        }
        if (got < 8) {
          return new Scan(n, valid, true);
        }
        ByteBuffer h = ByteBuffer.wrap(head);
        int len = h.getInt();
        int crc = h.getInt();
        if (len < 0 || len > (1 << 30)) {
          return new Scan(n, valid, true);
        }
        if (buf.length < len) {
          buf = new byte[Math.max(len, buf.length * 2)];
        }
        if (in.readNBytes(buf, 0, len) < len) {
          return new Scan(n, valid, true);
        }
        CRC32C c = new CRC32C();
        c.update(buf, 0, len);
        if ((int) c.getValue() != crc) {
          return new Scan(n, valid, true);
        }
        visitor.accept(decode(ByteBuffer.wrap(buf, 0, len).slice()));
        n++;
        valid += 8 + len;
      }
    }
  }

  static Contents read(Path segment) throws IOException {
    byte[] all = Files.readAllBytes(segment);
    ByteBuffer in = ByteBuffer.wrap(all);
    List<WalBatch> batches = new ArrayList<>();
    long valid = 0;
    while (in.remaining() >= 8) {
      int len = in.getInt();
      int crc = in.getInt();
      if (len < 0 || len > in.remaining()) {
        return new Contents(batches, valid, true);
      }
      CRC32C c = new CRC32C();
      c.update(all, in.position(), len);
      if ((int) c.getValue() != crc) {
        return new Contents(batches, valid, true);
      }
      ByteBuffer p = ByteBuffer.wrap(all, in.position(), len).slice();
      batches.add(decode(p));
      in.position(in.position() + len);
      valid = in.position();
    }
    return new Contents(batches, valid, in.remaining() > 0);
  }

  private static WalBatch decode(ByteBuffer p) {
    byte v = p.get();
    if (v != VERSION) {
      throw new IllegalStateException("write-ahead log record version " + v + " is not supported");
    }
    Instant receivedAt = instant(p.getLong());
    String source = s(p);
    int n = p.getInt();
    List<Event> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = s(p);
      String user = s(p);
      String type = s(p);
      Instant t = instant(p.getLong());
      String props = s(p);
      events.add(new Event(id, user, type, t, props, receivedAt));
    }
    int m = p.getInt();
    List<Rejection> rejections = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      int index = p.getInt();
      rejections.add(new Rejection(index, s(p), s(p), s(p)));
    }
    return new WalBatch(receivedAt, source, events, rejections);
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static String s(ByteBuffer p) {
    int len = p.getInt();
    if (len < 0) {
      return null;
    }
    String s = new String(p.array(), p.arrayOffset() + p.position(), len, StandardCharsets.UTF_8);
    p.position(p.position() + len);
    return s;
  }

  /** A growable big-endian byte buffer. */
  private static final class Out {
    private byte[] buf;
    private int pos;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void skip(int n) {
      ensure(n);
      pos += n;
    }

    void b(byte v) {
      ensure(1);
      buf[pos++] = v;
    }

    void i(int v) {
      ensure(4);
      buf[pos++] = (byte) (v >>> 24);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
    }

    void l(long v) {
      i((int) (v >>> 32));
      i((int) v);
    }

    void s(String v) {
      if (v == null) {
        i(-1);
        return;
      }
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      i(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, pos);
    }
  }
}
