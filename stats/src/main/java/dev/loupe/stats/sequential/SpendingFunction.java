package dev.loupe.stats.sequential;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Lan–DeMets (1983) alpha-spending functions for a two-sided symmetric level-α test, t the
 * information fraction in (0, 1]. Each side spends α/2 with the one-sided function, the convention
 * of gsDesign, rpact and EAST; {@link #spent} returns the two-sided total α*(t), with α*(1) = α.
 */
public enum SpendingFunction {
  /**
   * O'Brien–Fleming type: per side 2 − 2Φ(z_{1−α/4}/√t), total α*(t) = 4(1 − Φ(z_{1−α/4}/√t)).
   * Spends almost nothing early (K = 5, α = 0.05: |z| ≥ 4.877, 3.357, 2.680, 2.290, 2.031).
   */
  OBRIEN_FLEMING,
  /** Pocock type: α*(t) = α·ln(1 + (e − 1)t). Spends evenly, nearly constant boundaries. */
  POCOCK;

  private static final NormalDistribution STD_NORMAL = NormalDistribution.of(0, 1);

  /** Cumulative α spent by information fraction t. */
  public double spent(double alpha, double t) {
    if (t <= 0) {
      return 0;
    }
    if (t >= 1) {
      return alpha;
    }
    return switch (this) {
      case OBRIEN_FLEMING ->
          4 * STD_NORMAL.survivalProbability(
                  STD_NORMAL.inverseSurvivalProbability(alpha / 4) / Math.sqrt(t));
      case POCOCK -> alpha * Math.log1p((Math.E - 1) * t);
    };
  }
}
