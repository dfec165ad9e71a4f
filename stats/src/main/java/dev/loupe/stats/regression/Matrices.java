package dev.loupe.stats.regression;

/** Small dense matrix helpers. */
final class Matrices {
  private Matrices() {}

  /**
   * b' V⁻¹ b by Gauss–Jordan elimination with partial pivoting; NaN if V has a NaN or is singular
   * (relative pivot below 1e-12).
   */
  static double quadraticInverse(double[][] v, double[] b) {
    int q = b.length;
    double[][] m = new double[q][q + 1];
    double scale = 0;
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        if (!Double.isFinite(v[i][j])) {
          return Double.NaN;
        }
        m[i][j] = v[i][j];
        scale = Math.max(scale, Math.abs(v[i][j]));
      }
      m[i][q] = b[i];
    }
    if (scale == 0) {
      return Double.NaN;
    }
    // Solve V x = b, then return b'x.
    for (int c = 0; c < q; c++) {
      int piv = c;
      for (int r = c + 1; r < q; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
          piv = r;
        }
      }
      if (Math.abs(m[piv][c]) < 1e-12 * scale) {
        return Double.NaN;
      }
      double[] t = m[c];
      m[c] = m[piv];
      m[piv] = t;
      for (int r = 0; r < q; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= q; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double s = 0;
    for (int i = 0; i < q; i++) {
      s += b[i] * m[i][q] / m[i][i];
    }
    return s;
  }
}
