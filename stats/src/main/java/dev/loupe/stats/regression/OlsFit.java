package dev.loupe.stats.regression;

import java.util.List;

/**
 * The result of an ordinary-least-squares fit.
 *
 * @param coefficients one per regressor (absorbed fixed effects are not listed)
 * @param covariance the coefficients' covariance matrix, row-major; NaN entries when not computable
 * @param covType how the covariance was computed
 * @param nObs number of observations
 * @param nParams K: regressors plus absorbed fixed-effect levels
 * @param dfResid n − K
 * @param dfInference degrees of freedom of the t and F reference distributions: n − K, or G − 1
 *     for cluster-robust covariance
 * @param nClusters G for cluster-robust covariance, 0 otherwise
 * @param rSquared 1 − RSS/TSS (centered TSS when the model has an intercept or absorbed effects,
 *     uncentered otherwise, as statsmodels)
 * @param rss residual sum of squares
 * @param alpha the level of the confidence intervals, 1 − α
 * @param warnings why a value is NaN, or other caveats
 */
public record OlsFit(
    List<Coefficient> coefficients,
    double[] covariance,
    CovarianceType covType,
    long nObs,
    int nParams,
    long dfResid,
    double dfInference,
    int nClusters,
    double rSquared,
    double rss,
    double alpha,
    List<String> warnings) {

  public OlsFit {
    coefficients = List.copyOf(coefficients);
    covariance = covariance.clone();
    warnings = List.copyOf(warnings);
  }

  /**
   * The coefficient with this name.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Coefficient coefficient(String name) {
    for (Coefficient c : coefficients) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no coefficient named '" + name + "'");
  }

  /**
   * Joint Wald test that the named coefficients are all zero.
   *
   * @throws IllegalArgumentException if a name is unknown or the list is empty
   */
  public WaldTest waldTest(List<String> names) {
    int q = names.size();
    if (q == 0) {
      throw new IllegalArgumentException("a Wald test needs at least 1 coefficient but had 0");
    }
    int[] idx = new int[q];
    for (int i = 0; i < q; i++) {
      idx[i] = coefficients.indexOf(coefficient(names.get(i)));
    }
    double[][] v = new double[q][q];
    double[] b = new double[q];
    for (int i = 0; i < q; i++) {
      b[i] = coefficients.get(idx[i]).estimate();
      for (int j = 0; j < q; j++) {
        v[i][j] = covarianceAt(idx[i], idx[j]);
      }
    }
    double w = Matrices.quadraticInverse(v, b);
    if (!Double.isFinite(w) || !(dfInference > 0)) {
      return new WaldTest(Double.NaN, Double.NaN, q, dfInference, Double.NaN);
    }
    double f = w / q;
    double p =
        org.apache.commons.statistics.distribution.FDistribution.of(q, dfInference)
            .survivalProbability(f);
    return new WaldTest(f, w, q, dfInference, p);
  }

  /** The coefficients' covariance entry (i, j). */
  public double covarianceAt(int i, int j) {
    return covariance[i * coefficients.size() + j];
  }
}
