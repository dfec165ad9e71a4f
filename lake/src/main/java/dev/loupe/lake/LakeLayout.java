package dev.loupe.lake;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where everything lives under a Loupe data directory (see DESIGN.md, "Lake layout").
 *
 * <pre>
 * data-dir/
 *   wal/         write-ahead log segments (deleted once flushed to the lake)
 *   events/      event_date=YYYY-MM-DD/event_type=NAME/*.parquet
 *   rejected/    events that failed validation, with reason and raw payload
 *   sessions/    materialized sessions, session_date=YYYY-MM-DD/*.parquet
 *   aggregates/  live minute buckets, persisted
 *   reports/     reports/daily/metric_date=YYYY-MM-DD/*.parquet
 *   state/       dedup index and other operator state
 * </pre>
 *
 * <p>This class only names paths; it creates nothing.
 */
public record LakeLayout(Path root) {

  public LakeLayout {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  public static LakeLayout of(Path root) {
    return new LakeLayout(root);
  }

  public Path wal() {
    return root.resolve("wal");
  }

  public Path events() {
    return root.resolve("events");
  }

  public Path rejected() {
    return root.resolve("rejected");
  }

  public Path sessions() {
    return root.resolve("sessions");
  }

  public Path aggregates() {
    return root.resolve("aggregates");
  }

  public Path reports() {
    return root.resolve("reports");
  }

  public Path dailyReports() {
    return reports().resolve("daily");
  }

  public Path state() {
    return root.resolve("state");
  }
}
