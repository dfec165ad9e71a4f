/**
 * The lake and the embedded collector that fills it.
 *
 * <p>{@link dev.loupe.lake.IngestService} is the entry point: validate → dedup → write-ahead log
 * (group-committed fsync) → acknowledge → Parquet through DuckDB every flush interval; its Javadoc
 * states the durability contract. The pure parts (no I/O, explicit state), reusable by another
 * runtime: {@link dev.loupe.lake.DedupIndex} and the validation of the {@code events} module. The
 * I/O wrappers are package-private: {@code Wal} (segments, group commit), {@code WalCodec}
 * (record format), {@code LakeWriter} (idempotent per-segment Parquet files), {@code DedupStore}
 * (persisted event ids), {@code LakeMaintenance} (compaction with an intent log, retention).
 *
 * <p>Other features observe ingestion through {@link dev.loupe.lake.IngestListener} and read the
 * lake through {@link dev.loupe.lake.LakeLayout}; {@link dev.loupe.lake.LoupeConfig} holds every
 * setting. docs/ingestion.md documents the lake's layout and schema for users.
 */
package dev.loupe.lake;
