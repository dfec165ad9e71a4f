package dev.loupe.stats.sequential;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Two-sided group-sequential boundaries by Lan–DeMets alpha spending. Immutable; thread-safe.
 *
 * <p>For looks at information fractions 0 &lt; t₁ &lt; … &lt; t_K = 1 the boundaries c_k are
 * chosen so that, under H₀, P(|Z_j| &lt; c_j for j &lt; k, |Z_k| ≥ c_k) = α*(t_k) − α*(t_{k−1}),
 * with Z_k the standardized statistic at look k (a Brownian motion in information time). The
 * probabilities are computed by the recursive numerical integration of Armitage, McPherson and Rowe
 * (1969), as in Jennison and Turnbull (2000, ch. 19), here with Simpson's rule on a grid of step
 * 0.002 standard deviations; boundaries are solved by bisection to 1e-9. Accuracy against an
 * independent multivariate-normal computation (scipy) is better than 1e-4 in z.
 *
 * <p>Reject H₀ at the first look where |z| ≥ c_k; the overall type I error is α whatever look
 * stops the test. The spending function fixes how much error each look may use; the looks need
 * not be equally spaced and, by the Lan–DeMets construction, need not be planned exactly.
 */
public final class GroupSequential {

  private static final NormalDistribution STD_NORMAL = NormalDistribution.of(0, 1);
  private static final double STEP = 0.002;

  private final double[] fractions;
  private final double alpha;
  private final SpendingFunction spending;

  private GroupSequential(double[] fractions, double alpha, SpendingFunction spending) {
    this.fractions = fractions;
    this.alpha = alpha;
    this.spending = spending;
  }

  /**
   * K equally spaced looks (t_k = k/K), α = 0.05, O'Brien–Fleming-type spending.
   *
   * @throws IllegalArgumentException if looks is not in [1, 50]
   */
  public static GroupSequential of(int looks) {
    if (looks < 1 || looks > 50) {
      throw new IllegalArgumentException("looks must be in [1, 50] but was " + looks);
    }
    double[] t = new double[looks];
    for (int k = 0; k < looks; k++) {
      t[k] = (k + 1.0) / looks;
    }
    return new GroupSequential(t, 0.05, SpendingFunction.OBRIEN_FLEMING);
  }

  /**
   * Looks at the given information fractions, strictly increasing in (0, 1], the last being 1.
   */
  public GroupSequential withInformationFractions(double... t) {
    if (t.length < 1 || t.length > 50) {
      throw new IllegalArgumentException("looks must be in [1, 50] but was " + t.length);
    }
    double prev = 0;
    for (int k = 0; k < t.length; k++) {
      if (!(t[k] > prev && t[k] <= 1)) {
        throw new IllegalArgumentException(
            "information fractions must increase strictly within (0, 1] but look " + (k + 1)
                + " was " + t[k] + " after " + prev);
      }
      prev = t[k];
    }
    if (t[t.length - 1] != 1) {
      throw new IllegalArgumentException(
          "the last information fraction must be 1 but was " + t[t.length - 1]);
    }
    return new GroupSequential(t.clone(), alpha, spending);
  }

  public GroupSequential withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new GroupSequential(fractions, alpha, spending);
  }

  public GroupSequential withSpending(SpendingFunction spending) {
    if (spending == null) {
      throw new IllegalArgumentException("spending function must not be null");
    }
    return new GroupSequential(fractions, alpha, spending);
  }

  /** The boundaries, one per look. */
  public List<Look> boundaries() {
    int k = fractions.length;
    List<Look> out = new ArrayList<>(k);
    // Density of S = Z·√t on the continuation region of the previous look, on a grid.
    double[] grid = null;
    double[] dens = null;
    double prevT = 0;
    double prevSpent = 0;
    for (int i = 0; i < k; i++) {
      double t = fractions[i];
      double spent = spending.spent(alpha, t);
      double target = spent - prevSpent;
      double c;
      if (i == 0) {
        c = STD_NORMAL.inverseSurvivalProbability(target / 2);
      } else {
        final double[] g = grid;
        final double[] f = dens;
        final double dt = t - prevT;
        final double rootT = Math.sqrt(t);
        c = solve(cc -> exitProbability(g, f, dt, cc * rootT), target);
      }
      out.add(
          new Look(i + 1, t, c, 2 * STD_NORMAL.survivalProbability(c), target, spent));
      // Next density on |s| < c√t.
      double bound = c * Math.sqrt(t);
      int m = Math.max(2, 2 * (int) Math.ceil(bound / (STEP * Math.sqrt(t))));
      double[] ng = new double[m + 1];
      double[] nf = new double[m + 1];
      for (int j = 0; j <= m; j++) {
        ng[j] = -bound + 2 * bound * j / m;
      }
      if (i == 0) {
        for (int j = 0; j <= m; j++) {
          nf[j] = phi(ng[j] / Math.sqrt(t)) / Math.sqrt(t);
        }
      } else {
        double sd = Math.sqrt(t - prevT);
        double[] w = simpsonWeights(grid);
        for (int j = 0; j <= m; j++) {
          double s = 0;
          for (int u = 0; u < grid.length; u++) {
            s += w[u] * dens[u] * phi((ng[j] - grid[u]) / sd) / sd;
          }
          nf[j] = s;
        }
      }
      grid = ng;
      dens = nf;
      prevT = t;
      prevSpent = spent;
    }
    return out;
  }

  public double alpha() {
    return alpha;
  }

  public SpendingFunction spending() {
    return spending;
  }

  /** P(continue so far, then |S_new| ≥ b) with S_new = S_old + N(0, dt). */
  private static double exitProbability(double[] grid, double[] dens, double dt, double b) {
    double sd = Math.sqrt(dt);
    double[] w = simpsonWeights(grid);
    double s = 0;
    for (int u = 0; u < grid.length; u++) {
      double up = STD_NORMAL.survivalProbability((b - grid[u]) / sd);
      double down = STD_NORMAL.cumulativeProbability((-b - grid[u]) / sd);
      s += w[u] * dens[u] * (up + down);
    }
    return s;
  }

  private static double[] simpsonWeights(double[] grid) {
    int m = grid.length - 1;
    double h = (grid[m] - grid[0]) / m;
    double[] w = new double[m + 1];
    for (int j = 0; j <= m; j++) {
      w[j] = h / 3 * (j == 0 || j == m ? 1 : (j % 2 == 1 ? 4 : 2));
    }
    return w;
  }

  private static double phi(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  private static double solve(java.util.function.DoubleUnaryOperator exit, double target) {
    double lo = 0;
    double hi = 40;
    for (int i = 0; i < 100 && hi - lo > 1e-10; i++) {
      double mid = 0.5 * (lo + hi);
      if (exit.applyAsDouble(mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
