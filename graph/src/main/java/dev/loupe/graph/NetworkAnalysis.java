package dev.loupe.graph;

import dev.loupe.stats.regression.Cell;
import dev.loupe.stats.regression.Coefficient;
import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.CrossProducts;
import dev.loupe.stats.regression.LinearRegression;
import dev.loupe.stats.regression.OlsFit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Analysis of a network experiment: direct, spillover and total effects, exposure-based
 * Horvitz–Thompson and Hájek estimates, and the interference test of Saveski et al.
 *
 * <p><b>Effects</b> (Hudgens &amp; Halloran, JASA 2008), for a design whose clusters are either
 * <em>mixed</em> (a share 0 &lt; p &lt; 1 of their users treated) or <em>pure control</em>
 * (share 0): with G1 = treated users of mixed clusters, G0 = control users of mixed clusters and B
 * = users of pure-control clusters, direct = ȳ(G1) − ȳ(G0), spillover = ȳ(G0) − ȳ(B), total =
 * ȳ(G1) − ȳ(B) = direct + spillover. They are the coefficients of the OLS regression {@code y ~ 1 +
 * G1 + G0} on those users; intervals use its cluster-robust covariance (CR1, t with G − 1 degrees
 * of freedom, from {@code dev.loupe.stats.regression}); direct's variance is {@code V₁₁ + V₀₀ −
 * 2V₁₀}. A design with only whole clusters (shares 1 and 0) identifies only the total effect (y ~ 1
 * + T, cluster-robust); individual randomization (clusters of one user) only the direct effect at
 * its treat share. p-values are randomization p-values: the design is redrawn {@code
 * permutations} times with the seed under the sharp null of no effect of any kind (for direct:
 * only stage 2 is redrawn, conditioning on which clusters were treated), {@code p = (1 + #{|T*| ≥
 * |T|}) / (1 + R)}. The cluster-robust t p-value is reported beside it.
 *
 * <p><b>Exposure estimates</b> (Aronow &amp; Samii 2017; Ugander et al. 2013): a user is fully
 * exposed to treatment when it and all its friends are treated, to control when all are in
 * control, with exact probabilities π₁, π₀ from the design ({@link Randomization}). Over the N users
 * with both probabilities above 0: HT = (Σ_{E1} y/π₁ − Σ_{E0} y/π₀)/N, Hájek = Σ_{E1}(y/π₁)/Σ_{E1}(1/π₁)
 * − Σ_{E0}(y/π₀)/Σ_{E0}(1/π₀). Their standard error is the spread of the estimator over
 * redraws of the design with outcomes fixed (the randomization distribution under the sharp null),
 * the interval estimate ± z·SE and the p-value the randomization p-value. Friends missing from the
 * assignment count as never treated.
 *
 * <p><b>Interference test</b> (Saveski et al., "Detecting Network Effects: Randomizing Over
 * Randomized Experiments", KDD 2017): with clusters randomly split into a cluster-randomized arm and
 * an individually randomized arm, both difference-in-means estimates target the same effect when
 * there is no interference. z = (τ̂_cr − τ̂_ir) / sqrt(V_cr + V_ir) with V_cr cluster-robust and
 * V_ir the Neyman variance (HC2); two-sided normal p-value.
 *
 * <p>Immutable; thread-safe.
 */
public final class NetworkAnalysis {

  private final int permutations;
  private final long seed;
  private final double alpha;

  private NetworkAnalysis(int permutations, long seed, double alpha) {
    this.permutations = permutations;
    this.seed = seed;
    this.alpha = alpha;
  }

  /** 1000 redraws, seed 1, 95% intervals. */
  public static NetworkAnalysis withDefaults() {
    return new NetworkAnalysis(1000, 1L, 0.05);
  }

  /** Number of redraws of the design for randomization p-values (0 turns them off). */
  public NetworkAnalysis withPermutations(int r) {
    if (r < 0) {
      throw new IllegalArgumentException("permutations must be >= 0 but was " + r);
    }
    return new NetworkAnalysis(r, seed, alpha);
  }

  public NetworkAnalysis withSeed(long s) {
    return new NetworkAnalysis(permutations, s, alpha);
  }

  public NetworkAnalysis withAlpha(double a) {
    if (!(a > 0 && a < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + a);
    }
    return new NetworkAnalysis(permutations, seed, a);
  }

  /**
   * One effect. NaN values come with a {@code note} saying why.
   *
   * @param pValue randomization p-value (NaN when permutations = 0)
   * @param clusterRobustPValue the t-test p-value of the cluster-robust regression
   */
  public record Effect(String name, double estimate, double stdError, double ciLow, double ciHigh, double pValue,
      double clusterRobustPValue, int nTreatment, int nControl, int clusters, String note) {
    static Effect notIdentified(String name, String why) {
      return new Effect(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, why);
    }
  }

  /** An exposure-based estimate; see the class comment. */
  public record ExposureEstimate(String name, double estimate, double stdError, double ciLow, double ciHigh, double pValue,
      int fullyTreated, int fullyControl, int eligible, String note) {}

  /** The Saveski et al. test; NaN values come with a note. */
  public record InterferenceTest(double clusterArmEstimate, double clusterArmStdError, double individualArmEstimate,
      double individualArmStdError, double difference, double z, double pValue, boolean rejected, String note) {}

  /** Everything the analysis found. {@code exposure} is empty without a graph. */
  public record Result(Effect direct, Effect spillover, Effect total, List<ExposureEstimate> exposure,
      InterferenceTest interferenceTest, int users, int usersWithOutcome, int clusters, List<String> warnings) {
    public Result {
      exposure = List.copyOf(exposure);
      warnings = List.copyOf(warnings);
    }
  }

  /** Effects and the interference test, without exposure estimates. */
  public Result analyze(ExperimentData d) {
    return analyze(d, null);
  }

  /** Effects, exposure estimates on {@code graph} (may be null) and the interference test. */
  public Result analyze(ExperimentData d, Graph graph) {
    List<String> warnings = new ArrayList<>();
    if (d.missingOutcomes() > 0) {
      warnings.add(d.missingOutcomes() + " assigned users have no outcome and are left out");
    }
    boolean individual = true;
    for (int c = 0; c < d.clusterCount(); c++) {
      if (d.randomization().clusterSize(c) != 1) {
        individual = false;
        break;
      }
    }
    boolean hasMixed = false;
    boolean hasPure = false;
    boolean hasFull = false;
    for (int t = 0; t < d.conditionCount(); t++) {
      double s = d.conditionShare(t);
      hasMixed |= s > 0 && s < 1;
      hasPure |= s == 0;
      hasFull |= s == 1;
    }
    Effect direct;
    Effect spillover;
    Effect total;
    if (individual) {
      direct = wholeClusterEffect("direct", d, "individual randomization: the direct effect at the design's treat share, contaminated by any spillover");
      spillover = Effect.notIdentified("spillover", "not identified by individual randomization: use a two-stage design");
      total = Effect.notIdentified("total", "not identified by individual randomization: use a cluster or two-stage design");
    } else if (hasMixed && hasPure) {
      Effect[] e = twoStage(d);
      direct = e[0];
      spillover = e[1];
      total = e[2];
    } else if (hasFull && hasPure) {
      total = wholeClusterEffect("total", d, "whole clusters treated: treated vs control clusters");
      direct = Effect.notIdentified("direct", "not identified when clusters are treated whole: use a two-stage design");
      spillover = Effect.notIdentified("spillover", "not identified when clusters are treated whole: use a two-stage design");
    } else {
      String why = "the assignment has no pure-control clusters (cluster_share 0) to compare with";
      direct = Effect.notIdentified("direct", why);
      spillover = Effect.notIdentified("spillover", why);
      total = Effect.notIdentified("total", why);
    }
    if (d.clusterCount() < DesignReport.MIN_CLUSTERS && !individual) {
      warnings.add("only " + d.clusterCount() + " clusters: cluster-robust intervals are unreliable below "
          + DesignReport.MIN_CLUSTERS + "; prefer the randomization p-values");
    }
    List<ExposureEstimate> exposure = graph == null ? List.of() : exposure(d, graph, warnings);
    return new Result(direct, spillover, total, exposure, interferenceTest(d), d.userCount(),
        d.userCount() - d.missingOutcomes(), d.clusterCount(), warnings);
  }

  // ---- effects --------------------------------------------------------------------------------

  private static final int G1 = 0;
  private static final int G0 = 1;
  private static final int B = 2;

  /** Group of each user under a draw (mixed/pure split), -1 when in none. */
  private static int group(ExperimentData d, int[] condition, boolean[] treated, int i) {
    double s = d.conditionShare(condition[d.cluster(i)]);
    if (s == 0) {
      return B;
    }
    if (s < 1) {
      return treated[i] ? G1 : G0;
    }
    return -1;
  }

  private static double[] twoStageStats(ExperimentData d, int[] condition, boolean[] treated) {
    double[] sum = new double[3];
    int[] n = new int[3];
    for (int i = 0; i < d.userCount(); i++) {
      double y = d.outcome(i);
      if (Double.isNaN(y)) {
        continue;
      }
      int g = group(d, condition, treated, i);
      if (g >= 0) {
        sum[g] += y;
        n[g]++;
      }
    }
    double m1 = sum[G1] / n[G1];
    double m0 = sum[G0] / n[G0];
    double mb = sum[B] / n[B];
    return new double[] {m1 - m0, m0 - mb, m1 - mb};
  }

  private Effect[] twoStage(ExperimentData d) {
    int[] cond = d.conditions();
    boolean[] tr = d.treatedArray();
    Map<String, CrossProducts> perCluster = new HashMap<>();
    int[] n = new int[3];
    java.util.Set<Integer> clusters = new java.util.HashSet<>();
    for (int i = 0; i < d.userCount(); i++) {
      double y = d.outcome(i);
      int g = group(d, cond, tr, i);
      if (Double.isNaN(y) || g < 0) {
        continue;
      }
      n[g]++;
      clusters.add(d.cluster(i));
      perCluster.computeIfAbsent(Integer.toString(d.cluster(i)), k -> CrossProducts.create(3))
          .accept(new double[] {1, g == G1 ? 1 : 0, g == G0 ? 1 : 0}, y);
    }
    String[] names = {"direct", "spillover", "total"};
    if (n[G1] == 0 || n[G0] == 0 || n[B] == 0) {
      String why = "needs outcomes for treated and control users of treated clusters and for users of control clusters but had "
          + n[G1] + ", " + n[G0] + " and " + n[B];
      return new Effect[] {Effect.notIdentified(names[0], why), Effect.notIdentified(names[1], why), Effect.notIdentified(names[2], why)};
    }
    OlsFit fit = LinearRegression.of(List.of("Intercept", "G1", "G0")).withCovariance(CovarianceType.CLUSTER)
        .withAlpha(alpha).fitClusters(perCluster);
    double[] observed = twoStageStats(d, cond, tr);
    // Randomization p-values: stage 2 only for direct; the whole design for spillover and total.
    double[] p = new double[] {Double.NaN, Double.NaN, Double.NaN};
    if (permutations > 0) {
      int[] extreme = new int[3];
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int r = 0; r < permutations; r++) {
        Randomization.Draw within = d.randomization().drawWithin(cond, rnd);
        double[] sw = twoStageStats(d, cond, within.treated());
        if (Math.abs(sw[0]) >= Math.abs(observed[0]) - 1e-12) {
          extreme[0]++;
        }
        Randomization.Draw full = d.randomization().draw(rnd);
        double[] sf = twoStageStats(d, full.condition(), full.treated());
        for (int k = 1; k < 3; k++) {
          if (Math.abs(sf[k]) >= Math.abs(observed[k]) - 1e-12) {
            extreme[k]++;
          }
        }
      }
      for (int k = 0; k < 3; k++) {
        p[k] = (1.0 + extreme[k]) / (1.0 + permutations);
      }
    }
    Coefficient g1 = fit.coefficient("G1");
    Coefficient g0 = fit.coefficient("G0");
    double varDirect = fit.covarianceAt(1, 1) + fit.covarianceAt(2, 2) - 2 * fit.covarianceAt(1, 2);
    double seDirect = Math.sqrt(varDirect);
    double est = g1.estimate() - g0.estimate();
    double tq = tQuantile(fit.dfInference());
    double tp = tPValue(est / seDirect, fit.dfInference());
    int g = clusters.size();
    Effect direct = new Effect("direct", est, seDirect, est - tq * seDirect, est + tq * seDirect, p[0], tp, n[G1], n[G0], g,
        "treated vs control users within treated clusters");
    Effect spill = new Effect("spillover", g0.estimate(), g0.stdError(), g0.ciLow(), g0.ciHigh(), p[1], g0.pValue(), n[G0], n[B], g,
        "control users of treated clusters vs users of control clusters");
    Effect total = new Effect("total", g1.estimate(), g1.stdError(), g1.ciLow(), g1.ciHigh(), p[2], g1.pValue(), n[G1], n[B], g,
        "treated users of treated clusters vs users of control clusters");
    return new Effect[] {direct, spill, total};
  }

  private static double wholeStats(ExperimentData d, int[] condition, boolean[] treated) {
    double[] sum = new double[2];
    int[] n = new int[2];
    for (int i = 0; i < d.userCount(); i++) {
      double y = d.outcome(i);
      if (Double.isNaN(y)) {
        continue;
      }
      double s = d.conditionShare(condition[d.cluster(i)]);
      if (s > 0 && s < 1) {
        continue;
      }
      int k = treated[i] ? 0 : 1;
      sum[k] += y;
      n[k]++;
    }
    return sum[0] / n[0] - sum[1] / n[1];
  }

  private Effect wholeClusterEffect(String name, ExperimentData d, String note) {
    int[] cond = d.conditions();
    boolean[] tr = d.treatedArray();
    Map<String, CrossProducts> perCluster = new HashMap<>();
    int[] n = new int[2];
    java.util.Set<Integer> clusters = new java.util.HashSet<>();
    for (int i = 0; i < d.userCount(); i++) {
      double y = d.outcome(i);
      double s = d.conditionShare(cond[d.cluster(i)]);
      if (Double.isNaN(y) || (s > 0 && s < 1)) {
        continue;
      }
      n[tr[i] ? 0 : 1]++;
      clusters.add(d.cluster(i));
      perCluster.computeIfAbsent(Integer.toString(d.cluster(i)), k -> CrossProducts.create(2)).accept(new double[] {1, tr[i] ? 1 : 0}, y);
    }
    if (n[0] == 0 || n[1] == 0) {
      return Effect.notIdentified(name, "needs outcomes in both arms but had " + n[0] + " treated and " + n[1] + " control users");
    }
    OlsFit fit = LinearRegression.of(List.of("Intercept", "T")).withCovariance(CovarianceType.CLUSTER).withAlpha(alpha).fitClusters(perCluster);
    Coefficient t = fit.coefficient("T");
    double p = Double.NaN;
    if (permutations > 0) {
      double observed = wholeStats(d, cond, tr);
      int extreme = 0;
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int r = 0; r < permutations; r++) {
        Randomization.Draw dr = d.randomization().draw(rnd);
        if (Math.abs(wholeStats(d, dr.condition(), dr.treated())) >= Math.abs(observed) - 1e-12) {
          extreme++;
        }
      }
      p = (1.0 + extreme) / (1.0 + permutations);
    }
    return new Effect(name, t.estimate(), t.stdError(), t.ciLow(), t.ciHigh(), p, t.pValue(), n[0], n[1], clusters.size(), note);
  }

  private double tQuantile(double df) {
    return df > 0 ? TDistribution.of(df).inverseSurvivalProbability(alpha / 2) : Double.NaN;
  }

  private static double tPValue(double t, double df) {
    return df > 0 && Double.isFinite(t) ? 2 * TDistribution.of(df).survivalProbability(Math.abs(t)) : Double.NaN;
  }

  // ---- exposure -------------------------------------------------------------------------------

  private List<ExposureEstimate> exposure(ExperimentData d, Graph g, List<String> warnings) {
    int n = d.userCount();
    int[][] friends = new int[n][];
    int[] node = new int[n];
    int outside = 0;
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.put(d.user(i), i);
    }
    boolean[] hasOutsideFriend = new boolean[n];
    for (int i = 0; i < n; i++) {
      node[i] = g.indexOf(d.user(i));
      if (node[i] < 0) {
        friends[i] = new int[0];
        continue;
      }
      List<Integer> f = new ArrayList<>();
      for (long k = g.offset(node[i]); k < g.offset(node[i] + 1); k++) {
        Integer j = byId.get(g.id(g.neighbor(k)));
        if (j == null) {
          hasOutsideFriend[i] = true;
          outside++;
        } else {
          f.add(j);
        }
      }
      friends[i] = f.stream().mapToInt(Integer::intValue).toArray();
    }
    if (outside > 0) {
      warnings.add(outside + " friendships point to users outside the assignment; they count as never treated");
    }
    double[] pi1 = new double[n];
    double[] pi0 = new double[n];
    boolean[] eligible = new boolean[n];
    int nEligible = 0;
    Randomization r = d.randomization();
    for (int i = 0; i < n; i++) {
      int[] set = new int[friends[i].length + 1];
      set[0] = i;
      System.arraycopy(friends[i], 0, set, 1, friends[i].length);
      pi1[i] = hasOutsideFriend[i] ? 0 : r.probabilityAll(set, true);
      pi0[i] = r.probabilityAll(set, false);
      eligible[i] = pi1[i] > 0 && pi0[i] > 0 && !Double.isNaN(d.outcome(i));
      if (eligible[i]) {
        nEligible++;
      }
    }
    if (nEligible == 0) {
      String why = "no user with an outcome can be fully exposed to both treatment and control under this design";
      return List.of(
          new ExposureEstimate("horvitz_thompson", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, why),
          new ExposureEstimate("hajek", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, why));
    }
    if (nEligible < n - d.missingOutcomes()) {
      warnings.add((n - d.missingOutcomes() - nEligible) + " users with outcomes can never be fully exposed to treatment or to control and are left out of the exposure estimates");
    }
    double[] obs = exposureStats(d, friends, d.treatedArray(), pi1, pi0, eligible);
    int[] counts = exposureCounts(d, friends, d.treatedArray(), eligible);
    double[] se = {Double.NaN, Double.NaN};
    double[] p = {Double.NaN, Double.NaN};
    if (permutations > 1 && counts[0] > 0 && counts[1] > 0) {
      SplittableRandom rnd = new SplittableRandom(seed + 7);
      double[] s = new double[2];
      double[] ss = new double[2];
      int[] extreme = new int[2];
      int[] finite = new int[2];
      for (int k = 0; k < permutations; k++) {
        double[] st = exposureStats(d, friends, r.draw(rnd).treated(), pi1, pi0, eligible);
        for (int e = 0; e < 2; e++) {
          if (!Double.isFinite(st[e])) {
            continue;
          }
          finite[e]++;
          s[e] += st[e];
          ss[e] += st[e] * st[e];
          if (Math.abs(st[e]) >= Math.abs(obs[e]) - 1e-12) {
            extreme[e]++;
          }
        }
      }
      for (int e = 0; e < 2; e++) {
        if (finite[e] > 1) {
          double m = s[e] / finite[e];
          se[e] = Math.sqrt(Math.max(0, (ss[e] - finite[e] * m * m) / (finite[e] - 1)));
          p[e] = (1.0 + extreme[e]) / (1.0 + finite[e]);
        }
      }
    }
    double z = NormalDistribution.of(0, 1).inverseSurvivalProbability(alpha / 2);
    String note = "full neighbourhood exposure; standard error from the randomization distribution";
    if (counts[0] == 0 || counts[1] == 0) {
      note = "not estimable from this assignment: " + counts[0] + " users fully exposed to treatment and " + counts[1]
          + " to control (a cluster design exposes far more users fully than a two-stage or individual one)";
      warnings.add("exposure estimates: " + note);
      return List.of(
          new ExposureEstimate("horvitz_thompson", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, counts[0], counts[1], nEligible, note),
          new ExposureEstimate("hajek", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, counts[0], counts[1], nEligible, note));
    }
    return List.of(
        new ExposureEstimate("horvitz_thompson", obs[0], se[0], obs[0] - z * se[0], obs[0] + z * se[0], p[0], counts[0], counts[1], nEligible, note),
        new ExposureEstimate("hajek", obs[1], se[1], obs[1] - z * se[1], obs[1] + z * se[1], p[1], counts[0], counts[1], nEligible, note));
  }

  private static int[] exposureCounts(ExperimentData d, int[][] friends, boolean[] tr, boolean[] eligible) {
    int[] c = new int[2];
    for (int i = 0; i < d.userCount(); i++) {
      if (eligible[i]) {
        int e = exposureOf(i, friends, tr);
        if (e >= 0) {
          c[e]++;
        }
      }
    }
    return c;
  }

  /** 0 fully treated, 1 fully control, -1 neither. */
  private static int exposureOf(int i, int[][] friends, boolean[] tr) {
    boolean t = tr[i];
    for (int j : friends[i]) {
      if (tr[j] != t) {
        return -1;
      }
    }
    return t ? 0 : 1;
  }

  private static double[] exposureStats(ExperimentData d, int[][] friends, boolean[] tr, double[] pi1, double[] pi0, boolean[] eligible) {
    double ht1 = 0;
    double ht0 = 0;
    double w1 = 0;
    double w0 = 0;
    int n = 0;
    for (int i = 0; i < d.userCount(); i++) {
      if (!eligible[i]) {
        continue;
      }
      n++;
      int e = exposureOf(i, friends, tr);
      double y = d.outcome(i);
      if (e == 0) {
        ht1 += y / pi1[i];
        w1 += 1 / pi1[i];
      } else if (e == 1) {
        ht0 += y / pi0[i];
        w0 += 1 / pi0[i];
      }
    }
    double ht = (ht1 - ht0) / n;
    double hajek = w1 > 0 && w0 > 0 ? ht1 / w1 - ht0 / w0 : Double.NaN;
    return new double[] {ht, hajek};
  }

  // ---- interference test ----------------------------------------------------------------------

  private InterferenceTest interferenceTest(ExperimentData d) {
    Map<String, CrossProducts> cr = new HashMap<>();
    double[][] ir = new double[2][3]; // [treated?][count, sum, sumsq]
    int[] crN = new int[2];
    for (int i = 0; i < d.userCount(); i++) {
      double y = d.outcome(i);
      if (Double.isNaN(y)) {
        continue;
      }
      String arm = d.arm(i);
      double s = d.share(i);
      boolean t = d.treated(i);
      if ("cluster".equals(arm) && (s == 0 || s == 1)) {
        crN[t ? 0 : 1]++;
        cr.computeIfAbsent(Integer.toString(d.cluster(i)), k -> CrossProducts.create(2)).accept(new double[] {1, t ? 1 : 0}, y);
      } else if ("individual".equals(arm) && s > 0 && s < 1) {
        double[] a = ir[t ? 1 : 0];
        a[0]++;
        a[1] += y;
        a[2] += y * y;
      }
    }
    if (crN[0] == 0 || crN[1] == 0 || ir[0][0] < 2 || ir[1][0] < 2) {
      return new InterferenceTest(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false,
          "needs the interference-test design: a cluster-randomized arm (design = cluster) and an individually randomized arm"
              + " (design = individual), each with treated and control users");
    }
    OlsFit crFit = LinearRegression.of(List.of("Intercept", "T")).withCovariance(CovarianceType.CLUSTER).fitClusters(cr);
    List<Cell> cells = List.of(
        new Cell(new double[] {1, 1}, "t", (long) ir[1][0], ir[1][1], ir[1][2]),
        new Cell(new double[] {1, 0}, "c", (long) ir[0][0], ir[0][1], ir[0][2]));
    OlsFit irFit = LinearRegression.of(List.of("Intercept", "T")).withCovariance(CovarianceType.HC2).fitCells(cells);
    Coefficient a = crFit.coefficient("T");
    Coefficient b = irFit.coefficient("T");
    double diff = a.estimate() - b.estimate();
    double z = diff / Math.sqrt(a.stdError() * a.stdError() + b.stdError() * b.stdError());
    double p = Double.isFinite(z) ? 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z)) : Double.NaN;
    return new InterferenceTest(a.estimate(), a.stdError(), b.estimate(), b.stdError(), diff, z, p, p < alpha,
        "cluster-randomized minus individually randomized estimate; a significant difference means users affect each other");
  }
}
