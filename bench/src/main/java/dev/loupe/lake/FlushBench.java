package dev.loupe.lake;

import dev.loupe.events.Event;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The lake flush alone: one write-ahead log segment of N events (batches of 1,000, five event
 * types, one day, about 190 bytes each, as {@code IngestBenchmark} sends them) streamed from disk
 * through {@link LakeWriter} into zstd Parquet, as the maintenance thread does. Prints the
 * events per second of each run and their median, and the time to read (decode) the segment
 * alone, without DuckDB.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.loupe.lake.FlushBench 2000000 5
 * </pre>
 *
 * <p>Lives in {@code dev.loupe.lake} because the writer is package-private.
 */
public final class FlushBench {

  private static final String[] TYPES = {"page_view", "click", "signup", "purchase", "search"};

  private FlushBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("loupe-flushbench");
    Path segment = dir.resolve("segment.wal");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(segment),
        1 << 20)) {
      for (int b = 0; b < n / 1000; b++) {
        List<Event> events = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
          events.add(new Event(
              String.format(Locale.ROOT, "bench-%013d-%04d", b, i),
              "u" + (i * 7919 % 30_000),
              TYPES[i % TYPES.length],
              now.plusMillis(i),
              "{\"platform\":\"ios\",\"country\":\"DE\",\"page\":\"/p/" + i + "\"}",
              now));
        }
        out.write(WalCodec.encode(new WalBatch(now, "bench", events, List.of())));
      }
    }
    double[] rates = new double[runs];
    double[] decodes = new double[runs];
    for (int r = 0; r < runs; r++) {
      long[] seen = new long[1];
      long d0 = System.nanoTime();
      WalCodec.forEach(segment, b -> seen[0] += b.events().size());
      decodes[r] = (System.nanoTime() - d0) / 1e9;
      LakeLayout layout = LakeLayout.of(dir.resolve("lake-" + r));
      try (LakeWriter writer = new LakeWriter(layout)) {
        long t0 = System.nanoTime();
        long[] delta = writer.write("s" + r, v -> WalCodec.forEach(segment, v));
        double s = (System.nanoTime() - t0) / 1e9;
        rates[r] = n / s;
        System.out.printf(Locale.ROOT, "run %d: %.2f s, %,.0f events/s, %d files, %,d bytes"
            + " (reading the log alone: %.2f s for %,d events)%n",
            r + 1, s, rates[r], delta[0], delta[1], decodes[r], seen[0]);
      }
      LakeFiles.deleteTree(layout.root());
    }
    Arrays.sort(rates);
    Arrays.sort(decodes);
    System.out.printf(Locale.ROOT, "median: %,.0f events/s; reading the log alone %.2f s"
        + " (load average %.1f)%n", rates[runs / 2], decodes[runs / 2],
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
    LakeFiles.deleteTree(dir);
  }
}
