package dev.loupe.cli;

import dev.loupe.sql.capacity.CapacityPlan;
import dev.loupe.sql.capacity.IngestionBenchmark;
import dev.loupe.sql.capacity.LakeFootprint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code loupe plan capacity}: storage, cost and nodes for an event load, with the compression
 * ratio measured on the user's lake and the per-node rate read from the ingestion benchmark.
 */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description = {
      "Sizes storage, monthly cost and nodes for an event load (seed SD1, step 5).",
      "The compression ratio is measured on the lake in --data-dir (JSON bytes vs Parquet bytes);"
          + " the per-node rate comes from the ingestion section of bench/README.md."
    })
final class PlanCapacityCommand implements Callable<Integer> {

  /** Used only when the lake has no events; labeled as an assumption in the output. */
  static final double ASSUMED_COMPRESSION_RATIO = 5.0;

  private static final Pattern RETENTION = Pattern.compile("(\\d{1,6})\\s*([dwmy])");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin FormatOption fmt;

  @Option(names = "--events-per-day", required = true, description = "Events per day, e.g. 5e9.")
  double eventsPerDay;

  @Option(names = "--event-bytes", required = true, description = "Average raw (JSON) bytes per event, e.g. 500.")
  double eventBytes;

  @Option(names = "--retention", required = true, description = "How long events are kept: Nd, Nw, Nm (30 days) or Ny (365 days), e.g. 2y.")
  String retention;

  @Option(names = "--price-per-gb-month", defaultValue = "0.023", description = "Storage price per GB-month in dollars (default: ${DEFAULT-VALUE}).")
  double pricePerGbMonth;

  @Option(names = "--peak-factor", defaultValue = "3", description = "Peak rate as a multiple of the daily average (default: ${DEFAULT-VALUE}).")
  double peakFactor;

  @Mixin DataDirOption dataDir;

  @Option(names = "--bench-readme", defaultValue = "bench/README.md", description = "Benchmark results with an ingestion section (default: ${DEFAULT-VALUE}).")
  Path benchReadme;

  @Option(names = "--node-events-per-second", description = "What one node sustains, overriding the benchmark figure.")
  Double nodeEventsPerSecond;

  @Option(names = "--sample-files", defaultValue = "200", description = "At most this many lake files are measured (default: ${DEFAULT-VALUE}).")
  int sampleFiles;

  @Override
  public Integer call() {
    if (eventsPerDay > 1e15) {
      throw new IllegalArgumentException("--events-per-day must be at most 1e15 but was " + eventsPerDay);
    }
    if (eventBytes > 1e9) {
      throw new IllegalArgumentException("--event-bytes must be at most 1e9 but was " + eventBytes);
    }
    int days = retentionDays(retention);
    if (sampleFiles < 1) {
      throw new IllegalArgumentException("--sample-files must be at least 1 but was " + sampleFiles);
    }
    PrintWriter err = spec.commandLine().getErr();

    Optional<LakeFootprint> measured = LakeFootprint.measure(dataDir.layout(), sampleFiles);
    double ratio;
    String ratioSource;
    if (measured.isPresent()) {
      LakeFootprint f = measured.get();
      ratio = f.compressionRatio();
      ratioSource =
          String.format(Locale.ROOT, "measured on %,d events in %d files of %s: %.0f JSON bytes -> %.1f Parquet bytes per event",
              f.events(), f.files(), dataDir.path(), f.rawBytesPerEvent(), f.storedBytesPerEvent());
    } else {
      ratio = ASSUMED_COMPRESSION_RATIO;
      ratioSource = "ASSUMED (no events in " + dataDir.path() + "; run loupe serve --demo or import data to measure)";
      err.println("loupe: warning: no events in " + dataDir.path() + " to measure compression; assuming " + ratio + "x");
    }

    double node;
    String nodeSource;
    if (nodeEventsPerSecond != null) {
      node = nodeEventsPerSecond;
      nodeSource = "given by --node-events-per-second";
    } else {
      Optional<Double> bench = IngestionBenchmark.read(benchReadme);
      node = bench.orElse(IngestionBenchmark.DEFAULT_EVENTS_PER_SECOND);
      nodeSource =
          bench.isPresent()
              ? "ingestion benchmark in " + benchReadme
              : "DEFAULT (no ingestion figure in " + benchReadme + "; the embedded runtime's target, not a measurement)";
      if (bench.isEmpty()) {
        err.println("loupe: warning: no ingestion benchmark figure in " + benchReadme + "; using the default " + (long) node + " events/s per node");
      }
    }

    CapacityPlan p = new CapacityPlan(eventsPerDay, eventBytes, days, pricePerGbMonth, ratio, ratioSource, node, nodeSource, peakFactor);
    List<List<?>> rows = new ArrayList<>();
    rows.add(List.of("events_per_second", round(p.eventsPerSecond(), 1), "events/s", "average = events per day / 86,400"));
    rows.add(List.of("peak_events_per_second", round(p.peakEventsPerSecond(), 1), "events/s", "average x peak factor " + peakFactor));
    rows.add(List.of("raw_bytes_per_day", Math.round(p.rawBytesPerDay()), "bytes", human(p.rawBytesPerDay())));
    rows.add(List.of("compression_ratio", round(p.compressionRatio(), 2), "x", ratioSource));
    rows.add(List.of("stored_bytes_per_event", round(p.storedBytesPerEvent(), 1), "bytes", "event bytes / compression ratio"));
    rows.add(List.of("compressed_bytes_per_day", Math.round(p.storedBytesPerDay()), "bytes", human(p.storedBytesPerDay())));
    rows.add(List.of("retention_days", p.retentionDays(), "days", retention));
    rows.add(List.of("total_stored_bytes", Math.round(p.storedBytesTotal()), "bytes", human(p.storedBytesTotal()) + " at full retention"));
    rows.add(List.of("monthly_cost", round(p.monthlyCost(), 2), "USD/month", "at $" + pricePerGbMonth + " per GB-month (GB = 10^9 bytes), full retention"));
    rows.add(List.of("node_events_per_second", round(p.nodeEventsPerSecond(), 1), "events/s", nodeSource));
    rows.add(List.of("nodes", p.nodes(), "nodes", "ceil(peak events/s / node events/s)"));
    Output.rows(spec.commandLine().getOut(), fmt.format(), List.of("quantity", "value", "unit", "how"), rows);
    return Loupe.EXIT_OK;
  }

  /** Parses Nd, Nw, Nm (30 days) or Ny (365 days) into days. */
  static int retentionDays(String text) {
    Matcher m = RETENTION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--retention must be a number followed by d, w, m (30 days) or y (365 days), e.g. 2y, but was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    long days = n * switch (m.group(2)) {
      case "d" -> 1;
      case "w" -> 7;
      case "m" -> 30;
      default -> 365;
    };
    if (days < 1 || days > 36_500) {
      throw new IllegalArgumentException("--retention must be between 1 day and 100 years but was '" + text + "'");
    }
    return (int) days;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static String human(double bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int i = 0;
    double v = bytes;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
