package dev.loupe.stats.abtest;

/**
 * Mergeable counts of a conversion metric: units and conversions. Empty: 0 units, 0 conversions.
 * Mutable accumulator, not thread-safe; {@link #combine} merges partial counts from threads,
 * partitions or a SQL GROUP BY.
 */
public final class BinomialCounts {
  private long units;
  private long conversions;

  /** Empty counts. */
  public static BinomialCounts create() {
    return new BinomialCounts();
  }

  /**
   * Counts from a summary (for example a SQL {@code count(*)}, {@code sum(converted)}).
   *
   * @throws IllegalArgumentException if units &lt; 0, conversions &lt; 0 or conversions &gt; units
   */
  public static BinomialCounts of(long units, long conversions) {
    if (units < 0) {
      throw new IllegalArgumentException("users must be >= 0 but was " + units);
    }
    if (conversions < 0 || conversions > units) {
      throw new IllegalArgumentException(
          "conversions must be in [0, users=" + units + "] but was " + conversions);
    }
    BinomialCounts c = new BinomialCounts();
    c.units = units;
    c.conversions = conversions;
    return c;
  }

  /** Adds one unit. */
  public BinomialCounts accept(boolean converted) {
    units++;
    if (converted) {
      conversions++;
    }
    return this;
  }

  /** Adds another partial count into this one. */
  public BinomialCounts combine(BinomialCounts other) {
    units += other.units;
    conversions += other.conversions;
    return this;
  }

  public long units() {
    return units;
  }

  public long conversions() {
    return conversions;
  }

  /** conversions / units; NaN when empty. */
  public double rate() {
    return units == 0 ? Double.NaN : (double) conversions / units;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinomialCounts b && b.units == units && b.conversions == conversions;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(units) * 31 + Long.hashCode(conversions);
  }

  @Override
  public String toString() {
    return conversions + "/" + units;
  }
}
