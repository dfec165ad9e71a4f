package dev.loupe.stats.multiple;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Multiple-comparison corrections for the p-values of m hypotheses (for example m = K − 1
 * treatment arms each compared with one control).
 *
 * <p>Adjusted p-values follow the definitions used by R's {@code p.adjust} and statsmodels'
 * {@code multipletests}: a hypothesis is rejected at level α when its adjusted p-value is ≤ α.
 *
 * <ul>
 *   <li>{@link #NONE}: p unchanged.
 *   <li>{@link #BONFERRONI}: min(1, m·p); controls the family-wise error rate.
 *   <li>{@link #HOLM}: step-down, sorted p₍ᵢ₎ ascending: max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎);
 *       controls the family-wise error rate, never less powerful than Bonferroni.
 *   <li>{@link #BENJAMINI_HOCHBERG}: step-up, min over j ≥ i of min(1, m·p₍ⱼ₎ / j); controls the
 *       false discovery rate under independence or positive dependence (comparisons against a
 *       shared control are positively dependent).
 * </ul>
 */
public enum Correction {
  NONE,
  BONFERRONI,
  HOLM,
  BENJAMINI_HOCHBERG;

  /**
   * Returns the adjusted p-values, in the order given.
   *
   * @throws IllegalArgumentException if a p-value is NaN or outside [0, 1], or the array is empty
   */
  public double[] adjust(double[] p) {
    int m = p.length;
    if (m == 0) {
      throw new IllegalArgumentException("p-values must not be empty");
    }
    for (int i = 0; i < m; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException(
            "p-value #" + (i + 1) + " must be in [0, 1] but was " + p[i]);
      }
    }
    double[] out = new double[m];
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
    switch (this) {
      case NONE -> System.arraycopy(p, 0, out, 0, m);
      case BONFERRONI -> {
        for (int i = 0; i < m; i++) {
          out[i] = Math.min(1, m * p[i]);
        }
      }
      case HOLM -> {
        double running = 0;
        for (int r = 0; r < m; r++) {
          int i = order[r];
          running = Math.max(running, Math.min(1, (m - r) * p[i]));
          out[i] = running;
        }
      }
      case BENJAMINI_HOCHBERG -> {
        double running = 1;
        for (int r = m - 1; r >= 0; r--) {
          int i = order[r];
          running = Math.min(running, Math.min(1, m * p[i] / (r + 1)));
          out[i] = running;
        }
      }
    }
    return out;
  }

  /**
   * The per-comparison significance level used for planning (power and sample size) with m
   * comparisons at family level α: α for {@link #NONE}, α/m otherwise. For Holm this is exact for
   * the smallest p-value and conservative for the others; for Benjamini–Hochberg it is the
   * conservative worst case (a single true effect among m).
   *
   * @throws IllegalArgumentException if α is not in (0, 1) or m &lt; 1
   */
  public double perComparisonAlpha(double alpha, int m) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    if (m < 1) {
      throw new IllegalArgumentException("number of comparisons must be at least 1 but was " + m);
    }
    return this == NONE ? alpha : alpha / m;
  }
}
