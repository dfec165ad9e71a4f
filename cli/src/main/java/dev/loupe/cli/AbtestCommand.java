package dev.loupe.cli;

import dev.loupe.experiments.analysis.AbAnalysis;
import dev.loupe.experiments.analysis.Analyzed;
import dev.loupe.experiments.analysis.DataSource;
import dev.loupe.stats.abtest.AbResult;
import dev.loupe.stats.abtest.AbTest;
import dev.loupe.stats.abtest.Comparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe abtest}: every arm against the control, with the sample-ratio check. */
@Command(
    name = "abtest",
    mixinStandardHelpOptions = true,
    description = {
      "A/B/n test: each arm against the control, corrected for multiple comparisons, with the"
          + " sample-ratio-mismatch check.",
      "Conversions: loupe abtest --counts counts.csv   (columns arm,users,conversions)",
      "Per-user metric: loupe abtest --data users.csv --arm arm --metric revenue"
          + " [--covariate pre_revenue]   (Welch; CUPED with a covariate)"
    })
public final class AbtestCommand implements Callable<Integer> {

  @Option(names = "--counts", paramLabel = "FILE",
      description = "CSV/Parquet with one row per arm: arm,users,conversions.")
  Path counts;

  @Mixin AnalysisSource source;

  @Option(names = "--arm", paramLabel = "COL", description = "Arm column of per-user rows.")
  String arm;

  @Option(names = "--metric", paramLabel = "COL", description = "Metric column of per-user rows.")
  String metric;

  @Option(names = "--covariate", paramLabel = "COL",
      description = "Pre-period covariate for CUPED variance reduction.")
  String covariate;

  @Option(names = "--control", paramLabel = "NAME",
      description = "Control arm (default: the arm named control, else the first).")
  String control;

  @Option(names = "--correction", defaultValue = "none",
      description = "none, bonferroni, holm or bh (default: ${DEFAULT-VALUE}).")
  String correction;

  @Option(names = "--expected-split", paramLabel = "ARM=W,…", split = ",",
      description = "Planned split, e.g. control=50,b=25,c=25 (default: equal).")
  List<String> expectedSplit;

  @Option(names = "--alpha", defaultValue = "0.05",
      description = "Level of the intervals (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--srm-threshold", defaultValue = "0.001",
      description = "Flag a sample-ratio mismatch below this p-value (default: ${DEFAULT-VALUE}).")
  double srmThreshold;

  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws SQLException {
    AbTest test =
        AbTest.withDefaults()
            .withAlpha(alpha)
            .withCorrection(PowerCommand.parseCorrection(correction))
            .withSrmThreshold(srmThreshold)
            .withExpectedSplit(split());
    Analyzed<AbResult> a;
    boolean perUser = arm != null || metric != null;
    if (counts != null && source.given()) {
      throw new IllegalArgumentException("give either --counts or --data/--sql, not both");
    }
    if (perUser) {
      if (arm == null || metric == null) {
        throw new IllegalArgumentException("per-user rows need both --arm COL and --metric COL");
      }
      if (counts != null) {
        throw new IllegalArgumentException("--counts takes arm,users,conversions; use --data with --arm and --metric");
      }
      try (DataSource src = source.open("--data")) {
        a = AbAnalysis.users(src, test, arm, metric, covariate, control);
      }
    } else {
      if (covariate != null) {
        throw new IllegalArgumentException("--covariate needs per-user rows: --data FILE --arm COL --metric COL");
      }
      try (DataSource src = counts != null ? DataSource.ofFile(counts) : source.open("--counts")) {
        a = AbAnalysis.counts(src, test, control);
      }
    }
    print(a);
    return Loupe.EXIT_OK;
  }

  private Map<String, Double> split() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (expectedSplit == null) {
      return m;
    }
    for (String s : expectedSplit) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--expected-split entries must look like ARM=WEIGHT but one was '" + s + "'");
      }
      String name = s.substring(0, eq).strip();
      if (m.containsKey(name)) {
        throw new IllegalArgumentException(
            "--expected-split names arm '" + name + "' twice; give one weight per arm");
      }
      try {
        m.put(name, Double.parseDouble(s.substring(eq + 1).strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--expected-split weight for '" + s.substring(0, eq) + "' must be a number but was '"
                + s.substring(eq + 1) + "'");
      }
    }
    return m;
  }

  private void print(Analyzed<AbResult> a) {
    AbResult r = a.result();
    List<Map<String, Object>> comps = new ArrayList<>();
    for (Comparison c : r.comparisons()) {
      Map<String, Object> m = StatsOutput.map();
      m.put("arm", c.arm());
      m.put("control", c.control());
      m.put("control_value", StatsOutput.num(c.controlValue()));
      m.put("arm_value", StatsOutput.num(c.armValue()));
      m.put("difference", StatsOutput.num(c.difference()));
      m.put("ci_low", StatsOutput.num(c.ciLow()));
      m.put("ci_high", StatsOutput.num(c.ciHigh()));
      m.put("statistic", StatsOutput.num(c.statistic()));
      m.put("df", StatsOutput.num(c.df()));
      m.put("p_value", StatsOutput.num(c.pValue()));
      m.put("p_adjusted", StatsOutput.num(c.pAdjusted()));
      m.put("relative_lift", StatsOutput.num(c.relativeLift()));
      m.put("relative_ci_low", StatsOutput.num(c.relativeCiLow()));
      m.put("relative_ci_high", StatsOutput.num(c.relativeCiHigh()));
      comps.add(m);
    }
    Map<String, Object> srm = StatsOutput.map();
    srm.put("chi2", StatsOutput.num(r.srm().chi2()));
    srm.put("df", r.srm().df());
    srm.put("p_value", StatsOutput.num(r.srm().pValue()));
    srm.put("threshold", r.srm().threshold());
    srm.put("flagged", r.srm().flagged());
    List<String> warnings = new ArrayList<>(a.warnings());
    for (Comparison c : r.comparisons()) {
      for (String w : c.warnings()) {
        warnings.add("arm " + c.arm() + ": " + w);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (fmt.format() == Format.JSON) {
      Map<String, Object> m = StatsOutput.map();
      m.put("metric", r.metric().name().toLowerCase(Locale.ROOT));
      m.put("test", r.metric() == AbTest.Metric.PROPORTION ? "two-proportion z" : "welch t");
      m.put("correction", correction.toLowerCase(Locale.ROOT));
      m.put("alpha", alpha);
      m.put("comparisons", comps);
      m.put("srm", srm);
      m.put("cuped_theta", StatsOutput.num(r.cupedTheta()));
      m.put("n_rows", a.rowsRead());
      m.put("n_used", a.rowsUsed());
      m.put("warnings", warnings);
      Output.value(out, m);
      return;
    }
    if (fmt.format() == Format.CSV) {
      for (Map<String, Object> m : comps) {
        m.put("srm_chi2", srm.get("chi2"));
        m.put("srm_p_value", srm.get("p_value"));
        m.put("srm_flagged", srm.get("flagged"));
      }
    }
    StatsOutput.rows(out, fmt.format(), comps);
    if (fmt.format() == Format.TABLE) {
      out.printf(
          Locale.ROOT, "%nsample ratio: chi2 = %s, df = %d, p = %s%s%n",
          StatsOutput.show(StatsOutput.num(r.srm().chi2())), r.srm().df(),
          StatsOutput.show(StatsOutput.num(r.srm().pValue())),
          r.srm().flagged() ? "  MISMATCH (p < " + r.srm().threshold() + ")" : "  ok");
      if (r.metric() == AbTest.Metric.CUPED) {
        out.printf(Locale.ROOT, "CUPED theta = %s%n", StatsOutput.show(r.cupedTheta()));
      }
    }
    StatsOutput.warnings(out, spec.commandLine().getErr(), fmt.format(), warnings);
  }
}
