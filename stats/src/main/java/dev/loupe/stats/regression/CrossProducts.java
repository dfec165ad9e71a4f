package dev.loupe.stats.regression;

import java.util.Arrays;

/**
 * Mergeable sufficient statistics of a linear regression on p regressors: the count n, Σx, X'X,
 * X'y, Σy and y'y. Any SQL engine computes them with {@code count(*)}, {@code sum(x_j)}, {@code
 * sum(x_j * x_k)}, {@code sum(x_j * y)}, {@code sum(y)}, {@code sum(y * y)}, optionally grouped by
 * cluster or by fixed-effect level.
 *
 * <p>Empty: n = 0 and all sums 0. Mutable accumulator, not thread-safe; {@link #combine} merges
 * partial sums (threads, partitions, GROUP BY rows). Sums are plain double sums: exact up to
 * rounding for 0/1 regressors, and accurate for data whose mean is small relative to its spread;
 * center large-offset variables before accumulating.
 */
public final class CrossProducts {
  private final int p;
  private long n;
  private final double[] sumX;
  private final double[] xtx;
  private final double[] xty;
  private double sumY;
  private double yty;

  private CrossProducts(int p) {
    this.p = p;
    this.sumX = new double[p];
    this.xtx = new double[p * p];
    this.xty = new double[p];
  }

  /**
   * Empty statistics for p ≥ 1 regressors.
   *
   * @throws IllegalArgumentException if p &lt; 1
   */
  public static CrossProducts create(int p) {
    if (p < 1) {
      throw new IllegalArgumentException("number of regressors must be at least 1 but was " + p);
    }
    return new CrossProducts(p);
  }

  /**
   * Statistics from precomputed sums (for example one row of a SQL GROUP BY).
   *
   * @param xtx X'X, row-major p×p (symmetric)
   * @throws IllegalArgumentException if the dimensions disagree, n &lt; 0 or a value is not finite
   */
  public static CrossProducts of(
      long n, double[] sumX, double[] xtx, double[] xty, double sumY, double yty) {
    int p = sumX.length;
    CrossProducts c = create(p);
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0 but was " + n);
    }
    if (xtx.length != p * p || xty.length != p) {
      throw new IllegalArgumentException(
          "X'X must have " + p * p + " and X'y " + p + " entries but had " + xtx.length + " and "
              + xty.length);
    }
    c.n = n;
    System.arraycopy(sumX, 0, c.sumX, 0, p);
    System.arraycopy(xtx, 0, c.xtx, 0, p * p);
    System.arraycopy(xty, 0, c.xty, 0, p);
    c.sumY = sumY;
    c.yty = yty;
    c.checkFinite();
    return c;
  }

  /**
   * Statistics of {@code count} observations sharing the same regressor row x, whose outcomes sum
   * to sumY with squares summing to sumYY (a "design cell", as a GROUP BY over categorical
   * regressors returns).
   */
  public static CrossProducts ofCell(double[] x, long count, double sumY, double sumYY) {
    CrossProducts c = create(x.length);
    c.addCell(x, count, sumY, sumYY);
    c.checkFinite();
    return c;
  }

  private void checkFinite() {
    for (double v : xtx) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("cross-products must be finite but X'X has " + v);
      }
    }
    for (int j = 0; j < p; j++) {
      if (!Double.isFinite(xty[j]) || !Double.isFinite(sumX[j])) {
        throw new IllegalArgumentException("cross-products must be finite but X'y has " + xty[j]);
      }
    }
    if (!Double.isFinite(sumY) || !Double.isFinite(yty)) {
      throw new IllegalArgumentException("outcome sums must be finite but were " + sumY + ", " + yty);
    }
  }

  /**
   * Adds one observation.
   *
   * @throws IllegalArgumentException if x has the wrong length or a value is NaN or infinite
   */
  public CrossProducts accept(double[] x, double y) {
    if (x.length != p) {
      throw new IllegalArgumentException(
          "row must have " + p + " regressors but had " + x.length);
    }
    if (!Double.isFinite(y)) {
      throw new IllegalArgumentException("outcome must be a finite number but was " + y);
    }
    for (int j = 0; j < p; j++) {
      if (!Double.isFinite(x[j])) {
        throw new IllegalArgumentException(
            "regressor #" + (j + 1) + " must be a finite number but was " + x[j]);
      }
    }
    addCell(x, 1, y, y * y);
    return this;
  }

  private void addCell(double[] x, long count, double sy, double syy) {
    n += count;
    for (int j = 0; j < p; j++) {
      sumX[j] += count * x[j];
      xty[j] += x[j] * sy;
      for (int k = 0; k < p; k++) {
        xtx[j * p + k] += count * x[j] * x[k];
      }
    }
    sumY += sy;
    yty += syy;
  }

  /** Adds another accumulator's sums into this one. */
  public CrossProducts combine(CrossProducts o) {
    if (o.p != p) {
      throw new IllegalArgumentException(
          "cannot combine statistics of " + o.p + " regressors into " + p);
    }
    n += o.n;
    for (int j = 0; j < p; j++) {
      sumX[j] += o.sumX[j];
      xty[j] += o.xty[j];
    }
    for (int i = 0; i < xtx.length; i++) {
      xtx[i] += o.xtx[i];
    }
    sumY += o.sumY;
    yty += o.yty;
    return this;
  }

  /** A copy. */
  public CrossProducts copy() {
    return of(n, sumX, xtx, xty, sumY, yty);
  }

  public int regressors() {
    return p;
  }

  public long count() {
    return n;
  }

  public double[] sumX() {
    return sumX.clone();
  }

  /** X'X, row-major. */
  public double[] xtx() {
    return xtx.clone();
  }

  public double[] xty() {
    return xty.clone();
  }

  public double sumY() {
    return sumY;
  }

  public double yty() {
    return yty;
  }

  double xtxAt(int j, int k) {
    return xtx[j * p + k];
  }

  double xtyAt(int j) {
    return xty[j];
  }

  double sumXAt(int j) {
    return sumX[j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CrossProducts c
        && c.p == p
        && c.n == n
        && Arrays.equals(c.sumX, sumX)
        && Arrays.equals(c.xtx, xtx)
        && Arrays.equals(c.xty, xty)
        && c.sumY == sumY
        && c.yty == yty;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(n) * 31 + Arrays.hashCode(xty);
  }

  @Override
  public String toString() {
    return "CrossProducts[p=" + p + ", n=" + n + "]";
  }
}
