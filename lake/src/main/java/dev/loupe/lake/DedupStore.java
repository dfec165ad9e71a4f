package dev.loupe.lake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Persists the {@link DedupIndex}: one append-only file of 8-byte fingerprints per time slot,
 * {@code state/dedup/slot-<slotMillis>-<slot>.ids}. Appended and fsync'ed when a write-ahead log
 * segment reaches the lake (before the segment is deleted), so the index on disk plus the
 * remaining segments always cover every accepted id. Files of slots past the window are deleted.
 * Disk cost: 8 bytes per id (plus repeats after a replay, which loading ignores).
 */
final class DedupStore {

  private final Path dir;

  DedupStore(Path dir) {
    this.dir = dir;
  }

  /** Loads the persisted fingerprints within the window into the index; deletes expired files. */
  long load(DedupIndex index, Instant now) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    TreeMap<Long, List<Path>> bySlot = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".ids")).toList();
    }
    long oldest = index.oldestLiveSlot(now);
    for (Path f : files) {
      String[] parts = f.getFileName().toString().replace(".ids", "").split("-");
      long millis = Long.parseLong(parts[1]);
      long slot = Long.parseLong(parts[2]);
      long converted = Math.floorDiv(slot * millis, index.slotMillis());
      long end = Math.floorDiv((slot + 1) * millis - 1, index.slotMillis());
      if (end < oldest) {
        Files.deleteIfExists(f);
        continue;
      }
      bySlot.computeIfAbsent(converted, k -> new ArrayList<>()).add(f);
    }
    long n = 0;
    for (Map.Entry<Long, List<Path>> e : bySlot.entrySet()) {
      for (Path f : e.getValue()) {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
        while (b.remaining() >= 8) {
          index.put(b.getLong(), e.getKey());
          n++;
        }
      }
    }
    return n;
  }

  /** Appends fingerprints by slot and fsyncs them. */
  void append(Map<Long, long[]> bySlot, long slotMillis) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<Long, long[]> e : bySlot.entrySet()) {
      Path f = dir.resolve("slot-" + slotMillis + "-" + e.getKey() + ".ids");
      boolean created = !Files.exists(f);
      ByteBuffer b = ByteBuffer.allocate(8 * e.getValue().length);
      for (long v : e.getValue()) {
        b.putLong(v);
      }
      b.flip();
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        while (b.hasRemaining()) {
          c.write(b);
        }
        c.force(false);
      }
      if (created) {
        Fsync.directory(dir);
      }
    }
  }

  /** Deletes files of slots wholly before {@code oldestLiveSlot}. */
  void expire(long oldestLiveSlot, long slotMillis) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".ids")) {
          continue;
        }
        String[] parts = name.replace(".ids", "").split("-");
        long millis = Long.parseLong(parts[1]);
        long slot = Long.parseLong(parts[2]);
        if ((slot + 1) * millis <= oldestLiveSlot * slotMillis) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
