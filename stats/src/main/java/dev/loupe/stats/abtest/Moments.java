package dev.loupe.stats.abtest;

/**
 * Mergeable first and second moments of a metric y and, optionally, a pre-period covariate x
 * (for CUPED): count, means, sums of squared deviations and the co-deviation, updated with
 * Welford's algorithm and merged with Chan et al.'s pairwise formula (numerically stable).
 *
 * <p>Empty: count 0, means and variances NaN. Mutable accumulator, not thread-safe.
 */
public final class Moments {
  private long n;
  private double meanY;
  private double meanX;
  private double m2y;
  private double m2x;
  private double cxy;

  public static Moments create() {
    return new Moments();
  }

  /**
   * Moments from a summary: count, mean and sample variance (divisor n − 1) of y; the covariate
   * is absent (zero). For a SQL engine's {@code count}, {@code avg}, {@code var_samp}.
   */
  public static Moments of(long n, double mean, double variance) {
    return of(n, mean, variance, 0, 0, 0);
  }

  /**
   * Moments from a summary with a covariate: count, means, sample variances and sample covariance
   * (divisor n − 1).
   *
   * @throws IllegalArgumentException if n &lt; 0, a value is not finite (NaN when n ≤ 1 is taken
   *     as 0 for the variances), or a variance is negative
   */
  public static Moments of(
      long n, double meanY, double varY, double meanX, double varX, double covXY) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0 but was " + n);
    }
    Moments m = new Moments();
    m.n = n;
    if (n == 0) {
      return m;
    }
    double df = n - 1;
    if (n == 1) {
      varY = 0;
      varX = 0;
      covXY = 0;
    }
    check("mean", meanY);
    check("variance", varY);
    check("covariate mean", meanX);
    check("covariate variance", varX);
    check("covariance", covXY);
    if (varY < 0 || varX < 0) {
      throw new IllegalArgumentException(
          "variances must be >= 0 but were " + varY + " and " + varX);
    }
    m.meanY = meanY;
    m.meanX = meanX;
    m.m2y = varY * df;
    m.m2x = varX * df;
    m.cxy = covXY * df;
    return m;
  }

  private static void check(String field, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(field + " must be a finite number but was " + v);
    }
  }

  /** Adds one observation without a covariate. */
  public Moments accept(double y) {
    return accept(y, 0);
  }

  /**
   * Adds one observation (y, x).
   *
   * @throws IllegalArgumentException if y or x is NaN or infinite
   */
  public Moments accept(double y, double x) {
    if (!Double.isFinite(y) || !Double.isFinite(x)) {
      throw new IllegalArgumentException(
          "metric and covariate must be finite numbers but were " + y + " and " + x);
    }
    n++;
    double dy = y - meanY;
    double dx = x - meanX;
    meanY += dy / n;
    meanX += dx / n;
    m2y += dy * (y - meanY);
    m2x += dx * (x - meanX);
    cxy += dx * (y - meanY);
    return this;
  }

  /** Merges another accumulator into this one. */
  public Moments combine(Moments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      n = o.n;
      meanY = o.meanY;
      meanX = o.meanX;
      m2y = o.m2y;
      m2x = o.m2x;
      cxy = o.cxy;
      return this;
    }
    long total = n + o.n;
    double dy = o.meanY - meanY;
    double dx = o.meanX - meanX;
    double w = (double) n * o.n / total;
    m2y += o.m2y + dy * dy * w;
    m2x += o.m2x + dx * dx * w;
    cxy += o.cxy + dx * dy * w;
    meanY += dy * o.n / total;
    meanX += dx * o.n / total;
    n = total;
    return this;
  }

  public long count() {
    return n;
  }

  public double mean() {
    return n == 0 ? Double.NaN : meanY;
  }

  /** Sample variance (divisor n − 1); NaN when n &lt; 2. */
  public double variance() {
    return n < 2 ? Double.NaN : m2y / (n - 1);
  }

  public double covariateMean() {
    return n == 0 ? Double.NaN : meanX;
  }

  public double covariateVariance() {
    return n < 2 ? Double.NaN : m2x / (n - 1);
  }

  /** Sample covariance of y and x (divisor n − 1); NaN when n &lt; 2. */
  public double covariance() {
    return n < 2 ? Double.NaN : cxy / (n - 1);
  }

  @Override
  public String toString() {
    return "Moments[n=" + n + ", mean=" + mean() + ", variance=" + variance() + "]";
  }
}
