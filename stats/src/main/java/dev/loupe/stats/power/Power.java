package dev.loupe.stats.power;

import dev.loupe.stats.multiple.Correction;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Power and sample size of a two-sided test comparing each treatment arm with a control, equal
 * allocation, normal approximation. Immutable; thread-safe.
 *
 * <p><b>Proportions</b> (baseline rate p₁, treatment rate p₂ = p₁ + mde), the formula of R's
 * {@code power.prop.test(strict = TRUE)} (Fleiss): with s₀ = √((p₁+p₂)(q₁+q₂)/2), s₁ =
 * √(p₁q₁+p₂q₂), d = |p₂ − p₁| and z = Φ⁻¹(1 − α′/2),
 *
 * <pre>power(n) = Φ((√n·d − z·s₀)/s₁) + 1 − Φ((√n·d + z·s₀)/s₁)</pre>
 *
 * <p><b>Means</b> (standard deviation σ in each arm, difference mde), the normal power of a two-
 * sample z-test as in statsmodels' {@code NormalIndPower}: with δ = |mde|/σ·√(n/2),
 *
 * <pre>power(n) = 1 − Φ(z − δ) + Φ(−z − δ)</pre>
 *
 * <p>With K arms there are m = K − 1 comparisons with the control; α′ is the per-comparison level
 * of {@link Correction#perComparisonAlpha} (α/m for Bonferroni, Holm and Benjamini–Hochberg,
 * conservative for the latter two). Power is the power of one comparison whose true difference is
 * mde. Sample size is the smallest whole n per arm reaching the target power; traffic to K arms is
 * K·n.
 *
 * <p>Example (seed exercise S8): 3% vs 3.5% with 10,000 users per arm and α = 0.05 has power
 * 0.514, not 80%; 80% needs 19,743 users per arm.
 */
public final class Power {

  /** What is compared. */
  public enum Metric {
    PROPORTION,
    MEAN
  }

  private static final NormalDistribution STD_NORMAL = NormalDistribution.of(0, 1);

  private final Metric metric;
  private final double baseline;
  private final double sd;
  private final double mde;
  private final double alpha;
  private final int arms;
  private final Correction correction;

  private Power(
      Metric metric,
      double baseline,
      double sd,
      double mde,
      double alpha,
      int arms,
      Correction correction) {
    this.metric = metric;
    this.baseline = baseline;
    this.sd = sd;
    this.mde = mde;
    this.alpha = alpha;
    this.arms = arms;
    this.correction = correction;
  }

  /**
   * A comparison of conversion rates: control rate {@code baseline}, treatment rate {@code
   * baseline + mde} (absolute difference); α = 0.05, two arms, no correction.
   *
   * @throws IllegalArgumentException if baseline or baseline + mde is not in (0, 1), or mde is 0
   */
  public static Power proportions(double baseline, double mde) {
    if (!(baseline > 0 && baseline < 1)) {
      throw new IllegalArgumentException("baseline must be a rate in (0, 1) but was " + baseline);
    }
    if (!(mde != 0 && Double.isFinite(mde))) {
      throw new IllegalArgumentException("mde must be a non-zero difference but was " + mde);
    }
    double p2 = baseline + mde;
    if (!(p2 > 0 && p2 < 1)) {
      throw new IllegalArgumentException(
          "mde must keep baseline + mde in (0, 1) but baseline + mde was " + p2);
    }
    return new Power(Metric.PROPORTION, baseline, Double.NaN, mde, 0.05, 2, Correction.NONE);
  }

  /**
   * A comparison of means with standard deviation {@code standardDeviation} in each arm and true
   * difference {@code mde}; α = 0.05, two arms, no correction.
   *
   * @throws IllegalArgumentException if the standard deviation is not positive and finite, or mde
   *     is 0 or not finite
   */
  public static Power means(double standardDeviation, double mde) {
    if (!(standardDeviation > 0 && Double.isFinite(standardDeviation))) {
      throw new IllegalArgumentException(
          "standard deviation must be positive but was " + standardDeviation);
    }
    if (!(mde != 0 && Double.isFinite(mde))) {
      throw new IllegalArgumentException("mde must be a non-zero difference but was " + mde);
    }
    return new Power(Metric.MEAN, Double.NaN, standardDeviation, mde, 0.05, 2, Correction.NONE);
  }

  /** Family-wise (or false-discovery) level α in (0, 1). */
  public Power withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new Power(metric, baseline, sd, mde, alpha, arms, correction);
  }

  /** Number of arms K ≥ 2, control included. */
  public Power withArms(int arms) {
    if (arms < 2) {
      throw new IllegalArgumentException("arms must be at least 2 (control + 1) but was " + arms);
    }
    return new Power(metric, baseline, sd, mde, alpha, arms, correction);
  }

  /** The multiple-comparison correction applied to the K − 1 comparisons. */
  public Power withCorrection(Correction correction) {
    if (correction == null) {
      throw new IllegalArgumentException("correction must not be null");
    }
    return new Power(metric, baseline, sd, mde, alpha, arms, correction);
  }

  public Metric metric() {
    return metric;
  }

  public int arms() {
    return arms;
  }

  public double alpha() {
    return alpha;
  }

  /** The level each comparison is tested at: α, or α/(K − 1) with a correction. */
  public double comparisonAlpha() {
    return correction.perComparisonAlpha(alpha, arms - 1);
  }

  /**
   * Power of one comparison with {@code nPerArm} units in each arm (real-valued n allowed).
   *
   * @throws IllegalArgumentException if nPerArm is not positive and finite
   */
  public double power(double nPerArm) {
    if (!(nPerArm > 0 && Double.isFinite(nPerArm))) {
      throw new IllegalArgumentException("n per arm must be positive but was " + nPerArm);
    }
    double z = STD_NORMAL.inverseSurvivalProbability(comparisonAlpha() / 2);
    double rootN = Math.sqrt(nPerArm);
    if (metric == Metric.PROPORTION) {
      double p1 = baseline;
      double p2 = baseline + mde;
      double s0 = Math.sqrt((p1 + p2) * ((1 - p1) + (1 - p2)) / 2);
      double s1 = Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
      double d = Math.abs(mde);
      return STD_NORMAL.cumulativeProbability((rootN * d - z * s0) / s1)
          + STD_NORMAL.survivalProbability((rootN * d + z * s0) / s1);
    }
    double delta = Math.abs(mde) / sd * Math.sqrt(nPerArm / 2);
    return STD_NORMAL.survivalProbability(z - delta) + STD_NORMAL.cumulativeProbability(-z - delta);
  }

  /**
   * The real-valued n per arm at which {@link #power(double)} equals the target (root of a
   * monotone function, found by bisection to double precision).
   *
   * @throws IllegalArgumentException if the target is not in (α′, 1)
   */
  public double exactNPerArm(double targetPower) {
    if (!(targetPower > comparisonAlpha() && targetPower < 1)) {
      throw new IllegalArgumentException(
          "power must be in (" + comparisonAlpha() + ", 1) but was " + targetPower);
    }
    double lo = 1e-9;
    double hi = 1;
    while (power(hi) < targetPower) {
      hi *= 2;
      if (hi > 1e18) {
        throw new IllegalArgumentException(
            "mde " + mde + " is too small: no n per arm below 1e18 reaches power " + targetPower);
      }
    }
    for (int i = 0; i < 200 && hi - lo > Math.ulp(hi); i++) {
      double mid = 0.5 * (lo + hi);
      if (power(mid) < targetPower) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** The smallest whole number of units per arm reaching the target power. */
  public long nPerArm(double targetPower) {
    return (long) Math.ceil(exactNPerArm(targetPower) - 1e-9);
  }

  /**
   * Weeks of traffic needed for {@link #nPerArm(double)} units in each of the K arms, when {@code
   * visitorsPerWeek} units enter the experiment per week: K·n / visitorsPerWeek (not rounded).
   */
  public double weeks(double targetPower, double visitorsPerWeek) {
    if (!(visitorsPerWeek > 0 && Double.isFinite(visitorsPerWeek))) {
      throw new IllegalArgumentException(
          "visitors per week must be positive but was " + visitorsPerWeek);
    }
    return (double) nPerArm(targetPower) * arms / visitorsPerWeek;
  }
}
