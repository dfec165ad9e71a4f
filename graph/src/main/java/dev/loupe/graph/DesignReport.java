package dev.loupe.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * What a design will deliver before launch: units, balance, exposure, power, warnings.
 *
 * @param method the design method
 * @param users users in the design
 * @param clusters randomization units (users for individual randomization)
 * @param clusterSizes sizes of the units: min, median, mean, max and the size-weighted mean {@code
 *     Σn²/Σn} that drives the design effect
 * @param largestClusterShare share of users in the largest unit
 * @param treatedUsers users treated in this draw
 * @param controlUsers users in control in this draw
 * @param contamination share of control users with at least one treated friend, in this draw
 * @param expectedContamination the same, expected over the design: {@code 1 − Σπ₀ᵢ / Σ P(controlᵢ)}
 * @param exposure exposure probabilities (full neighbourhood exposure)
 * @param balance covariate balance between treated and control users
 * @param iccUsed the intra-cluster correlation used for the design effect (NaN if none)
 * @param designEffect {@code 1 + (m_w − 1)·ρ} for cluster-level designs (Eldridge et al. 2006, m_w
 *     the size-weighted mean cluster size), 1 for individual randomization; NaN without an ICC
 * @param mde minimum detectable effects of the design's contrasts (empty without an outcome variance)
 * @param egoOverlaps friends an ego could not take into its unit (ego design)
 * @param warnings what to worry about
 */
public record DesignReport(
    String method,
    int users,
    int clusters,
    SizeSummary clusterSizes,
    double largestClusterShare,
    int treatedUsers,
    int controlUsers,
    double contamination,
    double expectedContamination,
    Exposure exposure,
    List<Balance> balance,
    double iccUsed,
    double designEffect,
    List<Mde> mde,
    long egoOverlaps,
    List<String> warnings) {

  public DesignReport {
    balance = List.copyOf(balance);
    mde = List.copyOf(mde);
    warnings = List.copyOf(warnings);
  }

  /** Fewer randomization units than this triggers a warning. */
  public static final int MIN_CLUSTERS = 30;

  /** A unit holding more than this share of users is a giant cluster. */
  public static final double GIANT_SHARE = 0.2;

  public record SizeSummary(int min, int median, double mean, int max, double weightedMean) {}

  /**
   * Full neighbourhood exposure (Ugander et al., KDD 2013): user i is fully exposed to treatment
   * when i and all its friends are treated, to control when all are in control.
   *
   * @param meanTreatment mean over users of P(fully exposed to treatment)
   * @param meanControl mean over users of P(fully exposed to control)
   * @param usersWithBoth share of users with both probabilities above 0 (those the exposure
   *     estimators can use)
   */
  public record Exposure(double meanTreatment, double meanControl, double usersWithBoth) {}

  /** @param standardizedDifference (mean_t − mean_c) / sqrt((var_t + var_c)/2) */
  public record Balance(String covariate, double meanTreatment, double meanControl, double standardizedDifference) {}

  /**
   * Minimum detectable effect of one contrast, two-sided, in outcome units.
   *
   * @param contrast e.g. {@code treatment vs control}, {@code total}, {@code direct}, {@code spillover}
   * @param nTreatment users on the first side of the contrast
   * @param nControl users on the other side
   * @param designEffect variance inflation used
   * @param mde {@code (z_{1−α/2} + z_{power}) · sqrt(σ²·deff·(1/n_t + 1/n_c))}
   */
  public record Mde(String contrast, int nTreatment, int nControl, double designEffect, double mde) {}

  /**
   * What the report needs beyond the design.
   *
   * @param covariates per-user covariate values by name, in node order (NaN = missing)
   * @param outcomeVariance σ² of the outcome, NaN if unknown (no MDE then)
   * @param icc intra-cluster correlation of the outcome; NaN to estimate it from {@code iccFrom}
   * @param iccFrom name of a covariate (e.g. last month's outcome) to estimate the ICC from by
   *     one-way ANOVA over the design's clusters; null if none
   * @param alpha two-sided significance level
   * @param power target power
   */
  public record Options(Map<String, double[]> covariates, double outcomeVariance, double icc, String iccFrom, double alpha, double power) {
    public Options {
      covariates = Map.copyOf(covariates);
    }

    public static Options withDefaults() {
      return new Options(Map.of(), Double.NaN, Double.NaN, null, 0.05, 0.8);
    }
  }

  /** Computes the report for a design (exposure probabilities exactly, see {@link Randomization}). */
  public static DesignReport of(Design d, Options o) {
    Graph g = d.graph();
    Randomization r = d.randomization();
    int n = g.nodeCount();
    int c = r.clusterCount();
    int[] sizes = new int[c];
    for (int k = 0; k < c; k++) {
      sizes[k] = r.clusterSize(k);
    }
    Arrays.sort(sizes);
    double sum = 0;
    double sumSq = 0;
    for (int s : sizes) {
      sum += s;
      sumSq += (double) s * s;
    }
    SizeSummary sizeSummary = new SizeSummary(sizes[0], sizes[c / 2], sum / c, sizes[c - 1], sumSq / sum);
    List<String> warnings = new ArrayList<>();
    if (d.method().clusterLevel() && c < MIN_CLUSTERS) {
      warnings.add("only " + c + " clusters: with fewer than " + MIN_CLUSTERS
          + " randomization units, cluster-robust inference is unreliable and power is low");
    }
    double largestShare = sizes[c - 1] / (double) n;
    if (d.method().clusterLevel() && largestShare > GIANT_SHARE) {
      warnings.add(String.format(java.util.Locale.ROOT,
          "one giant cluster holds %.1f%% of users: its arm decides much of the result; raise the resolution or split it", 100 * largestShare));
    }
    int treated = 0;
    int controlUsers = 0;
    int contaminated = 0;
    for (int i = 0; i < n; i++) {
      if (d.treated(i)) {
        treated++;
        continue;
      }
      controlUsers++;
      for (long k = g.offset(i); k < g.offset(i + 1); k++) {
        if (d.treated(g.neighbor(k))) {
          contaminated++;
          break;
        }
      }
    }
    double[][] pi = d.exposure();
    double sumPi1 = 0;
    double sumPi0 = 0;
    double sumControl = 0;
    int both = 0;
    for (int i = 0; i < n; i++) {
      sumPi1 += pi[0][i];
      sumPi0 += pi[1][i];
      sumControl += pi[2][i];
      if (pi[0][i] > 0 && pi[1][i] > 0) {
        both++;
      }
    }
    Exposure exposure = new Exposure(sumPi1 / n, sumPi0 / n, both / (double) n);
    if (both < n) {
      warnings.add(String.format(java.util.Locale.ROOT,
          "%.1f%% of users can never be fully exposed to treatment or to control; exposure estimates leave them out", 100.0 * (n - both) / n));
    }
    List<Balance> balance = new ArrayList<>();
    for (var e : new java.util.TreeMap<>(o.covariates()).entrySet()) {
      balance.add(balance(e.getKey(), e.getValue(), d));
    }
    double icc = o.icc();
    if (Double.isNaN(icc) && o.iccFrom() != null) {
      double[] x = o.covariates().get(o.iccFrom());
      if (x == null) {
        throw new IllegalArgumentException("icc-from must name a covariate but " + o.iccFrom() + " is not one of " + o.covariates().keySet());
      }
      icc = anovaIcc(x, r);
    }
    double deff = !d.method().clusterLevel() ? 1.0 : Double.isNaN(icc) ? Double.NaN : 1 + (sizeSummary.weightedMean() - 1) * Math.max(0, icc);
    List<Mde> mdes = new ArrayList<>();
    if (!Double.isNaN(o.outcomeVariance()) && !Double.isNaN(deff)) {
      if (!(o.outcomeVariance() > 0)) {
        throw new IllegalArgumentException("outcome variance must be > 0 but was " + o.outcomeVariance());
      }
      double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - o.alpha() / 2)
          + NormalDistribution.of(0, 1).inverseCumulativeProbability(o.power());
      double q = d.treatShare();
      double p = d.withinShare();
      switch (d.method()) {
        case TWO_STAGE -> {
          int nt = (int) Math.round(n * q * p);
          int nts = (int) Math.round(n * q * (1 - p));
          int nc = (int) Math.round(n * (1 - q));
          mdes.add(mde("total", nt, nc, deff, o.outcomeVariance(), z));
          mdes.add(mde("spillover", nts, nc, deff, o.outcomeVariance(), z));
          mdes.add(mde("direct", nt, nts, 1.0, o.outcomeVariance(), z));
        }
        case INTERFERENCE_TEST -> {
          int half = (int) Math.round(n / 2.0);
          mdes.add(mde("cluster arm: treatment vs control", (int) Math.round(half * q), (int) Math.round(half * (1 - q)), deff, o.outcomeVariance(), z));
          mdes.add(mde("individual arm: treatment vs control", (int) Math.round(half * q), (int) Math.round(half * (1 - q)), 1.0, o.outcomeVariance(), z));
        }
        default -> mdes.add(mde("treatment vs control", treated, n - treated, deff, o.outcomeVariance(), z));
      }
    }
    return new DesignReport(d.method().label(), n, c, sizeSummary, largestShare, treated, controlUsers,
        controlUsers == 0 ? Double.NaN : contaminated / (double) controlUsers,
        sumControl == 0 ? Double.NaN : 1 - sumPi0 / sumControl,
        exposure, balance, icc, deff, mdes, d.egoOverlaps(), warnings);
  }

  private static Mde mde(String contrast, int nt, int nc, double deff, double var, double z) {
    double m = nt > 0 && nc > 0 ? z * Math.sqrt(var * deff * (1.0 / nt + 1.0 / nc)) : Double.NaN;
    return new Mde(contrast, nt, nc, deff, m);
  }

  static Balance balance(String name, double[] x, Design d) {
    double[] s = new double[2];
    double[] ss = new double[2];
    int[] cnt = new int[2];
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i])) {
        continue;
      }
      int a = d.treated(i) ? 0 : 1;
      s[a] += x[i];
      ss[a] += x[i] * x[i];
      cnt[a]++;
    }
    double mt = s[0] / cnt[0];
    double mc = s[1] / cnt[1];
    double vt = cnt[0] > 1 ? (ss[0] - cnt[0] * mt * mt) / (cnt[0] - 1) : Double.NaN;
    double vc = cnt[1] > 1 ? (ss[1] - cnt[1] * mc * mc) / (cnt[1] - 1) : Double.NaN;
    double pooled = Math.sqrt((vt + vc) / 2);
    return new Balance(name, mt, mc, pooled > 0 ? (mt - mc) / pooled : Double.NaN);
  }

  /**
   * One-way ANOVA estimator of the intra-cluster correlation with unequal cluster sizes: {@code ρ
   * = (MSB − MSW) / (MSB + (n₀ − 1)·MSW)}, {@code n₀ = (N − Σn_c²/N)/(C − 1)}. NaN values skipped.
   */
  static double anovaIcc(double[] x, Randomization r) {
    int c = r.clusterCount();
    double[] sum = new double[c];
    int[] cnt = new int[c];
    double total = 0;
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i])) {
        continue;
      }
      sum[r.cluster(i)] += x[i];
      cnt[r.cluster(i)]++;
      total += x[i];
      n++;
    }
    double grand = total / n;
    double ssb = 0;
    double sumN2 = 0;
    int groups = 0;
    for (int k = 0; k < c; k++) {
      if (cnt[k] > 0) {
        double m = sum[k] / cnt[k];
        ssb += cnt[k] * (m - grand) * (m - grand);
        sumN2 += (double) cnt[k] * cnt[k];
        groups++;
      }
    }
    double ssw = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i])) {
        int k = r.cluster(i);
        double dlt = x[i] - sum[k] / cnt[k];
        ssw += dlt * dlt;
      }
    }
    if (groups < 2 || n - groups < 1) {
      return Double.NaN;
    }
    double msb = ssb / (groups - 1);
    double msw = ssw / (n - groups);
    double n0 = (n - sumN2 / n) / (groups - 1);
    return (msb - msw) / (msb + (n0 - 1) * msw);
  }

  /** The report as ordered maps and lists, ready for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method);
    m.put("users", users);
    m.put("clusters", clusters);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("min", clusterSizes.min());
    s.put("median", clusterSizes.median());
    s.put("mean", clusterSizes.mean());
    s.put("max", clusterSizes.max());
    s.put("size_weighted_mean", clusterSizes.weightedMean());
    m.put("cluster_sizes", s);
    m.put("largest_cluster_share", largestClusterShare);
    m.put("treated_users", treatedUsers);
    m.put("control_users", controlUsers);
    m.put("contamination", contamination);
    m.put("expected_contamination", expectedContamination);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("mean_p_full_treatment", exposure.meanTreatment());
    e.put("mean_p_full_control", exposure.meanControl());
    e.put("users_with_both", exposure.usersWithBoth());
    m.put("exposure", e);
    List<Map<String, Object>> b = new ArrayList<>();
    for (Balance x : balance) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("covariate", x.covariate());
      row.put("mean_treatment", x.meanTreatment());
      row.put("mean_control", x.meanControl());
      row.put("standardized_difference", x.standardizedDifference());
      b.add(row);
    }
    m.put("balance", b);
    m.put("icc", iccUsed);
    m.put("design_effect", designEffect);
    List<Map<String, Object>> md = new ArrayList<>();
    for (Mde x : mde) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("contrast", x.contrast());
      row.put("n_treatment", x.nTreatment());
      row.put("n_control", x.nControl());
      row.put("design_effect", x.designEffect());
      row.put("mde", x.mde());
      md.add(row);
    }
    m.put("mde", md);
    if (method.equals(Design.Method.EGO.label())) {
      m.put("ego_overlaps", egoOverlaps);
    }
    m.put("warnings", warnings);
    return m;
  }
}
