package dev.loupe.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bias before launch: simulates a feature with a direct effect and a spillover on the user's own
 * graph and shows what each design would estimate.
 *
 * <p>Outcome model: {@code yᵢ = μ · (1 + δ·Tᵢ + γ·fᵢ) + εᵢ}, with {@code fᵢ} the share of i's
 * friends who are treated (0 without friends) and {@code εᵢ ~ N(0, σ²)}. The <em>launch effect</em>
 * (everyone treated versus no one), relative to μ, is {@code δ + γ·(share of users with a friend)}.
 * Each design is drawn {@code replications} times; its estimate of the launch effect is the
 * relative difference {@code ȳ_t / ȳ_c − 1} between the users it compares: treated vs control
 * (individual, cluster) or treated users of treated clusters vs users of control clusters
 * (two-stage's total effect). Under individual randomization both arms get about {@code γ·q} of
 * spillover, so it measures about δ (seed S9: a true +10% on treated users seen as +7%).
 * Immutable.
 */
public final class BiasSimulation {

  private final double baseline;
  private final double direct;
  private final double spillover;
  private final double noiseSd;
  private final int replications;
  private final double treatShare;
  private final double withinShare;
  private final long seed;

  private BiasSimulation(double baseline, double direct, double spillover, double noiseSd, int replications,
      double treatShare, double withinShare, long seed) {
    this.baseline = baseline;
    this.direct = direct;
    this.spillover = spillover;
    this.noiseSd = noiseSd;
    this.replications = replications;
    this.treatShare = treatShare;
    this.withinShare = withinShare;
    this.seed = seed;
  }

  /**
   * @param direct relative direct effect δ (0.07 = +7% on a treated user)
   * @param spillover relative spillover γ on a user all of whose friends are treated
   */
  public static BiasSimulation of(double direct, double spillover) {
    if (!Double.isFinite(direct) || !Double.isFinite(spillover)) {
      throw new IllegalArgumentException("direct and spillover effects must be finite but were " + direct + ", " + spillover);
    }
    return new BiasSimulation(1.0, direct, spillover, 0.0, 100, 0.5, 0.5, 1L);
  }

  /** Baseline mean μ &gt; 0 (default 1). */
  public BiasSimulation withBaseline(double mu) {
    if (!(mu > 0) || Double.isInfinite(mu)) {
      throw new IllegalArgumentException("baseline must be finite and > 0 but was " + mu);
    }
    return new BiasSimulation(mu, direct, spillover, noiseSd, replications, treatShare, withinShare, seed);
  }

  /** Standard deviation σ ≥ 0 of the outcome noise (default 0: bias only). */
  public BiasSimulation withNoise(double sd) {
    if (!(sd >= 0) || Double.isInfinite(sd)) {
      throw new IllegalArgumentException("noise sd must be finite and >= 0 but was " + sd);
    }
    return new BiasSimulation(baseline, direct, spillover, sd, replications, treatShare, withinShare, seed);
  }

  public BiasSimulation withReplications(int r) {
    if (r < 1) {
      throw new IllegalArgumentException("replications must be >= 1 but was " + r);
    }
    return new BiasSimulation(baseline, direct, spillover, noiseSd, r, treatShare, withinShare, seed);
  }

  public BiasSimulation withShares(double treat, double within) {
    if (!(treat > 0 && treat < 1) || !(within > 0 && within < 1)) {
      throw new IllegalArgumentException("treat share and within share must be in (0, 1) but were " + treat + ", " + within);
    }
    return new BiasSimulation(baseline, direct, spillover, noiseSd, replications, treat, within, seed);
  }

  public BiasSimulation withSeed(long s) {
    return new BiasSimulation(baseline, direct, spillover, noiseSd, replications, treatShare, withinShare, s);
  }

  /**
   * What one design estimates, over the replications.
   *
   * @param design the design's name
   * @param mean mean estimate of the relative launch effect
   * @param bias mean − truth
   * @param sd standard deviation of the estimates
   */
  public record DesignBias(String design, double mean, double bias, double sd) {}

  /**
   * @param launchEffect the true relative launch effect
   * @param designs one row per design: individual, cluster, two-stage
   * @param contaminationIndividual mean share of control users with a treated friend under
   *     individual randomization
   */
  public record Result(double launchEffect, List<DesignBias> designs, double contaminationIndividual) {
    public Result {
      designs = List.copyOf(designs);
    }
  }

  /** Runs the simulation on a graph, with {@code clusters} for the cluster-level designs. */
  public Result run(Graph g, Partition clusters) {
    int n = g.nodeCount();
    if (n < 2) {
      throw new IllegalArgumentException("simulation needs at least 2 users but the graph has " + n);
    }
    int withFriends = 0;
    for (int i = 0; i < n; i++) {
      withFriends += g.degree(i) > 0 ? 1 : 0;
    }
    double truth = direct + spillover * withFriends / n;
    String[] names = {"individual", "cluster", "two-stage"};
    double[][] est = new double[3][replications];
    double contamination = 0;
    SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int r = 0; r < replications; r++) {
      long s = seed + 31L * r;
      Design[] designs = {
        Design.individual(g, treatShare, s),
        Design.cluster(g, clusters, treatShare, s),
        Design.twoStage(g, clusters, treatShare, withinShare, s)
      };
      for (int k = 0; k < 3; k++) {
        Design d = designs[k];
        double[] sum = new double[2];
        int[] cnt = new int[2];
        int controlWithTreatedFriend = 0;
        for (int i = 0; i < n; i++) {
          int side;
          if (k == 2) {
            side = d.clusterShare(i) == 0 ? 1 : d.treated(i) ? 0 : -1;
          } else {
            side = d.treated(i) ? 0 : 1;
          }
          if (side < 0) {
            continue;
          }
          int t = 0;
          for (long e = g.offset(i); e < g.offset(i + 1); e++) {
            t += d.treated(g.neighbor(e)) ? 1 : 0;
          }
          double f = g.degree(i) == 0 ? 0 : t / (double) g.degree(i);
          if (k == 0 && side == 1 && t > 0) {
            controlWithTreatedFriend++;
          }
          double y = baseline * (1 + direct * (d.treated(i) ? 1 : 0) + spillover * f) + noiseSd * noise.nextGaussian();
          sum[side] += y;
          cnt[side]++;
        }
        est[k][r] = (sum[0] / cnt[0]) / (sum[1] / cnt[1]) - 1;
        if (k == 0) {
          contamination += controlWithTreatedFriend / (double) cnt[1];
        }
      }
    }
    List<DesignBias> rows = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      double m = 0;
      for (double x : est[k]) {
        m += x;
      }
      m /= replications;
      double v = 0;
      for (double x : est[k]) {
        v += (x - m) * (x - m);
      }
      rows.add(new DesignBias(names[k], m, m - truth, replications > 1 ? Math.sqrt(v / (replications - 1)) : Double.NaN));
    }
    return new Result(truth, rows, contamination / replications);
  }
}
