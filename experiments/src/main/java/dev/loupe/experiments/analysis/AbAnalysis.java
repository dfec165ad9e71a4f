package dev.loupe.experiments.analysis;

import dev.loupe.sql.QueryResult;
import dev.loupe.stats.abtest.AbResult;
import dev.loupe.stats.abtest.AbTest;
import dev.loupe.stats.abtest.BinomialCounts;
import dev.loupe.stats.abtest.Moments;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A/B/n analyses over a data source.
 *
 * <ul>
 *   <li>{@link #counts}: one row per arm with columns {@code arm}, {@code users}, {@code
 *       conversions}; arms in file order.
 *   <li>{@link #users}: one row per user; one GROUP BY query computes each arm's count, mean and
 *       variance of the metric (and of a pre-period covariate, and their covariance, for CUPED).
 *       Rows with an empty metric (or covariate) are dropped with a warning.
 * </ul>
 *
 * The control is the arm given, else an arm named {@code control}, else the first arm.
 */
public final class AbAnalysis {

  private AbAnalysis() {}

  /** Conversion counts per arm. */
  public static Analyzed<AbResult> counts(DataSource src, AbTest test, String control)
      throws SQLException {
    List<String> cols = src.require("--counts", "arm", "--counts", "users", "--counts", "conversions");
    QueryResult r =
        src.query(
            "SELECT " + DataSource.id(cols.get(0)) + ", " + DataSource.id(cols.get(1)) + ", "
                + DataSource.id(cols.get(2)) + " FROM " + src.relation());
    Map<String, BinomialCounts> arms = new LinkedHashMap<>();
    for (List<Object> row : r.rows()) {
      String arm = Values.label(row.get(0), "--counts", "arm");
      double u = Values.number(row.get(1), "--counts", "users");
      double c = Values.number(row.get(2), "--counts", "conversions");
      if (u != Math.rint(u) || c != Math.rint(c)) {
        throw new IllegalArgumentException(
            "counts for arm '" + arm + "' must be whole numbers but were users=" + row.get(1)
                + ", conversions=" + row.get(2));
      }
      if (Math.max(u, c) >= 0x1p63) {
        throw new IllegalArgumentException(
            "counts for arm '" + arm + "' must be at most " + Long.MAX_VALUE + " but were users="
                + row.get(1) + ", conversions=" + row.get(2));
      }
      if (arms.containsKey(arm)) {
        throw new IllegalArgumentException(
            "arm '" + arm + "' appears more than once in " + src.description()
                + "; give one row per arm");
      }
      try {
        arms.put(arm, BinomialCounts.of((long) u, (long) c));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("arm '" + arm + "': " + e.getMessage(), e);
      }
    }
    AbResult res = test.proportions(arms, control(arms.keySet(), control));
    return new Analyzed<>(res, r.rows().size(), r.rows().size(), res.warnings());
  }

  /**
   * Per-user rows: Welch's t-test on the metric, or CUPED when a covariate is given.
   *
   * @param covariate the pre-period covariate column, or null
   */
  public static Analyzed<AbResult> users(
      DataSource src, AbTest test, String arm, String metric, String covariate, String control)
      throws SQLException {
    List<String> cols =
        covariate == null
            ? src.require("--arm", arm, "--metric", metric)
            : src.require("--arm", arm, "--metric", metric, "--covariate", covariate);
    String x = covariate == null ? "0" : "TRY_CAST(" + DataSource.id(cols.get(2)) + " AS DOUBLE)";
    String xRaw = covariate == null ? "0" : DataSource.id(cols.get(2));
    String sql =
        "SELECT a_, count(*) AS rows_, count(*) FILTER (WHERE ok_) AS n_,"
            + " avg(yv) FILTER (WHERE ok_), var_samp(yv) FILTER (WHERE ok_),"
            + " avg(xv) FILTER (WHERE ok_), var_samp(xv) FILTER (WHERE ok_),"
            + " covar_samp(yv, xv) FILTER (WHERE ok_),"
            + " count(*) FILTER (WHERE y_raw IS NOT NULL AND yv IS NULL),"
            + " min(CAST(y_raw AS VARCHAR)) FILTER (WHERE y_raw IS NOT NULL AND yv IS NULL),"
            + " count(*) FILTER (WHERE x_raw IS NOT NULL AND xv IS NULL),"
            + " min(CAST(x_raw AS VARCHAR)) FILTER (WHERE x_raw IS NOT NULL AND xv IS NULL),"
            + " count(*) FILTER (WHERE isnan(yv) OR isinf(yv) OR isnan(xv) OR isinf(xv))"
            + " FROM (SELECT *, yv IS NOT NULL AND xv IS NOT NULL AS ok_ FROM (SELECT "
            + DataSource.id(cols.get(0)) + " AS a_, " + OutcomeSql.outcome(cols.get(1), false) + ", "
            + xRaw + " AS x_raw, " + x + " AS xv FROM " + src.relation() + ")) GROUP BY a_";
    QueryResult r = src.query(sql);
    Map<String, Moments> sorted = new TreeMap<>();
    long rows = 0;
    long used = 0;
    for (List<Object> row : r.rows()) {
      if (Values.count(row.get(8)) > 0) {
        throw new IllegalArgumentException(
            "--metric column '" + metric + "' must be numeric but has non-numeric values (for"
                + " example '" + row.get(9) + "')");
      }
      if (Values.count(row.get(10)) > 0) {
        throw new IllegalArgumentException(
            "--covariate column '" + covariate + "' must be numeric but has non-numeric values (for"
                + " example '" + row.get(11) + "')");
      }
      if (Values.count(row.get(12)) > 0) {
        throw new IllegalArgumentException(
            "--metric and --covariate must hold finite numbers but have NaN or infinite values;"
                + " remove or fix those rows");
      }
      String a = Values.label(row.get(0), "--arm", arm);
      long n = Values.count(row.get(2));
      rows += Values.count(row.get(1));
      used += n;
      try {
        sorted.put(
            a,
            n == 0
                ? Moments.create()
                : Moments.of(n, Values.sum(row.get(3)), nz(row.get(4)), Values.sum(row.get(5)),
                    nz(row.get(6)), nz(row.get(7))));
      } catch (IllegalArgumentException e) {
        // finite values whose squares overflow a double (|x| near 1e154 and beyond)
        throw new IllegalArgumentException(
            "arm '" + a + "': --metric column '" + metric + "'" + (covariate == null ? "" : " or --covariate column '"
                + covariate + "'") + " has values too large for a variance in doubles (" + e.getMessage()
                + "); rescale them (for example to thousands)", e);
      }
    }
    String c = control(sorted.keySet(), control);
    Map<String, Moments> arms = new LinkedHashMap<>();
    arms.put(c, sorted.get(c));
    sorted.forEach((k, v) -> arms.putIfAbsent(k, v));
    AbResult res = covariate == null ? test.means(arms, c) : test.cuped(arms, c);
    List<String> w = new ArrayList<>();
    if (rows > used) {
      w.add(
          String.format(
              Locale.ROOT, "dropped %d of %d rows whose metric%s is empty", rows - used, rows,
              covariate == null ? "" : " or covariate"));
    }
    w.addAll(res.warnings());
    return new Analyzed<>(res, rows, used, w);
  }

  private static double nz(Object v) {
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  private static String control(java.util.Set<String> arms, String control) {
    if (control != null) {
      if (!arms.contains(control)) {
        throw new IllegalArgumentException(
            "--control arm '" + control + "' is not among the arms " + arms);
      }
      return control;
    }
    if (arms.contains("control")) {
      return "control";
    }
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("the data has no arms (no rows)");
    }
    return arms.iterator().next();
  }
}
