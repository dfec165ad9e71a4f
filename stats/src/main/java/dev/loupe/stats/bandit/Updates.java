package dev.loupe.stats.bandit;

/** When a {@link Bandit} learns from the outcomes it is told about. */
public enum Updates {
  /** Every recorded outcome changes the next choice. */
  IMMEDIATE,
  /**
   * Outcomes are buffered until {@link Bandit#applyBatch()} (hourly, daily, weekly: whatever the
   * serving system's cadence is); choices in between use the statistics of the last batch.
   */
  BATCHED
}
