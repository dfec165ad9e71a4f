package dev.loupe.stats.regression;

/**
 * {@code count} observations that share one regressor row x (and one cluster), summarized by the
 * sum and the sum of squares of their outcomes: what {@code SELECT cluster, x1, …, count(*),
 * sum(y), sum(y*y) … GROUP BY ALL} returns. A single observation is a cell with count 1. Cells are
 * sufficient for every covariance type, including HC2/HC3 (all rows in a cell share a leverage).
 *
 * @param x the regressor row (not copied; do not modify)
 * @param cluster the cluster label, or null when not clustering
 * @param count number of observations, ≥ 1
 * @param sumY Σy
 * @param sumYY Σy²
 */
public record Cell(double[] x, String cluster, long count, double sumY, double sumYY) {
  public Cell {
    if (count < 1) {
      throw new IllegalArgumentException("cell count must be at least 1 but was " + count);
    }
    if (!Double.isFinite(sumY) || !Double.isFinite(sumYY)) {
      throw new IllegalArgumentException(
          "outcome sums must be finite numbers but were " + sumY + " and " + sumYY);
    }
  }
}
