package dev.loupe.stats.did;

import dev.loupe.stats.regression.AbsorbedCell;
import dev.loupe.stats.regression.Cell;
import dev.loupe.stats.regression.Coefficient;
import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.CrossProducts;
import dev.loupe.stats.regression.LinearRegression;
import dev.loupe.stats.regression.OlsFit;
import dev.loupe.stats.regression.WaldTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Difference-in-differences on sufficient statistics. Immutable; thread-safe.
 *
 * <ul>
 *   <li>{@link #fromMeans}: the 2×2 estimate of four means, (T₁ − T₀) − (C₁ − C₀).
 *   <li>{@link #twoByTwo}: the regression y = β₀ + β₁·treated + β₂·post + β₃·treated·post + ε;
 *       β₃ is the effect (it equals the estimate of the four means).
 *   <li>{@link #twoWayFixedEffects}: y_it = α_i + λ_t + δ·D_it + ε_it with unit effects absorbed
 *       and one dummy per period but the first; δ is the effect.
 *   <li>{@link #eventStudy}: y_it = α_i + λ_t + Σ_{k≠−1} β_k·1[t − E_i = k] + ε_it, never-treated
 *       units having no relative-period dummies; the leads k ≤ −2 are tested jointly (Wald F) as
 *       the parallel-trends check.
 * </ul>
 *
 * <p>Covariances and degrees of freedom are those of {@link LinearRegression}: statsmodels'
 * conventions, absorbed unit effects counted in K as if they were explicit dummies. The default is
 * classical; panels are usually analysed with {@link CovarianceType#CLUSTER} by unit.
 */
public final class DiffInDiff {

  private final CovarianceType covType;
  private final double alpha;

  private DiffInDiff(CovarianceType covType, double alpha) {
    this.covType = covType;
    this.alpha = alpha;
  }

  /** Classical covariance, 95% intervals. */
  public static DiffInDiff withDefaults() {
    return new DiffInDiff(CovarianceType.CLASSICAL, 0.05);
  }

  public DiffInDiff withCovariance(CovarianceType type) {
    if (type == null) {
      throw new IllegalArgumentException("covariance type must not be null");
    }
    return new DiffInDiff(type, alpha);
  }

  public DiffInDiff withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new DiffInDiff(covType, alpha);
  }

  /**
   * (treatedAfter − treatedBefore) − (controlAfter − controlBefore).
   *
   * @throws IllegalArgumentException if a mean is NaN or infinite
   */
  public static double fromMeans(
      double treatedBefore, double treatedAfter, double controlBefore, double controlAfter) {
    double[] v = {treatedBefore, treatedAfter, controlBefore, controlAfter};
    String[] n = {"treated before", "treated after", "control before", "control after"};
    for (int i = 0; i < 4; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException("mean " + n[i] + " must be a finite number but was " + v[i]);
      }
    }
    return (treatedAfter - treatedBefore) - (controlAfter - controlBefore);
  }

  /**
   * The 2×2 regression form.
   *
   * @throws IllegalArgumentException if one of the four groups has no observations
   */
  public DidEstimate twoByTwo(List<DidCell> cells) {
    long[] n = new long[4];
    double[] s = new double[4];
    List<Cell> design = new ArrayList<>();
    for (DidCell c : cells) {
      int t = c.treated() ? 1 : 0;
      int p = c.post() ? 1 : 0;
      n[2 * t + p] += c.count();
      s[2 * t + p] += c.sumY();
      design.add(new Cell(new double[] {1, t, p, t * p}, c.cluster(), c.count(), c.sumY(), c.sumYY()));
    }
    String[] label = {"control before", "control after", "treated before", "treated after"};
    for (int i = 0; i < 4; i++) {
      if (n[i] == 0) {
        throw new IllegalArgumentException(
            "group " + label[i] + " (treated=" + i / 2 + ", post=" + i % 2
                + ") has no observations; difference-in-differences needs all four groups");
      }
    }
    GroupMeans means =
        new GroupMeans(s[2] / n[2], s[3] / n[3], s[0] / n[0], s[1] / n[1], n[2], n[3], n[0], n[1]);
    OlsFit fit =
        LinearRegression.of(List.of("Intercept", "treated", "post", "treated:post"))
            .withCovariance(covType)
            .withAlpha(alpha)
            .fitCells(design);
    return estimate(fit, "treated:post", means, new ArrayList<>());
  }

  /**
   * Two-way fixed effects: unit effects absorbed, period dummies, treatment indicator D.
   *
   * @throws IllegalArgumentException if there are fewer than 2 periods, D does not vary within
   *     units, or the design is collinear
   */
  public DidEstimate twoWayFixedEffects(List<PanelCell> cells) {
    List<String> times = sortedTimes(cells);
    if (times.size() < 2) {
      throw new IllegalArgumentException(
          "two-way fixed effects need at least 2 periods but the data has " + times.size());
    }
    Map<String, Integer> timeIndex = index(times);
    List<String> names = new ArrayList<>();
    names.add("treatment");
    for (int i = 1; i < times.size(); i++) {
      names.add("time[" + times.get(i) + "]");
    }
    int p = names.size();
    List<AbsorbedCell> design = new ArrayList<>();
    for (PanelCell c : cells) {
      double[] x = new double[p];
      x[0] = c.treatment();
      int ti = timeIndex.get(c.time());
      if (ti > 0) {
        x[ti] = 1;
      }
      design.add(absorbed(c, x));
    }
    OlsFit fit = regression(names).fitAbsorbed(design);
    List<String> warnings = new ArrayList<>();
    staggerWarning(cells, timeIndex, warnings);
    nestedWarning(cells, fit, warnings);
    return estimate(fit, "treatment", null, warnings);
  }

  /**
   * The event study with reference period −1.
   *
   * @throws IllegalArgumentException if no unit is ever treated or the design is collinear (for
   *     example when every unit is treated at the same time and no never-treated units exist, the
   *     relative-period dummies can coincide with the period dummies)
   */
  public EventStudy eventStudy(List<PanelCell> cells) {
    List<String> times = sortedTimes(cells);
    Map<String, Integer> timeIndex = index(times);
    TreeSet<Integer> rel = new TreeSet<>();
    for (PanelCell c : cells) {
      if (c.relTime() != null) {
        rel.add(c.relTime());
      }
    }
    if (rel.isEmpty()) {
      throw new IllegalArgumentException(
          "relative time is empty for every row: no unit is ever treated, so there is no event to"
              + " study");
    }
    List<Integer> periods = new ArrayList<>(rel);
    periods.remove(Integer.valueOf(-1));
    List<String> names = new ArrayList<>();
    for (int k : periods) {
      names.add("rel[" + k + "]");
    }
    int r = names.size();
    for (int i = 1; i < times.size(); i++) {
      names.add("time[" + times.get(i) + "]");
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "the only relative period is -1 (the reference) and there is one period: nothing to"
              + " estimate");
    }
    Map<Integer, Integer> relIndex = new HashMap<>();
    for (int i = 0; i < periods.size(); i++) {
      relIndex.put(periods.get(i), i);
    }
    List<AbsorbedCell> design = new ArrayList<>();
    for (PanelCell c : cells) {
      double[] x = new double[names.size()];
      if (c.relTime() != null && c.relTime() != -1) {
        x[relIndex.get(c.relTime())] = 1;
      }
      int ti = timeIndex.get(c.time());
      if (ti > 0) {
        x[r + ti - 1] = 1;
      }
      design.add(absorbed(c, x));
    }
    OlsFit fit = regression(names).fitAbsorbed(design);
    List<String> warnings = new ArrayList<>(fit.warnings());
    nestedWarning(cells, fit, warnings);
    if (!rel.contains(-1)) {
      warnings.add(
          "no observation has relative time -1: the reference period is absent, so the effects"
              + " are relative to the period-and-unit effects only");
    }
    List<EventStudy.Period> out = new ArrayList<>();
    List<String> leads = new ArrayList<>();
    for (int k : rel) {
      if (k == -1) {
        out.add(new EventStudy.Period(-1, true, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      Coefficient c = fit.coefficient("rel[" + k + "]");
      out.add(
          new EventStudy.Period(k, false, c.estimate(), c.stdError(), c.ciLow(), c.ciHigh(), c.pValue()));
      if (k <= -2) {
        leads.add(c.name());
      }
    }
    WaldTest pre;
    String verdict;
    if (leads.isEmpty()) {
      pre = new WaldTest(Double.NaN, Double.NaN, 0, fit.dfInference(), Double.NaN);
      verdict =
          "Parallel trends cannot be checked: there is no pre-treatment period before the"
              + " reference period -1.";
      warnings.add("no leads (relative periods <= -2): the pre-trend test is not computable");
    } else {
      pre = fit.waldTest(leads);
      if (Double.isNaN(pre.pValue())) {
        verdict = "Parallel trends cannot be checked: the covariance of the leads is not computable.";
        warnings.add("the pre-trend test is not computable: " + String.join("; ", fit.warnings()));
      } else if (pre.pValue() < alpha) {
        verdict =
            String.format(
                Locale.ROOT,
                "Pre-trends detected: the %d leads are jointly different from zero (F = %.3f, p ="
                    + " %.3g < %s). Treated and comparison units were already diverging before"
                    + " treatment, so the parallel-trends assumption is doubtful and the effects are"
                    + " likely biased.",
                leads.size(), pre.f(), pre.pValue(), alpha);
      } else {
        verdict =
            String.format(
                Locale.ROOT,
                "No evidence against parallel trends: the %d leads are jointly indistinguishable"
                    + " from zero (F = %.3f, p = %.3g >= %s). This supports, but cannot prove, the"
                    + " assumption; a test with little power can miss a violation, so look at the"
                    + " lead estimates and their intervals too.",
                leads.size(), pre.f(), pre.pValue(), alpha);
      }
    }
    return new EventStudy(
        out, pre, verdict, fit.nObs(), fit.nClusters(), fit.dfResid(), fit.covType(), fit, warnings);
  }

  // ---- internals -------------------------------------------------------------------------

  private LinearRegression regression(List<String> names) {
    return LinearRegression.of(names).withCovariance(covType).withAlpha(alpha);
  }

  private static AbsorbedCell absorbed(PanelCell c, double[] x) {
    if (c.unit() == null || c.time() == null) {
      throw new IllegalArgumentException("unit and time must not be null but a row had unit="
          + c.unit() + ", time=" + c.time());
    }
    if (c.count() < 1) {
      throw new IllegalArgumentException("cell count must be at least 1 but was " + c.count());
    }
    if (!Double.isFinite(x[0])) {
      throw new IllegalArgumentException("treatment must be a finite number but was " + x[0]);
    }
    CrossProducts cp = CrossProducts.ofCell(x, c.count(), c.sumY(), c.sumYY());
    return new AbsorbedCell(c.unit(), c.cluster(), cp);
  }

  private static DidEstimate estimate(
      OlsFit fit, String name, GroupMeans means, List<String> extra) {
    Coefficient c = fit.coefficient(name);
    List<String> warnings = new ArrayList<>(fit.warnings());
    warnings.addAll(extra);
    return new DidEstimate(
        c.estimate(), c.stdError(), c.ciLow(), c.ciHigh(), c.statistic(), c.pValue(),
        fit.dfResid(), fit.dfInference(), fit.nObs(), fit.nClusters(), fit.covType(), means, fit,
        warnings);
  }

  /** Periods sorted numerically when they all parse as numbers, else as text. */
  static List<String> sortedTimes(List<PanelCell> cells) {
    Set<String> set = new HashSet<>();
    for (PanelCell c : cells) {
      if (c.time() == null) {
        throw new IllegalArgumentException("time must not be null but a row for unit '" + c.unit()
            + "' had none");
      }
      set.add(c.time());
    }
    List<String> times = new ArrayList<>(set);
    boolean numeric = true;
    for (String t : times) {
      try {
        Double.parseDouble(t);
      } catch (NumberFormatException e) {
        numeric = false;
        break;
      }
    }
    times.sort(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
    return times;
  }

  private static Map<String, Integer> index(List<String> values) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      m.put(values.get(i), i);
    }
    return m;
  }

  private static void staggerWarning(
      List<PanelCell> cells, Map<String, Integer> timeIndex, List<String> warnings) {
    Map<String, Integer> first = new HashMap<>();
    for (PanelCell c : cells) {
      if (c.treatment() != 0) {
        first.merge(c.unit(), timeIndex.get(c.time()), Math::min);
      }
    }
    if (new HashSet<>(first.values()).size() > 1) {
      warnings.add(
          "treatment starts in different periods for different units: two-way fixed effects then"
              + " average comparisons that can carry negative weights when effects change over"
              + " time (Goodman-Bacon 2021); check the event study");
    }
  }

  private static void nestedWarning(List<PanelCell> cells, OlsFit fit, List<String> warnings) {
    if (fit.covType() != CovarianceType.CLUSTER) {
      return;
    }
    Map<String, String> clusterOf = new HashMap<>();
    for (PanelCell c : cells) {
      String prev = clusterOf.putIfAbsent(c.unit(), c.cluster());
      if (prev != null && !prev.equals(c.cluster())) {
        return;
      }
    }
    warnings.add(
        String.format(
            Locale.ROOT,
            "the cluster small-sample factor counts the %d absorbed unit effects in K = %d, as"
                + " statsmodels does with explicit dummies; conventions that drop effects nested"
                + " within clusters (Stata xtreg, fe) give standard errors smaller by about a"
                + " factor sqrt((n - K)/(n - %d)) = %.3f",
            fit.nParams() - fit.coefficients().size(), fit.nParams(),
            fit.coefficients().size(),
            Math.sqrt((double) fit.dfResid() / (fit.nObs() - fit.coefficients().size()))));
  }
}
