package dev.loupe.stats.regression;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Ordinary least squares from sufficient statistics. Immutable; thread-safe.
 *
 * <p>The estimator is b = (X'X)⁻¹X'y, solved by a Cholesky factorization of X'X scaled to unit
 * diagonal; a column whose scaled pivot falls below 1e-10 is reported as perfectly collinear with
 * the columns before it, instead of silently dropped. Covariances follow {@link CovarianceType}
 * and match statsmodels' {@code OLS.fit(cov_type=…, use_t=True)}.
 *
 * <p>Inputs, from cheapest to most general:
 *
 * <ul>
 *   <li>{@link #fit(CrossProducts)}: X'X, X'y, y'y only; classical covariance.
 *   <li>{@link #fitClusters(Map)}: cross-products per cluster; classical or cluster-robust (scores
 *       X_g'y_g − X_g'X_g b).
 *   <li>{@link #fitCells(List)}: design cells (rows sharing x): every covariance type.
 *   <li>{@link #fitAbsorbed(List)}: cross-products per level of one absorbed categorical fixed
 *       effect (and per cluster); classical or cluster-robust. K counts the absorbed levels, so
 *       degrees of freedom and the cluster correction equal those of the same model with explicit
 *       dummies in statsmodels.
 * </ul>
 *
 * <p>When n − K ≤ 0 the coefficients are reported but their standard errors are NaN with a
 * warning: the model fits the data exactly and the residual variance is not estimable (the seed's
 * four-row difference-in-differences is such a case).
 */
public final class LinearRegression {

  private static final double COLLINEAR_TOL = 1e-10;

  private final List<String> names;
  private final CovarianceType covType;
  private final double alpha;

  private LinearRegression(List<String> names, CovarianceType covType, double alpha) {
    this.names = names;
    this.covType = covType;
    this.alpha = alpha;
  }

  /**
   * A regression on the named regressors (include a column of ones, named for example {@code
   * "Intercept"}, for an intercept); classical covariance, 95% intervals.
   */
  public static LinearRegression of(List<String> regressorNames) {
    if (regressorNames.isEmpty()) {
      throw new IllegalArgumentException("a regression needs at least 1 regressor but had 0");
    }
    return new LinearRegression(List.copyOf(regressorNames), CovarianceType.CLASSICAL, 0.05);
  }

  public LinearRegression withCovariance(CovarianceType type) {
    if (type == null) {
      throw new IllegalArgumentException("covariance type must not be null");
    }
    return new LinearRegression(names, type, alpha);
  }

  public LinearRegression withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new LinearRegression(names, covType, alpha);
  }

  public List<String> names() {
    return names;
  }

  public CovarianceType covarianceType() {
    return covType;
  }

  /**
   * Fits from whole-sample cross-products; only {@link CovarianceType#CLASSICAL} is possible.
   *
   * @throws IllegalArgumentException for another covariance type, a dimension mismatch, an empty
   *     sample or collinear regressors
   */
  public OlsFit fit(CrossProducts total) {
    if (covType != CovarianceType.CLASSICAL) {
      throw new IllegalArgumentException(
          "covariance " + label(covType) + " needs per-cluster or per-cell statistics; whole-sample"
              + " cross-products allow only classical");
    }
    Problem pr = Problem.of(total, names, 0);
    return pr.finish(this, null, 0, new ArrayList<>());
  }

  /** Fits from cross-products per cluster; classical or cluster-robust covariance. */
  public OlsFit fitClusters(Map<String, CrossProducts> clusters) {
    if (covType != CovarianceType.CLASSICAL && covType != CovarianceType.CLUSTER) {
      throw new IllegalArgumentException(
          "covariance " + label(covType) + " needs per-cell statistics; per-cluster cross-products"
              + " allow classical or cluster");
    }
    if (clusters.isEmpty()) {
      throw new IllegalArgumentException("no observations: the data has 0 clusters");
    }
    CrossProducts total = CrossProducts.create(names.size());
    clusters.values().forEach(total::combine);
    Problem pr = Problem.of(total, names, 0);
    List<String> warnings = new ArrayList<>();
    double[][] meat = null;
    if (covType == CovarianceType.CLUSTER) {
      meat = new double[names.size()][names.size()];
      for (CrossProducts g : clusters.values()) {
        addScore(meat, scoreOf(g, pr.b));
      }
    }
    return pr.finish(this, meat, clusters.size(), warnings);
  }

  /** Fits from design cells; every covariance type. CLUSTER needs each cell's cluster label. */
  public OlsFit fitCells(List<Cell> cells) {
    int p = names.size();
    CrossProducts total = CrossProducts.create(p);
    Map<String, CrossProducts> clusters = new LinkedHashMap<>();
    for (Cell c : cells) {
      if (c.x().length != p) {
        throw new IllegalArgumentException(
            "cell must have " + p + " regressors " + names + " but had " + c.x().length);
      }
      CrossProducts cp = CrossProducts.ofCell(c.x(), c.count(), c.sumY(), c.sumYY());
      total.combine(cp);
      if (covType == CovarianceType.CLUSTER) {
        if (c.cluster() == null) {
          throw new IllegalArgumentException(
              "cluster must not be null for cluster-robust covariance");
        }
        clusters.computeIfAbsent(c.cluster(), k -> CrossProducts.create(p)).combine(cp);
      }
    }
    if (total.count() == 0) {
      throw new IllegalArgumentException("no observations: the data has 0 rows");
    }
    Problem pr = Problem.of(total, names, 0);
    List<String> warnings = new ArrayList<>();
    double[][] meat = new double[p][p];
    switch (covType) {
      case CLASSICAL -> meat = null;
      case CLUSTER -> {
        for (CrossProducts g : clusters.values()) {
          addScore(meat, scoreOf(g, pr.b));
        }
      }
      default -> {
        boolean leverageOne = false;
        for (Cell c : cells) {
          double[] x = c.x();
          double fitted = dot(x, pr.b);
          double sse = Math.max(0, c.sumYY() - 2 * fitted * c.sumY() + c.count() * fitted * fitted);
          double w = 1;
          if (covType == CovarianceType.HC2 || covType == CovarianceType.HC3) {
            double h = quadratic(pr.inverse, x);
            if (1 - h < 1e-10) {
              leverageOne = true;
              continue;
            }
            w = covType == CovarianceType.HC2 ? 1 / (1 - h) : 1 / ((1 - h) * (1 - h));
          }
          for (int j = 0; j < p; j++) {
            for (int k = 0; k < p; k++) {
              meat[j][k] += w * sse * x[j] * x[k];
            }
          }
        }
        if (leverageOne) {
          warnings.add(
              "an observation has leverage 1 (it alone determines a coefficient); "
                  + label(covType) + " standard errors are undefined");
          meat = nanMatrix(p);
        }
      }
    }
    return pr.finish(this, meat, clusters.size(), warnings);
  }

  /**
   * Fits with one categorical fixed effect absorbed (within-group demeaning), from cross-products
   * per (group, cluster). Classical or cluster-robust covariance. The regressors must not include
   * an intercept (the fixed effects contain it).
   */
  public OlsFit fitAbsorbed(List<AbsorbedCell> cells) {
    if (covType != CovarianceType.CLASSICAL && covType != CovarianceType.CLUSTER) {
      throw new IllegalArgumentException(
          "covariance " + label(covType) + " is not available with absorbed fixed effects"
              + " (heteroskedasticity-robust errors are inconsistent in fixed-effects panels with"
              + " few periods, Stock and Watson 2008); use cluster or classical");
    }
    int p = names.size();
    Map<String, CrossProducts> groups = new HashMap<>();
    for (AbsorbedCell c : cells) {
      if (c.products().regressors() != p) {
        throw new IllegalArgumentException(
            "cell must have " + p + " regressors " + names + " but had "
                + c.products().regressors());
      }
      groups.computeIfAbsent(c.group(), k -> CrossProducts.create(p)).combine(c.products());
    }
    long n = 0;
    double sumY = 0;
    double yty = 0;
    double[][] a = new double[p][p];
    double[] xy = new double[p];
    double ytyW = 0;
    for (CrossProducts g : groups.values()) {
      double m = g.count();
      if (m == 0) {
        continue;
      }
      n += g.count();
      sumY += g.sumY();
      yty += g.yty();
      for (int j = 0; j < p; j++) {
        xy[j] += g.xtyAt(j) - g.sumXAt(j) * g.sumY() / m;
        for (int k = 0; k < p; k++) {
          a[j][k] += g.xtxAt(j, k) - g.sumXAt(j) * g.sumXAt(k) / m;
        }
      }
      ytyW += g.yty() - g.sumY() * g.sumY() / m;
    }
    if (n == 0) {
      throw new IllegalArgumentException("no observations: the data has 0 rows");
    }
    double tss = yty - sumY * sumY / n;
    Problem pr = Problem.of(a, xy, ytyW, n, groups.size(), tss, names, true);
    double[][] meat = null;
    Map<String, double[]> scores = new LinkedHashMap<>();
    if (covType == CovarianceType.CLUSTER) {
      for (AbsorbedCell c : cells) {
        if (c.cluster() == null) {
          throw new IllegalArgumentException(
              "cluster must not be null for cluster-robust covariance");
        }
        CrossProducts g = groups.get(c.group());
        CrossProducts cp = c.products();
        double m = g.count();
        double ybar = g.sumY() / m;
        double[] xbar = new double[p];
        for (int j = 0; j < p; j++) {
          xbar[j] = g.sumXAt(j) / m;
        }
        double cm = cp.count();
        double[] s = scores.computeIfAbsent(c.cluster(), k -> new double[p]);
        for (int j = 0; j < p; j++) {
          double xty =
              cp.xtyAt(j) - xbar[j] * cp.sumY() - cp.sumXAt(j) * ybar + cm * xbar[j] * ybar;
          double xtxb = 0;
          for (int k = 0; k < p; k++) {
            double xtx =
                cp.xtxAt(j, k) - xbar[j] * cp.sumXAt(k) - cp.sumXAt(j) * xbar[k]
                    + cm * xbar[j] * xbar[k];
            xtxb += xtx * pr.b[k];
          }
          s[j] += xty - xtxb;
        }
      }
      meat = new double[p][p];
      for (double[] s : scores.values()) {
        addScore(meat, s);
      }
    }
    return pr.finish(this, meat, scores.size(), new ArrayList<>());
  }

  // ---- internals -------------------------------------------------------------------------

  static String label(CovarianceType t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  private static double[] scoreOf(CrossProducts g, double[] b) {
    int p = b.length;
    double[] s = new double[p];
    for (int j = 0; j < p; j++) {
      double v = g.xtyAt(j);
      for (int k = 0; k < p; k++) {
        v -= g.xtxAt(j, k) * b[k];
      }
      s[j] = v;
    }
    return s;
  }

  private static void addScore(double[][] meat, double[] s) {
    for (int j = 0; j < s.length; j++) {
      for (int k = 0; k < s.length; k++) {
        meat[j][k] += s[j] * s[k];
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double quadratic(double[][] m, double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        s += x[i] * m[i][j] * x[j];
      }
    }
    return s;
  }

  private static double[][] nanMatrix(int p) {
    double[][] m = new double[p][p];
    for (double[] r : m) {
      java.util.Arrays.fill(r, Double.NaN);
    }
    return m;
  }

  /** The normal equations of one fit, solved. */
  static final class Problem {
    final int p;
    final long n;
    final int absorbed;
    final double[][] inverse;
    final double[] b;
    final double rss;
    final double tss;
    final boolean centered;

    private Problem(
        int p, long n, int absorbed, double[][] inverse, double[] b, double rss, double tss,
        boolean centered) {
      this.p = p;
      this.n = n;
      this.absorbed = absorbed;
      this.inverse = inverse;
      this.b = b;
      this.rss = rss;
      this.tss = tss;
      this.centered = centered;
    }

    static Problem of(CrossProducts t, List<String> names, int absorbed) {
      int p = names.size();
      if (t.regressors() != p) {
        throw new IllegalArgumentException(
            "statistics have " + t.regressors() + " regressors but the model names " + p + " "
                + names);
      }
      if (t.count() == 0) {
        throw new IllegalArgumentException("no observations: the data has 0 rows");
      }
      double[][] a = new double[p][p];
      double[] c = new double[p];
      boolean intercept = false;
      for (int j = 0; j < p; j++) {
        c[j] = t.xtyAt(j);
        for (int k = 0; k < p; k++) {
          a[j][k] = t.xtxAt(j, k);
        }
        if (t.sumXAt(j) == t.count() && t.xtxAt(j, j) == t.count()) {
          intercept = true;
        }
      }
      double tss = intercept ? t.yty() - t.sumY() * t.sumY() / t.count() : t.yty();
      return of(a, c, t.yty(), t.count(), absorbed, tss, names, intercept);
    }

    static Problem of(
        double[][] a, double[] c, double yty, long n, int absorbed, double tss,
        List<String> names, boolean centered) {
      int p = c.length;
      double[] d = new double[p];
      for (int j = 0; j < p; j++) {
        if (!(a[j][j] > 0)) {
          throw new IllegalArgumentException(
              "column '" + names.get(j) + "' is zero in every row"
                  + (absorbed > 0 ? " after absorbing the fixed effects (constant within groups)"
                      : "")
                  + "; it cannot be estimated, remove it");
        }
        d[j] = Math.sqrt(a[j][j]);
      }
      double[][] l = new double[p][p];
      for (int j = 0; j < p; j++) {
        for (int k = 0; k <= j; k++) {
          double s = a[j][k] / (d[j] * d[k]);
          for (int m = 0; m < k; m++) {
            s -= l[j][m] * l[k][m];
          }
          if (k == j) {
            if (s < COLLINEAR_TOL) {
              List<String> before = names.subList(0, j);
              throw new IllegalArgumentException(
                  "column '" + names.get(j) + "' is perfectly collinear with the columns before it "
                      + (before.size() > 10 ? before.subList(0, 10) + "…" : before.toString())
                      + (absorbed > 0 ? " and the absorbed fixed effects" : "")
                      + "; remove it or one of them");
            }
            l[j][j] = Math.sqrt(s);
          } else {
            l[j][k] = s / l[k][k];
          }
        }
      }
      // inverse of the scaled matrix: (L L')⁻¹ = L'⁻¹ L⁻¹
      double[][] linv = new double[p][p];
      for (int i = 0; i < p; i++) {
        linv[i][i] = 1 / l[i][i];
        for (int j = i + 1; j < p; j++) {
          double s = 0;
          for (int k = i; k < j; k++) {
            s -= l[j][k] * linv[k][i];
          }
          linv[j][i] = s / l[j][j];
        }
      }
      double[][] inv = new double[p][p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int k = i; k < p; k++) {
            s += linv[k][i] * linv[k][j];
          }
          inv[i][j] = s / (d[i] * d[j]);
          inv[j][i] = inv[i][j];
        }
      }
      double[] b = new double[p];
      for (int i = 0; i < p; i++) {
        double s = 0;
        for (int j = 0; j < p; j++) {
          s += inv[i][j] * c[j];
        }
        b[i] = s;
      }
      // One step of iterative refinement: b += A⁻¹(c − A b).
      double[] r = new double[p];
      for (int i = 0; i < p; i++) {
        double s = c[i];
        for (int j = 0; j < p; j++) {
          s -= a[i][j] * b[j];
        }
        r[i] = s;
      }
      for (int i = 0; i < p; i++) {
        double s = 0;
        for (int j = 0; j < p; j++) {
          s += inv[i][j] * r[j];
        }
        b[i] += s;
      }
      double bc = 0;
      double bab = 0;
      for (int i = 0; i < p; i++) {
        bc += b[i] * c[i];
        for (int j = 0; j < p; j++) {
          bab += b[i] * a[i][j] * b[j];
        }
      }
      double rss = Math.max(0, yty - 2 * bc + bab);
      return new Problem(p, n, absorbed, inv, b, rss, tss, centered);
    }

    OlsFit finish(LinearRegression model, double[][] meat, int clusters, List<String> warnings) {
      int k = p + absorbed;
      long dfResid = n - k;
      CovarianceType type = model.covType;
      double[][] v = new double[p][p];
      double dfInf = dfResid;
      boolean computable = true;
      if (dfResid <= 0) {
        computable = false;
        warnings.add(
            String.format(
                Locale.ROOT,
                "zero residual degrees of freedom (%d observations, %d parameters): the model fits"
                    + " the data exactly, so the estimates stand but their standard errors,"
                    + " p-values and intervals do not exist",
                n, k));
      } else if (type == CovarianceType.CLASSICAL) {
        double s2 = rss / dfResid;
        for (int i = 0; i < p; i++) {
          for (int j = 0; j < p; j++) {
            v[i][j] = s2 * inverse[i][j];
          }
        }
      } else {
        double scale = 1;
        if (type == CovarianceType.HC1) {
          scale = (double) n / dfResid;
        } else if (type == CovarianceType.CLUSTER) {
          dfInf = clusters - 1;
          if (clusters < 2) {
            computable = false;
            warnings.add(
                "cluster-robust standard errors need at least 2 clusters but the data has "
                    + clusters);
          } else {
            scale = (double) clusters / (clusters - 1) * (n - 1) / dfResid;
          }
        }
        v = sandwich(inverse, meat, scale);
      }
      if (!computable) {
        v = nanMatrix(p);
        dfInf = Double.NaN;
      }
      if (computable && rss == 0) {
        warnings.add(
            "all residuals are 0 (the outcome is fitted exactly, for example because it does not"
                + " vary): standard errors are 0, so tests and intervals are undefined");
      }
      TDistribution t = computable && dfInf > 0 ? TDistribution.of(dfInf) : null;
      double q = t == null ? Double.NaN : t.inverseSurvivalProbability(model.alpha / 2);
      List<Coefficient> coefs = new ArrayList<>();
      double[] cov = new double[p * p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          cov[i * p + j] = v[i][j];
        }
        double se = Math.sqrt(v[i][i]);
        double stat = se > 0 ? b[i] / se : Double.NaN;
        double pv = t != null && se > 0 ? 2 * t.survivalProbability(Math.abs(stat)) : Double.NaN;
        double lo = t != null && se > 0 ? b[i] - q * se : Double.NaN;
        double hi = t != null && se > 0 ? b[i] + q * se : Double.NaN;
        coefs.add(new Coefficient(model.names.get(i), b[i], se, stat, pv, lo, hi));
      }
      double r2 = tss > 0 ? 1 - rss / tss : Double.NaN;
      return new OlsFit(
          coefs, cov, type, n, k, dfResid, dfInf,
          type == CovarianceType.CLUSTER ? clusters : 0, r2, rss, model.alpha, warnings);
    }

    private static double[][] sandwich(double[][] bread, double[][] meat, double scale) {
      int p = bread.length;
      double[][] tmp = new double[p][p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          double s = 0;
          for (int k = 0; k < p; k++) {
            s += bread[i][k] * meat[k][j];
          }
          tmp[i][j] = s;
        }
      }
      double[][] out = new double[p][p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          double s = 0;
          for (int k = 0; k < p; k++) {
            s += tmp[i][k] * bread[k][j];
          }
          out[i][j] = scale * s;
        }
      }
      return out;
    }
  }
}
