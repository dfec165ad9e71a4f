package dev.loupe.lake.live;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.datasketches.hll.HllSketch;

/**
 * Persists live aggregates under {@code <data-dir>/aggregates/}, one file per UTC hour:
 * {@code minutes-YYYY-MM-DDTHH.bin} holds that hour's minute buckets (by event time) and ingestion
 * minutes (by receipt time). Hour files keep a save cheap: only the hours that changed since the
 * last save are rewritten (usually the current one).
 *
 * <p>Durability: an hour file is written to a temporary file, fsync'ed, then atomically renamed over
 * the previous one, so a crash leaves either the old or the new file, never a torn one. A file
 * whose checksum does not match is refused with an {@link IllegalStateException} naming it.
 *
 * <p>Format (big-endian, version 1): magic {@code LPAG}, version int, lgK int; bucket count int,
 * then per bucket: epoch minute long, event type (modified UTF-8), events long, sketch length int
 * and the sketch's compact bytes (length 0: no user seen); ingestion minute count int, then per
 * minute: epoch minute, accepted, rejected, lag sum, lag max (longs), reason count int and per
 * reason its text and count; finally the CRC-32 of everything before it, as a long.
 */
public final class LiveAggregateStore {

  private static final int MAGIC = 0x4C504147; // "LPAG"
  private static final int VERSION = 1;
  private static final String PREFIX = "minutes-";
  private static final String SUFFIX = ".bin";

  private final Path dir;

  private LiveAggregateStore(Path dir) {
    this.dir = dir;
  }

  /** A store in {@code dir} (usually {@code LakeLayout.aggregates()}); created on first save. */
  public static LiveAggregateStore of(Path dir) {
    return new LiveAggregateStore(dir.toAbsolutePath().normalize());
  }

  public Path directory() {
    return dir;
  }

  /**
   * Writes the given hours (epoch hours, UTC) of {@code aggregates}, each replacing that hour's
   * file atomically.
   */
  public void save(LiveAggregates aggregates, Collection<Long> epochHours) {
    java.util.Map<Long, LiveAggregates> slices = new java.util.TreeMap<>();
    for (long hour : epochHours) {
      slices.put(hour, aggregates.slice(hour * 60, hour * 60 + 60));
    }
    saveHours(slices);
  }

  /**
   * Writes hour snapshots (epoch hour → that hour's aggregates, e.g. from {@code
   * LiveAggregates.slice}), each replacing the hour's file atomically.
   */
  public void saveHours(java.util.Map<Long, LiveAggregates> hours) {
    try {
      Files.createDirectories(dir);
      for (var e : hours.entrySet()) {
        write(e.getValue(), file(e.getKey()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save live aggregates in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds {@code late} (events of hours that are no longer in memory) into the hour files it
   * touches: each file is read, combined and replaced atomically.
   */
  public void merge(LiveAggregates late) {
    java.util.TreeSet<Long> hours = new java.util.TreeSet<>();
    late.bucketMap().keySet().forEach(m -> hours.add(Math.floorDiv(m, 60)));
    late.ingestMap().keySet().forEach(m -> hours.add(Math.floorDiv(m, 60)));
    try {
      Files.createDirectories(dir);
      for (long hour : hours) {
        LiveAggregates merged = loadHour(hour);
        merged.combine(late.slice(hour * 60, hour * 60 + 60));
        write(merged, file(hour));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save live aggregates in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Hours (epoch hours, UTC) that have a file, sorted. */
  public List<Long> hours() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Long> hours = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          try {
            LocalDateTime t = LocalDateTime.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length()) + ":00");
            hours.add(t.toEpochSecond(ZoneOffset.UTC) / 3600);
          } catch (DateTimeParseException ignored) {
            // not one of ours
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    hours.sort(null);
    return hours;
  }

  /**
   * Loads every hour from the start of {@code firstDay} on into a fresh aggregate. A file that
   * cannot be read (bad checksum, wrong version) is renamed to {@code …bin.corrupt}, reported on
   * the log and skipped, so one damaged hour never keeps the server from starting.
   */
  public LiveAggregates load(LocalDate firstDay) {
    long first = firstDay.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 3600;
    LiveAggregates all = LiveAggregates.create();
    for (long hour : hours()) {
      if (hour >= first) {
        try {
          all.combine(loadHour(hour));
        } catch (IllegalStateException e) {
          quarantine(hour, e);
        }
      }
    }
    return all;
  }

  private void quarantine(long hour, IllegalStateException e) {
    Path f = file(hour);
    Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
    try {
      Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException io) {
      e.addSuppressed(io);
    }
    java.util.logging.Logger.getLogger(LiveAggregateStore.class.getName())
        .warning(e.getMessage() + "; moved to " + aside + " and skipped: live counts of that hour start from zero");
  }

  /** Loads one UTC day; empty when the day has no file. */
  public LiveAggregates loadDay(LocalDate day) {
    long first = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 3600;
    LiveAggregates all = LiveAggregates.create();
    for (long hour : hours()) {
      if (hour >= first && hour < first + 24) {
        all.combine(loadHour(hour));
      }
    }
    return all;
  }

  /** Deletes the files of hours before {@code firstKept} (epoch hour); returns how many. */
  public int deleteBefore(long firstKept) {
    int n = 0;
    for (long hour : hours()) {
      if (hour < firstKept) {
        try {
          Files.deleteIfExists(file(hour));
          n++;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + file(hour) + ": " + e.getMessage(), e);
        }
      }
    }
    return n;
  }

  LiveAggregates loadHour(long hour) {
    Path f = file(hour);
    if (!Files.exists(f)) {
      return LiveAggregates.create();
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
      return read(in.readAllBytes(), f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  Path file(long epochHour) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochHour * 3600, 0, ZoneOffset.UTC);
    return dir.resolve(PREFIX + t.toLocalDate() + "T" + String.format("%02d", t.getHour()) + SUFFIX);
  }

  private static void write(LiveAggregates day, Path target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(LiveAggregates.LG_K);
    int n = 0;
    for (Map<String, LiveAggregates.Bucket> m : day.bucketMap().values()) {
      n += m.size();
    }
    out.writeInt(n);
    for (var m : day.bucketMap().entrySet()) {
      for (var b : new TreeMap<>(m.getValue()).entrySet()) {
        out.writeLong(m.getKey());
        out.writeUTF(b.getKey());
        out.writeLong(b.getValue().events);
        byte[] sketch = b.getValue().users == null ? new byte[0] : b.getValue().users.toCompactByteArray();
        out.writeInt(sketch.length);
        out.write(sketch);
      }
    }
    out.writeInt(day.ingestMap().size());
    for (var e : day.ingestMap().entrySet()) {
      LiveAggregates.Ingest in = e.getValue();
      out.writeLong(e.getKey());
      out.writeLong(in.accepted);
      out.writeLong(in.rejected);
      out.writeLong(in.lagSumMillis);
      out.writeLong(in.lagMaxMillis);
      out.writeInt(in.reasons.size());
      for (var r : new TreeMap<>(in.reasons).entrySet()) {
        out.writeUTF(r.getKey());
        out.writeLong(r.getValue());
      }
    }
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeLong(crc.getValue());
    out.flush();

    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (var os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      bytes.writeTo(os);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static LiveAggregates read(byte[] data, Path f) throws IOException {
    if (data.length < 20) {
      throw new IllegalStateException("live aggregate file " + f + " is truncated (" + data.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - 8);
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
    in.skipNBytes(data.length - 8);
    if (in.readLong() != crc.getValue()) {
      throw new IllegalStateException("live aggregate file " + f + " is corrupt: checksum mismatch");
    }
    in = new DataInputStream(new java.io.ByteArrayInputStream(data, 0, data.length - 8));
    if (in.readInt() != MAGIC) {
      throw new IllegalStateException("file " + f + " is not a live aggregate file (bad magic)");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IllegalStateException("live aggregate file " + f + " has version " + version + ", expected " + VERSION);
    }
    int lgK = in.readInt();
    if (lgK != LiveAggregates.LG_K) {
      throw new IllegalStateException("live aggregate file " + f + " has lgK " + lgK + ", expected " + LiveAggregates.LG_K);
    }
    LiveAggregates agg = LiveAggregates.create();
    int buckets = in.readInt();
    for (int i = 0; i < buckets; i++) {
      long minute = in.readLong();
      String type = in.readUTF();
      LiveAggregates.Bucket b = agg.bucket(minute, type);
      b.events = in.readLong();
      byte[] sketch = new byte[in.readInt()];
      in.readFully(sketch);
      b.users = sketch.length == 0 ? null : HllSketch.heapify(sketch);
    }
    int minutes = in.readInt();
    for (int i = 0; i < minutes; i++) {
      LiveAggregates.Ingest g = agg.ingest(in.readLong());
      g.accepted = in.readLong();
      g.rejected = in.readLong();
      g.lagSumMillis = in.readLong();
      g.lagMaxMillis = in.readLong();
      int reasons = in.readInt();
      for (int r = 0; r < reasons; r++) {
        g.reasons.put(in.readUTF(), in.readLong());
      }
    }
    return agg;
  }
}
