package dev.loupe.lake;

/**
 * Observes batches after they were durably accepted (in the fsync'ed write-ahead log), before
 * the client gets its acknowledgement. Live aggregates (dashboards) are listeners.
 *
 * <p>Contract: called once per batch, from the thread that ingested it, so concurrently for
 * concurrent batches: implementations are thread-safe and fast (no blocking I/O). An exception
 * is logged and ignored; it never fails the batch. Batches replayed from the write-ahead log after
 * a crash are not shown again: state that must survive a restart is the listener's to persist.
 */
@FunctionalInterface
public interface IngestListener {

  void onBatch(IngestedBatch batch);
}
