package dev.loupe.lake;

import java.time.Duration;

/**
 * Counters and gauges of a collector since it started (a snapshot).
 *
 * @param received events received (accepted + duplicates + rejected)
 * @param accepted events newly stored
 * @param rejected events that failed validation
 * @param deduplicated events dropped as duplicates of a stored event_id
 * @param walBytes write-ahead log bytes not yet in the lake
 * @param ingestionLag age of the oldest acknowledged event not yet in the lake (zero if none)
 * @param lakeFiles Parquet files under events/ and rejected/ (refreshed every few seconds)
 * @param lakeBytes their total size in bytes
 * @param flushes segments written to the lake
 * @param compactions partitions compacted
 * @param dedupIds event ids remembered
 * @param dedupMemoryBytes memory held by the event-id index
 * @param dedupWindow how far back ids are currently remembered
 */
public record IngestStats(
    long received,
    long accepted,
    long rejected,
    long deduplicated,
    long walBytes,
    Duration ingestionLag,
    long lakeFiles,
    long lakeBytes,
    long flushes,
    long compactions,
    long dedupIds,
    long dedupMemoryBytes,
    Duration dedupWindow) {}
