package dev.loupe.experiments.analysis;

import dev.loupe.sql.QueryResult;
import dev.loupe.stats.did.DidCell;
import dev.loupe.stats.did.DidEstimate;
import dev.loupe.stats.did.DiffInDiff;
import dev.loupe.stats.did.EventStudy;
import dev.loupe.stats.did.PanelCell;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Difference-in-differences over a data source: one GROUP BY query computes each design cell's
 * count, Σy and Σy² (per cluster), and {@link DiffInDiff} fits from those cells. For the 2×2 form
 * on a plain CSV file, {@link CsvDidReader} computes the same cells without DuckDB (in parallel,
 * deterministically) and the query runs only when the file needs DuckDB's general reader. Rows whose outcome
 * is empty are dropped (with a warning); a non-numeric, NaN or infinite outcome, a treatment or
 * period indicator other than 0/1, or an empty cluster is an error.
 */
public final class DidAnalysis {

  private DidAnalysis() {}

  /**
   * The 2×2 regression form.
   *
   * @param cluster the cluster column, or null
   */
  public static Analyzed<DidEstimate> twoByTwo(
      DataSource src, DiffInDiff did, String outcome, String treated, String post, String cluster)
      throws SQLException {
    CsvDidReader.Cells read =
        src.csvFile() == null
            ? null
            : CsvDidReader.read(src.csvFile(), src.description(), outcome, treated, post, cluster);
    if (read == null) {
      read = queryCells(src, outcome, treated, post, cluster);
    }
    DidEstimate e = did.twoByTwo(read.cells());
    return analyzed(e, read.rows(), read.used(), outcome, e.warnings());
  }

  /** The 2×2 cells by one DuckDB GROUP BY query (the general reader). */
  static CsvDidReader.Cells queryCells(
      DataSource src, String outcome, String treated, String post, String cluster)
      throws SQLException {
    List<String> cols =
        cluster == null
            ? src.require("--outcome", outcome, "--treated", treated, "--post", post)
            : src.require("--outcome", outcome, "--treated", treated, "--post", post, "--cluster",
                cluster);
    boolean numeric = src.isNumeric(cols.get(0));
    String sql =
        "SELECT t_, p_, g_, " + OutcomeSql.aggregates(numeric) + " FROM (SELECT "
            + DataSource.id(cols.get(1)) + " AS t_, " + DataSource.id(cols.get(2)) + " AS p_, "
            + (cluster == null ? "NULL" : DataSource.id(cols.get(3))) + " AS g_, "
            + OutcomeSql.outcome(cols.get(0), numeric) + " FROM " + src.relation()
            + ") GROUP BY t_, p_, g_";
    QueryResult r = src.query(sql);
    List<DidCell> cells = new ArrayList<>();
    long rows = 0;
    long used = 0;
    for (List<Object> row : r.rows()) {
      OutcomeSql.check(row, 3, "--outcome", outcome);
      rows += Values.count(row.get(3));
      long n = Values.count(row.get(4));
      if (n == 0) {
        continue;
      }
      boolean t = Values.binary(row.get(0), "--treated", treated);
      boolean p = Values.binary(row.get(1), "--post", post);
      String g = cluster == null ? null : Values.label(row.get(2), "--cluster", cluster);
      cells.add(new DidCell(t, p, g, n, Values.sum(row.get(5)), Values.sum(row.get(6))));
      used += n;
    }
    if (rows == 0) {
      throw new IllegalArgumentException(src.description() + " has no rows");
    }
    return new CsvDidReader.Cells(cells, rows, used);
  }

  /**
   * Two-way fixed effects (unit effects absorbed, period dummies), or with {@code relTime} the
   * event study.
   *
   * @param cluster the cluster column, or null
   */
  public static Analyzed<DidEstimate> panel(
      DataSource src, DiffInDiff did, String outcome, String unit, String time, String treatment,
      String cluster) throws SQLException {
    PanelRead read = readPanel(src, outcome, unit, time, treatment, null, cluster);
    DidEstimate e = did.twoWayFixedEffects(read.cells);
    return analyzed(e, read.rows, read.used, outcome, e.warnings());
  }

  /** The event study with reference period −1; {@code relTime} empty for never-treated units. */
  public static Analyzed<EventStudy> eventStudy(
      DataSource src, DiffInDiff did, String outcome, String unit, String time, String relTime,
      String cluster) throws SQLException {
    PanelRead read = readPanel(src, outcome, unit, time, null, relTime, cluster);
    EventStudy e = did.eventStudy(read.cells);
    return analyzed(e, read.rows, read.used, outcome, e.warnings());
  }

  /** Two-way fixed effects and the event study on the same cells (one query). */
  public record PanelResult(DidEstimate twoWayFixedEffects, EventStudy eventStudy) {}

  /**
   * Two-way fixed effects with the treatment indicator and, on the same aggregates, the event study
   * with reference period −1.
   */
  public static Analyzed<PanelResult> panelWithEventStudy(
      DataSource src, DiffInDiff did, String outcome, String unit, String time, String treatment,
      String relTime, String cluster) throws SQLException {
    PanelRead read = readPanel(src, outcome, unit, time, treatment, relTime, cluster);
    DidEstimate twfe = did.twoWayFixedEffects(read.cells);
    EventStudy es = did.eventStudy(read.cells);
    List<String> w = new ArrayList<>(twfe.warnings());
    for (String s : es.warnings()) {
      if (!w.contains(s)) {
        w.add("event study: " + s);
      }
    }
    return analyzed(new PanelResult(twfe, es), read.rows, read.used, outcome, w);
  }

  private record PanelRead(List<PanelCell> cells, long rows, long used) {}

  private static PanelRead readPanel(
      DataSource src, String outcome, String unit, String time, String treatment, String relTime,
      String cluster) throws SQLException {
    List<String> req = new ArrayList<>(List.of("--outcome", outcome, "--unit", unit, "--time", time));
    if (treatment != null) {
      req.addAll(List.of("--treatment", treatment));
    }
    if (relTime != null) {
      req.addAll(List.of("--rel-time", relTime));
    }
    if (cluster != null) {
      req.addAll(List.of("--cluster", cluster));
    }
    List<String> cols = src.require(req.toArray(new String[0]));
    int i = 3;
    String d = treatment == null ? "0" : DataSource.id(cols.get(i++));
    String rel = relTime == null ? "NULL" : DataSource.id(cols.get(i++));
    String g = cluster == null ? "NULL" : DataSource.id(cols.get(i));
    boolean numeric = src.isNumeric(cols.get(0));
    String sql =
        "SELECT u_, t_, d_, r_, g_, " + OutcomeSql.aggregates(numeric) + " FROM (SELECT "
            + DataSource.id(cols.get(1)) + " AS u_, " + DataSource.id(cols.get(2)) + " AS t_, "
            + d + " AS d_, " + rel + " AS r_, " + g + " AS g_, "
            + OutcomeSql.outcome(cols.get(0), numeric)
            + " FROM " + src.relation() + ") GROUP BY u_, t_, d_, r_, g_";
    QueryResult r = src.query(sql);
    List<PanelCell> cells = new ArrayList<>();
    long rows = 0;
    long used = 0;
    for (List<Object> row : r.rows()) {
      OutcomeSql.check(row, 5, "--outcome", outcome);
      rows += Values.count(row.get(5));
      long n = Values.count(row.get(6));
      if (n == 0) {
        continue;
      }
      String u = Values.label(row.get(0), "--unit", unit);
      String t = Values.label(row.get(1), "--time", time);
      double dv = treatment == null ? 0 : Values.number(row.get(2), "--treatment", treatment);
      Integer rv = relTime == null ? null : Values.integerOrNull(row.get(3), "--rel-time", relTime);
      String gv = cluster == null ? u : Values.label(row.get(4), "--cluster", cluster);
      cells.add(new PanelCell(u, t, dv, rv, gv, n, Values.sum(row.get(7)), Values.sum(row.get(8))));
      used += n;
    }
    if (rows == 0) {
      throw new IllegalArgumentException(src.description() + " has no rows");
    }
    return new PanelRead(cells, rows, used);
  }

  private static <T> Analyzed<T> analyzed(
      T result, long rows, long used, String outcome, List<String> resultWarnings) {
    List<String> w = new ArrayList<>(new OutcomeSql.Totals(rows, used).warnings("--outcome", outcome));
    w.addAll(resultWarnings);
    return new Analyzed<>(result, rows, used, w);
  }
}
