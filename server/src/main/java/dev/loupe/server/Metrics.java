package dev.loupe.server;

import dev.loupe.lake.IngestService;
import dev.loupe.lake.IngestStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Binds the collector's counters to Prometheus names:
 *
 * <pre>
 * loupe_events_received_total      loupe_events_accepted_total
 * loupe_events_rejected_total      loupe_events_deduplicated_total
 * loupe_wal_bytes                  loupe_flush_lag_seconds (age of the oldest event not in the lake)
 * loupe_lake_files                 loupe_lake_bytes
 * loupe_flushes_total              loupe_compactions_total
 * loupe_dedup_ids                  loupe_dedup_memory_bytes   loupe_dedup_window_seconds
 * </pre>
 */
final class Metrics {

  private Metrics() {}

  static void bind(MeterRegistry registry, IngestService ingest) {
    counter(registry, "loupe.events.received", "events received", ingest, IngestStats::received);
    counter(registry, "loupe.events.accepted", "events newly stored", ingest, IngestStats::accepted);
    counter(registry, "loupe.events.rejected", "events that failed validation", ingest,
        IngestStats::rejected);
    counter(registry, "loupe.events.deduplicated", "events dropped as duplicates", ingest,
        IngestStats::deduplicated);
    counter(registry, "loupe.flushes", "write-ahead log segments written to the lake", ingest,
        IngestStats::flushes);
    counter(registry, "loupe.compactions", "partitions compacted", ingest,
        IngestStats::compactions);
    gauge(registry, "loupe.wal", "bytes", "write-ahead log bytes not yet in the lake", ingest,
        s -> s.walBytes());
    gauge(registry, "loupe.flush.lag", "seconds",
        "age of the oldest acknowledged event not yet in the lake", ingest,
        s -> s.ingestionLag().toMillis() / 1000.0);
    gauge(registry, "loupe.lake.files", null, "Parquet files in the lake", ingest,
        s -> s.lakeFiles());
    gauge(registry, "loupe.lake", "bytes", "bytes of Parquet in the lake", ingest,
        s -> s.lakeBytes());
    gauge(registry, "loupe.dedup.ids", null, "event ids remembered", ingest, s -> s.dedupIds());
    gauge(registry, "loupe.dedup.memory", "bytes", "memory of the event-id index", ingest,
        s -> s.dedupMemoryBytes());
    gauge(registry, "loupe.dedup.window", "seconds", "how far back event ids are remembered",
        ingest, s -> s.dedupWindow().toSeconds());
  }

  private static void counter(MeterRegistry r, String name, String doc, IngestService ingest,
      ToDoubleFunction<IngestStats> f) {
    FunctionCounter.builder(name, ingest, i -> f.applyAsDouble(i.stats()))
        .description(doc)
        .register(r);
  }

  private static void gauge(MeterRegistry r, String name, String unit, String doc,
      IngestService ingest, ToDoubleFunction<IngestStats> f) {
    Gauge.Builder<IngestService> b =
        Gauge.builder(name, ingest, i -> f.applyAsDouble(i.stats())).description(doc);
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(r);
  }
}
