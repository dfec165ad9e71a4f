package dev.loupe.experiments.analysis;

import dev.loupe.sql.QueryResult;
import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.CrossProducts;
import dev.loupe.stats.regression.LinearRegression;
import dev.loupe.stats.regression.OlsFit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ordinary least squares with an intercept over a data source, for numeric regressors: one query
 * computes, per cluster, n, Σx_j, Σx_j·x_k, Σx_j·y, Σy and Σy² with {@code GROUP BY cluster}
 * (Kahan-compensated sums), and {@link LinearRegression#fitClusters} fits from them. Terms are
 * column names or products {@code a:b} (interactions). Rows with an empty outcome or regressor are
 * dropped with a warning. Classical or cluster-robust covariance; HC0–HC3 need per-row leverages
 * and are available through design cells ({@link DidAnalysis}) instead.
 */
public final class RegressionAnalysis {

  private RegressionAnalysis() {}

  /**
   * Fits {@code outcome ~ 1 + terms}.
   *
   * @param cluster the cluster column (required for {@link CovarianceType#CLUSTER}), or null
   * @throws IllegalArgumentException for a missing or non-numeric column, a covariance type other
   *     than classical or cluster, or a collinear design
   */
  public static Analyzed<OlsFit> ols(
      DataSource src, String outcome, List<String> terms, String cluster, CovarianceType cov,
      double alpha) throws SQLException {
    if (cov != CovarianceType.CLASSICAL && cov != CovarianceType.CLUSTER) {
      throw new IllegalArgumentException(
          "covariance " + cov.name().toLowerCase(Locale.ROOT) + " is not available for a"
              + " regression on numeric columns; use classical or cluster");
    }
    if (cov == CovarianceType.CLUSTER && cluster == null) {
      throw new IllegalArgumentException("cluster-robust covariance needs a cluster column");
    }
    List<String> req = new ArrayList<>(List.of("--outcome", outcome));
    List<String[]> factors = new ArrayList<>();
    for (String t : terms) {
      String[] f = t.split(":");
      factors.add(f);
      for (String c : f) {
        req.addAll(List.of("term", c.strip()));
      }
    }
    if (cluster != null) {
      req.addAll(List.of("--cluster", cluster));
    }
    List<String> cols = src.require(req.toArray(new String[0]));
    for (int i = 0; i < cols.size() - (cluster == null ? 0 : 1); i++) {
      if (!src.isNumeric(cols.get(i))) {
        throw new IllegalArgumentException(
            (i == 0 ? "--outcome" : "term") + " column '" + cols.get(i) + "' must be numeric but"
                + " its type is " + src.types().get(cols.get(i)));
      }
    }
    List<String> x = new ArrayList<>();
    List<String> names = new ArrayList<>();
    x.add("1.0");
    names.add("Intercept");
    int k = 1;
    List<String> notNull = new ArrayList<>();
    notNull.add(DataSource.id(cols.get(0)) + " IS NOT NULL");
    for (int i = 0; i < factors.size(); i++) {
      List<String> prod = new ArrayList<>();
      for (int j = 0; j < factors.get(i).length; j++) {
        String c = DataSource.id(cols.get(k++));
        prod.add("CAST(" + c + " AS DOUBLE)");
        notNull.add(c + " IS NOT NULL");
      }
      x.add(String.join(" * ", prod));
      names.add(terms.get(i));
    }
    int p = x.size();
    StringBuilder inner = new StringBuilder("SELECT ");
    inner.append(cluster == null ? "NULL" : DataSource.id(cols.get(cols.size() - 1))).append(" AS g_");
    inner.append(", CAST(").append(DataSource.id(cols.get(0))).append(" AS DOUBLE) AS y_");
    for (int j = 0; j < p; j++) {
      inner.append(", ").append(x.get(j)).append(" AS x").append(j).append('_');
    }
    inner.append(" FROM ").append(src.relation()).append(" WHERE ").append(String.join(" AND ", notNull));
    StringBuilder sql = new StringBuilder("SELECT g_, count(*)");
    for (int j = 0; j < p; j++) {
      sql.append(", fsum(x").append(j).append("_)");
    }
    for (int j = 0; j < p; j++) {
      for (int l = j; l < p; l++) {
        sql.append(", fsum(x").append(j).append("_ * x").append(l).append("_)");
      }
    }
    for (int j = 0; j < p; j++) {
      sql.append(", fsum(x").append(j).append("_ * y_)");
    }
    sql.append(", fsum(y_), fsum(y_ * y_) FROM (").append(inner).append(") GROUP BY g_");
    QueryResult r = src.query(sql.toString());
    long total = Values.count(src.query("SELECT count(*) FROM " + src.relation()).rows().get(0).get(0));
    Map<String, CrossProducts> clusters = new LinkedHashMap<>();
    long used = 0;
    for (List<Object> row : r.rows()) {
      int c = 1;
      long n = Values.count(row.get(c++));
      double[] sumX = new double[p];
      for (int j = 0; j < p; j++) {
        sumX[j] = Values.sum(row.get(c++));
      }
      double[] xtx = new double[p * p];
      for (int j = 0; j < p; j++) {
        for (int l = j; l < p; l++) {
          double v = Values.sum(row.get(c++));
          xtx[j * p + l] = v;
          xtx[l * p + j] = v;
        }
      }
      double[] xty = new double[p];
      for (int j = 0; j < p; j++) {
        xty[j] = Values.sum(row.get(c++));
      }
      double sy = Values.sum(row.get(c++));
      double syy = Values.sum(row.get(c));
      String g = cluster == null ? "all" : Values.label(row.get(0), "--cluster", cluster);
      try {
        clusters.put(g, CrossProducts.of(n, sumX, xtx, xty, sy, syy));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the outcome or a term has NaN or infinite values (or values too large to square);"
                + " remove or fix those rows", e);
      }
      used += n;
    }
    if (used == 0) {
      throw new IllegalArgumentException(
          src.description() + " has no rows with the outcome and every term present");
    }
    OlsFit fit =
        LinearRegression.of(names).withCovariance(cov).withAlpha(alpha).fitClusters(clusters);
    List<String> w = new ArrayList<>();
    if (total > used) {
      w.add(String.format(Locale.ROOT,
          "dropped %d of %d rows with an empty outcome or term", total - used, total));
    }
    w.addAll(fit.warnings());
    return new Analyzed<>(fit, total, used, w);
  }
}
