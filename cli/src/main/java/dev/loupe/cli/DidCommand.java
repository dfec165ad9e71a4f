package dev.loupe.cli;

import dev.loupe.experiments.analysis.Analyzed;
import dev.loupe.experiments.analysis.DataSource;
import dev.loupe.experiments.analysis.DidAnalysis;
import dev.loupe.stats.did.DidEstimate;
import dev.loupe.stats.did.DiffInDiff;
import dev.loupe.stats.did.EventStudy;
import dev.loupe.stats.regression.CovarianceType;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe did}: difference-in-differences, 2×2 or panel, with an optional event study. */
@Command(
    name = "did",
    mixinStandardHelpOptions = true,
    description = {
      "Difference-in-differences from a CSV/Parquet file or a lake query.",
      "2x2: loupe did --data ck.csv --outcome fte --treated nj --post after [--cluster store_id]",
      "Panel (two-way fixed effects): loupe did --data panel.csv --outcome y --unit unit --time"
          + " time --treatment treated [--event-study --rel-time rel]"
    })
public final class DidCommand implements Callable<Integer> {

  @Mixin AnalysisSource source;

  @Option(names = "--outcome", paramLabel = "COL", required = true, description = "Outcome column.")
  String outcome;

  @Option(names = "--treated", paramLabel = "COL", description = "2x2: treated group, 0/1.")
  String treated;

  @Option(names = "--post", paramLabel = "COL", description = "2x2: after treatment started, 0/1.")
  String post;

  @Option(names = "--unit", paramLabel = "COL", description = "Panel: unit (absorbed effect).")
  String unit;

  @Option(names = "--time", paramLabel = "COL", description = "Panel: period.")
  String time;

  @Option(names = "--treatment", paramLabel = "COL",
      description = "Panel: 1 when the unit is treated in that period.")
  String treatment;

  @Option(names = "--event-study", description = "Panel: effects by period relative to treatment.")
  boolean eventStudy;

  @Option(names = "--rel-time", paramLabel = "COL",
      description = "Event study: periods since treatment start (empty for never-treated units).")
  String relTime;

  @Option(names = "--cluster", paramLabel = "COL", description = "Cluster column.")
  String cluster;

  @Option(names = "--cov", paramLabel = "TYPE",
      description = "classical, hc0, hc1, hc2, hc3 or cluster (default: cluster when --cluster is"
          + " given or for panels, else classical).")
  String cov;

  @Option(names = "--alpha", defaultValue = "0.05",
      description = "1 - confidence level (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws SQLException {
    boolean panel = unit != null || time != null || treatment != null;
    boolean twoByTwo = treated != null || post != null;
    if (panel == twoByTwo) {
      throw new IllegalArgumentException(
          "give either the 2x2 form (--treated COL --post COL) or the panel form (--unit COL"
              + " --time COL --treatment COL)");
    }
    CovarianceType type = covType(panel);
    DiffInDiff did = DiffInDiff.withDefaults().withCovariance(type).withAlpha(alpha);
    PrintWriter out = spec.commandLine().getOut();
    try (DataSource src = source.open("--data")) {
      if (twoByTwo) {
        if (treated == null || post == null) {
          throw new IllegalArgumentException("the 2x2 form needs both --treated COL and --post COL");
        }
        if (eventStudy) {
          throw new IllegalArgumentException("--event-study needs the panel form (--unit, --time, --treatment)");
        }
        if (type == CovarianceType.CLUSTER && cluster == null) {
          throw new IllegalArgumentException("--cov cluster needs --cluster COL");
        }
        Analyzed<DidEstimate> a = DidAnalysis.twoByTwo(src, did, outcome, treated, post, cluster);
        Map<String, Object> r = estimate("2x2", a.result(), a);
        print(out, r, null, a.warnings());
        return Loupe.EXIT_OK;
      }
      if (unit == null || time == null || treatment == null) {
        throw new IllegalArgumentException("the panel form needs --unit COL, --time COL and --treatment COL");
      }
      if (!eventStudy) {
        if (relTime != null) {
          throw new IllegalArgumentException("--rel-time is used with --event-study only");
        }
        Analyzed<DidEstimate> a = DidAnalysis.panel(src, did, outcome, unit, time, treatment, cluster);
        print(out, estimate("twfe", a.result(), a), null, a.warnings());
        return Loupe.EXIT_OK;
      }
      if (relTime == null) {
        throw new IllegalArgumentException("--event-study needs --rel-time COL (periods since treatment start)");
      }
      Analyzed<DidAnalysis.PanelResult> a =
          DidAnalysis.panelWithEventStudy(src, did, outcome, unit, time, treatment, relTime, cluster);
      Map<String, Object> r = estimate("event-study", a.result().twoWayFixedEffects(), a);
      EventStudy es = a.result().eventStudy();
      r.put("pretrend_stat", StatsOutput.num(es.pretrend().f()));
      r.put("pretrend_df", es.pretrend().df1());
      r.put("pretrend_df_denom", StatsOutput.num(es.pretrend().df2()));
      r.put("pretrend_p", StatsOutput.num(es.pretrend().pValue()));
      r.put("pretrend_verdict", es.verdict());
      List<Map<String, Object>> coefs = new ArrayList<>();
      for (EventStudy.Period p : es.coefficients()) {
        Map<String, Object> c = StatsOutput.map();
        c.put("rel_time", p.relTime());
        c.put("reference", p.reference());
        c.put("estimate", StatsOutput.num(p.estimate()));
        c.put("std_error", StatsOutput.num(p.stdError()));
        c.put("ci_low", StatsOutput.num(p.ciLow()));
        c.put("ci_high", StatsOutput.num(p.ciHigh()));
        c.put("p_value", StatsOutput.num(p.pValue()));
        coefs.add(c);
      }
      r.put("coefficients", coefs);
      print(out, r, coefs, a.warnings());
      return Loupe.EXIT_OK;
    }
  }

  private CovarianceType covType(boolean panel) {
    if (cov == null) {
      return cluster != null || panel ? CovarianceType.CLUSTER : CovarianceType.CLASSICAL;
    }
    return switch (cov.toLowerCase(Locale.ROOT)) {
      case "classical", "nonrobust" -> CovarianceType.CLASSICAL;
      case "hc0" -> CovarianceType.HC0;
      case "hc1" -> CovarianceType.HC1;
      case "hc2" -> CovarianceType.HC2;
      case "hc3" -> CovarianceType.HC3;
      case "cluster" -> CovarianceType.CLUSTER;
      default -> throw new IllegalArgumentException(
          "--cov must be one of classical, hc0, hc1, hc2, hc3, cluster but was '" + cov + "'");
    };
  }

  private static Map<String, Object> estimate(String form, DidEstimate e, Analyzed<?> a) {
    Map<String, Object> r = StatsOutput.map();
    r.put("form", form);
    r.put("estimate", StatsOutput.num(e.estimate()));
    r.put("std_error", StatsOutput.num(e.stdError()));
    r.put("ci_low", StatsOutput.num(e.ciLow()));
    r.put("ci_high", StatsOutput.num(e.ciHigh()));
    r.put("statistic", StatsOutput.num(e.statistic()));
    r.put("p_value", StatsOutput.num(e.pValue()));
    r.put("df_resid", e.dfResid());
    r.put("df_inference", StatsOutput.num(e.dfInference()));
    r.put("n_obs", e.nObs());
    r.put("n_clusters", e.nClusters());
    r.put("cov_type", e.covType().name().toLowerCase(Locale.ROOT));
    r.put("r_squared", StatsOutput.num(e.regression().rSquared()));
    r.put("n_rows", a.rowsRead());
    if (e.means() != null) {
      r.put("mean_treated_before", e.means().treatedBefore());
      r.put("mean_treated_after", e.means().treatedAfter());
      r.put("mean_control_before", e.means().controlBefore());
      r.put("mean_control_after", e.means().controlAfter());
    }
    return r;
  }

  private void print(
      PrintWriter out, Map<String, Object> r, List<Map<String, Object>> coefs, List<String> warnings) {
    r.put("warnings", warnings);
    if (fmt.format() == Format.JSON) {
      Output.value(out, r);
      return;
    }
    if (coefs != null && fmt.format() == Format.CSV) {
      StatsOutput.rows(out, fmt.format(), coefs);
    } else {
      Object verdict = r.remove("pretrend_verdict");
      StatsOutput.flat(out, fmt.format(), r);
      if (coefs != null) {
        out.println();
        StatsOutput.rows(out, fmt.format(), coefs);
        out.println();
        out.println("pre-trend check: " + verdict);
      }
    }
    StatsOutput.warnings(out, spec.commandLine().getErr(), fmt.format(), warnings);
  }
}
