package dev.loupe.stats.abtest;

import dev.loupe.stats.multiple.Correction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A/B/n analysis: every treatment arm against one control, on sufficient statistics per arm.
 * Immutable; thread-safe.
 *
 * <p><b>Conversions</b> ({@link #proportions}): two-proportion z-test with the pooled standard
 * error under H₀, z = (p₁ − p₀)/√(p̄(1 − p̄)(1/n₁ + 1/n₀)) (statsmodels {@code proportions_ztest});
 * Wald interval for p₁ − p₀ with the unpooled standard error √(p₁q₁/n₁ + p₀q₀/n₀) (statsmodels
 * {@code confint_proportions_2indep(method="wald")}); interval for the relative lift p₁/p₀ − 1 from
 * the log ratio, standard error √(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀) (Katz; statsmodels {@code
 * compare="ratio", method="log"}).
 *
 * <p><b>Continuous metrics</b> ({@link #means}): Welch's t-test with Welch–Satterthwaite degrees
 * of freedom (scipy {@code ttest_ind(equal_var=False)}); the relative lift's interval uses the
 * delta method, var(ȳ₁/ȳ₀) ≈ s₁²/(n₁ȳ₀²) + ȳ₁²s₀²/(n₀ȳ₀⁴).
 *
 * <p><b>CUPED</b> ({@link #cuped}, Deng, Xu, Kohavi and Walker 2013): each unit's metric is
 * replaced by y − θ(x − x̄) with x the pre-period covariate, x̄ its mean over all arms and θ =
 * cov(y, x)/var(x) over all units pooled; the adjusted arms are then compared with Welch's test.
 * Adjusted means and variances are computed exactly from each arm's moments.
 *
 * <p>Intervals are (1 − α) and not adjusted for multiplicity; p-values are adjusted by the chosen
 * {@link Correction} over the K − 1 comparisons. The sample-ratio-mismatch check is always run.
 */
public final class AbTest {

  /** The kind of metric. */
  public enum Metric {
    PROPORTION,
    MEAN,
    CUPED
  }

  private static final NormalDistribution STD_NORMAL = NormalDistribution.of(0, 1);

  private final double alpha;
  private final Correction correction;
  private final double srmThreshold;
  private final Map<String, Double> expectedSplit;

  private AbTest(
      double alpha, Correction correction, double srmThreshold, Map<String, Double> split) {
    this.alpha = alpha;
    this.correction = correction;
    this.srmThreshold = srmThreshold;
    this.expectedSplit = split;
  }

  /** α = 0.05, no correction, SRM flagged below p = 0.001, equal planned split. */
  public static AbTest withDefaults() {
    return new AbTest(0.05, Correction.NONE, 0.001, Map.of());
  }

  public AbTest withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new AbTest(alpha, correction, srmThreshold, expectedSplit);
  }

  public AbTest withCorrection(Correction correction) {
    if (correction == null) {
      throw new IllegalArgumentException("correction must not be null");
    }
    return new AbTest(alpha, correction, srmThreshold, expectedSplit);
  }

  public AbTest withSrmThreshold(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "sample-ratio-mismatch threshold must be in (0, 1) but was " + threshold);
    }
    return new AbTest(alpha, correction, threshold, expectedSplit);
  }

  /**
   * The planned share of units per arm (any positive weights; normalized). Empty means equal.
   *
   * @throws IllegalArgumentException if a weight is not positive and finite
   */
  public AbTest withExpectedSplit(Map<String, Double> split) {
    for (Map.Entry<String, Double> e : split.entrySet()) {
      double w = e.getValue();
      if (!(w > 0 && Double.isFinite(w))) {
        throw new IllegalArgumentException(
            "expected split for arm '" + e.getKey() + "' must be a positive weight but was " + w);
      }
    }
    return new AbTest(alpha, correction, srmThreshold, new LinkedHashMap<>(split));
  }

  /**
   * Compares conversion rates.
   *
   * @param arms counts per arm, in display order (at least two arms, each with ≥ 1 user)
   * @param control the name of the control arm
   * @throws IllegalArgumentException for fewer than two arms, an unknown control or an empty arm
   */
  public AbResult proportions(Map<String, BinomialCounts> arms, String control) {
    checkArms(arms.keySet(), control);
    for (Map.Entry<String, BinomialCounts> e : arms.entrySet()) {
      if (e.getValue().units() == 0) {
        throw new IllegalArgumentException(
            "arm '" + e.getKey() + "' has 0 users; every arm needs at least 1 user");
      }
    }
    BinomialCounts c = arms.get(control);
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<String, BinomialCounts> e : arms.entrySet()) {
      if (!e.getKey().equals(control)) {
        out.add(compareProportions(e.getKey(), e.getValue(), control, c));
      }
    }
    Map<String, Long> units = new LinkedHashMap<>();
    arms.forEach((k, v) -> units.put(k, v.units()));
    return finish(Metric.PROPORTION, out, units, Double.NaN);
  }

  /**
   * Compares means with Welch's t-test.
   *
   * @param arms moments per arm (at least two arms, each with ≥ 2 units)
   */
  public AbResult means(Map<String, Moments> arms, String control) {
    checkMoments(arms, control);
    Moments c = arms.get(control);
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<String, Moments> e : arms.entrySet()) {
      if (!e.getKey().equals(control)) {
        Moments t = e.getValue();
        out.add(
            welch(
                e.getKey(), t.count(), t.mean(), t.variance(), control, c.count(), c.mean(),
                c.variance()));
      }
    }
    return finish(Metric.MEAN, out, units(arms), Double.NaN);
  }

  /**
   * Compares CUPED-adjusted means with Welch's t-test.
   *
   * @param arms moments of (metric, pre-period covariate) per arm
   * @throws IllegalArgumentException if the covariate has zero variance over all units
   */
  public AbResult cuped(Map<String, Moments> arms, String control) {
    checkMoments(arms, control);
    Moments all = Moments.create();
    arms.values().forEach(all::combine);
    double varX = all.covariateVariance();
    if (!(varX > 0)) {
      throw new IllegalArgumentException(
          "covariate has zero variance over all " + all.count()
              + " units; CUPED needs a covariate that varies");
    }
    double theta = all.covariance() / varX;
    double xbar = all.covariateMean();
    Map<String, double[]> adj = new LinkedHashMap<>();
    for (Map.Entry<String, Moments> e : arms.entrySet()) {
      Moments m = e.getValue();
      double mean = m.mean() - theta * (m.covariateMean() - xbar);
      double var =
          m.variance() - 2 * theta * m.covariance() + theta * theta * m.covariateVariance();
      adj.put(e.getKey(), new double[] {mean, Math.max(0, var)});
    }
    Moments c = arms.get(control);
    double[] ca = adj.get(control);
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<String, Moments> e : arms.entrySet()) {
      if (!e.getKey().equals(control)) {
        double[] ta = adj.get(e.getKey());
        out.add(
            welch(e.getKey(), e.getValue().count(), ta[0], ta[1], control, c.count(), ca[0], ca[1]));
      }
    }
    return finish(Metric.CUPED, out, units(arms), theta);
  }

  /**
   * The sample-ratio-mismatch check on units per arm against the planned split.
   *
   * @throws IllegalArgumentException if the split names an unknown arm or misses one
   */
  public SampleRatio sampleRatio(Map<String, Long> units) {
    int k = units.size();
    double[] w = new double[k];
    double wsum = 0;
    int i = 0;
    for (String arm : units.keySet()) {
      Double v = expectedSplit.isEmpty() ? Double.valueOf(1.0) : expectedSplit.get(arm);
      if (v == null) {
        throw new IllegalArgumentException(
            "expected split has no weight for arm '" + arm + "'; it names " + expectedSplit.keySet());
      }
      w[i++] = v;
      wsum += v;
    }
    for (String arm : expectedSplit.keySet()) {
      if (!units.containsKey(arm)) {
        throw new IllegalArgumentException(
            "expected split names arm '" + arm + "' which is not in the data " + units.keySet());
      }
    }
    double total = 0; // a double: the arms' units may add up past Long.MAX_VALUE
    for (long u : units.values()) {
      total += u;
    }
    double chi2 = 0;
    i = 0;
    for (long u : units.values()) {
      double e = total * w[i++] / wsum;
      chi2 += (u - e) * (u - e) / e;
    }
    double p = ChiSquaredDistribution.of(k - 1).survivalProbability(chi2);
    return new SampleRatio(chi2, k - 1, p, srmThreshold, p < srmThreshold);
  }

  private AbResult finish(
      Metric metric, List<Comparison> raw, Map<String, Long> units, double theta) {
    // The family is all K − 1 comparisons; one whose p-value is undefined counts as p = 1 and
    // keeps NaN as its adjusted p-value.
    double[] full = new double[raw.size()];
    for (int i = 0; i < raw.size(); i++) {
      full[i] = Double.isFinite(raw.get(i).pValue()) ? raw.get(i).pValue() : 1.0;
    }
    double[] p = correction.adjust(full);
    for (int i = 0; i < raw.size(); i++) {
      if (!Double.isFinite(raw.get(i).pValue())) {
        p[i] = Double.NaN;
      }
    }
    List<Comparison> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      out.add(raw.get(i).withAdjusted(p[i]));
    }
    SampleRatio srm = sampleRatio(units);
    List<String> warnings = new ArrayList<>();
    if (srm.flagged()) {
      warnings.add(
          String.format(
              java.util.Locale.ROOT,
              "sample ratio mismatch: chi2 = %.3f, p = %.3g < %s; the split of users differs from"
                  + " the plan, so assignment or logging is broken; do not trust these comparisons",
              srm.chi2(), srm.pValue(), srmThreshold));
    }
    return new AbResult(metric, out, srm, theta, warnings);
  }

  private Comparison compareProportions(
      String arm, BinomialCounts t, String control, BinomialCounts c) {
    List<String> warnings = new ArrayList<>();
    double n1 = t.units();
    double n0 = c.units();
    double x1 = t.conversions();
    double x0 = c.conversions();
    double p1 = x1 / n1;
    double p0 = x0 / n0;
    double diff = p1 - p0;
    double zc = STD_NORMAL.inverseSurvivalProbability(alpha / 2);
    double pooled = (x1 + x0) / (n1 + n0);
    double se0 = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
    double z = Double.NaN;
    double pValue = Double.NaN;
    if (se0 > 0) {
      z = diff / se0;
      pValue = 2 * STD_NORMAL.survivalProbability(Math.abs(z));
    } else {
      warnings.add(
          "arms '" + arm + "' and '" + control + "' have "
              + (pooled == 0 ? "no conversions" : "only conversions")
              + "; the z statistic and p-value are undefined");
    }
    double se = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
    double lo = Double.NaN;
    double hi = Double.NaN;
    if (se > 0) {
      lo = diff - zc * se;
      hi = diff + zc * se;
    } else {
      warnings.add("both rates are 0 or 1; the Wald interval for the difference is undefined");
    }
    double lift = Double.NaN;
    double rlo = Double.NaN;
    double rhi = Double.NaN;
    if (x0 > 0) {
      lift = p1 / p0 - 1;
    } else {
      warnings.add("control '" + control + "' has 0 conversions; the relative lift is undefined");
    }
    if (x0 > 0 && x1 > 0) {
      double seLog = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
      double logR = Math.log(p1 / p0);
      rlo = Math.exp(logR - zc * seLog) - 1;
      rhi = Math.exp(logR + zc * seLog) - 1;
    } else if (x0 > 0) {
      warnings.add("arm '" + arm + "' has 0 conversions; the interval for the lift is undefined");
    }
    return new Comparison(
        arm, control, p0, p1, diff, lo, hi, z, Double.NaN, pValue, Double.NaN, lift, rlo, rhi,
        warnings);
  }

  private Comparison welch(
      String arm, long n1, double m1, double v1, String control, long n0, double m0, double v0) {
    List<String> warnings = new ArrayList<>();
    double a = v1 / n1;
    double b = v0 / n0;
    double se = Math.sqrt(a + b);
    double diff = m1 - m0;
    double t = Double.NaN;
    double df = Double.NaN;
    double p = Double.NaN;
    double lo = Double.NaN;
    double hi = Double.NaN;
    if (se > 0) {
      t = diff / se;
      df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n0 - 1));
      TDistribution dist = TDistribution.of(df);
      p = 2 * dist.survivalProbability(Math.abs(t));
      double q = dist.inverseSurvivalProbability(alpha / 2);
      lo = diff - q * se;
      hi = diff + q * se;
    } else {
      warnings.add(
          "metric has zero variance in arms '" + arm + "' and '" + control
              + "'; the t statistic, p-value and interval are undefined");
    }
    double lift = Double.NaN;
    double rlo = Double.NaN;
    double rhi = Double.NaN;
    if (m0 != 0) {
      lift = m1 / m0 - 1;
      double seR = Math.sqrt(a / (m0 * m0) + m1 * m1 * b / (m0 * m0 * m0 * m0));
      if (seR > 0) {
        double zc = STD_NORMAL.inverseSurvivalProbability(alpha / 2);
        rlo = lift - zc * seR;
        rhi = lift + zc * seR;
      }
    } else {
      warnings.add("control '" + control + "' has mean 0; the relative lift is undefined");
    }
    return new Comparison(
        arm, control, m0, m1, diff, lo, hi, t, df, p, Double.NaN, lift, rlo, rhi, warnings);
  }

  private static Map<String, Long> units(Map<String, Moments> arms) {
    Map<String, Long> u = new LinkedHashMap<>();
    arms.forEach((k, v) -> u.put(k, v.count()));
    return u;
  }

  private static void checkMoments(Map<String, Moments> arms, String control) {
    checkArms(arms.keySet(), control);
    for (Map.Entry<String, Moments> e : arms.entrySet()) {
      if (e.getValue().count() < 2) {
        throw new IllegalArgumentException(
            "arm '" + e.getKey() + "' has " + e.getValue().count()
                + " users; every arm needs at least 2 for a variance");
      }
    }
  }

  private static void checkArms(java.util.Set<String> arms, String control) {
    if (arms.size() < 2) {
      throw new IllegalArgumentException(
          "an A/B test needs at least 2 arms but the data has " + arms.size() + " " + arms);
    }
    if (!arms.contains(control)) {
      throw new IllegalArgumentException(
          "control arm '" + control + "' is not among the arms " + arms);
    }
  }
}
