package dev.loupe.cli;

import dev.loupe.stats.bandit.AbVersusBandit;
import dev.loupe.stats.bandit.DesignOutcome;
import dev.loupe.stats.bandit.Plan;
import dev.loupe.stats.bandit.Scenario;
import dev.loupe.stats.bandit.SimulationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loupe plan ab-vs-bandit}: the seed's A/B-versus-bandit decision, measured. */
@Command(
    name = "ab-vs-bandit",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a fixed A/B/n split, a 40/20/20/20 split, epsilon-greedy, Thompson sampling and a"
          + " bandit-then-A/B hybrid by simulation, then recommend one.",
      "Example: loupe plan ab-vs-bandit --rates 0.03,0.03,0.03,0.035 --visitors-per-period 10000"
          + " --periods 4 --value 50"
    })
public final class AbVersusBanditCommand implements Callable<Integer> {

  @Mixin ScenarioOptions scenario;
  @Mixin FormatOption fmt;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--replications",
      defaultValue = "1000",
      description = "Replications per design and scenario variant (default: ${DEFAULT-VALUE}).")
  int replications;

  @Option(
      names = "--epsilon",
      defaultValue = "0.1",
      description = "Epsilon of the epsilon-greedy design (default: ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(
      names = "--requires-proof",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "The decision needs statistical proof: regulation, high stakes, p-values (default: true;"
              + " --no-requires-proof to turn off).")
  boolean requiresProof;

  @Option(
      names = "--reversible",
      defaultValue = "false",
      description = "The decision is cheap to reverse (default: false).")
  boolean reversible;

  @Option(
      names = "--stress-novelty",
      defaultValue = "0.2",
      paramLabel = "LIFT",
      description = "Novelty lift of the robustness check (default: ${DEFAULT-VALUE}).")
  double stressNovelty;

  @Option(
      names = "--stress-seasonality",
      defaultValue = "0.3",
      paramLabel = "AMPLITUDE",
      description = "Weekly seasonality amplitude of the robustness check (default: ${DEFAULT-VALUE}).")
  double stressSeasonality;

  @Override
  public Integer call() {
    Scenario s = scenario.scenario();
    AbVersusBandit design =
        AbVersusBandit.create(s)
            .withReplications(replications)
            .withSeed(scenario.seed)
            .withThreads(scenario.threads())
            .withAlpha(scenario.alpha)
            .withEpsilon(epsilon)
            .withRequiresProof(requiresProof)
            .withReversible(reversible);
    try {
      design = design.withStress(stressNovelty, stressSeasonality);
    } catch (IllegalArgumentException e) {
      // the scenario as given is valid (built above): its stress variants are not
      throw new IllegalArgumentException("the robustness check (--stress-novelty " + stressNovelty
          + ", --stress-seasonality " + stressSeasonality + "): " + e.getMessage() + "; lower them", e);
    }
    Plan plan = design.withProgress(this::progress).plan();
    PrintWriter out = spec.commandLine().getOut();
    switch (fmt.format()) {
      case JSON -> Output.value(out, json(s, plan));
      case CSV -> Output.csv(out, columns(), rows(plan));
      case TABLE -> table(out, s, plan);
    }
    return Loupe.EXIT_OK;
  }

  /** One line per simulation on stderr, so that stdout stays clean for JSON and CSV. */
  private void progress(String step) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("loupe: simulating " + step);
    err.flush();
  }

  private Map<String, Object> json(Scenario s, Plan plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", ScenarioOptions.describe(s, scenario.seed, replications));
    List<Map<String, Object>> designs = new ArrayList<>();
    for (DesignOutcome d : plan.designs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("design", d.design());
      e.putAll(BanditCommand.metrics(d.stationary()));
      e.put("share_by_period", d.stationary().shareByPeriod());
      e.put("novelty", robustness(d.underNovelty()));
      e.put("seasonality", robustness(d.underSeasonality()));
      designs.add(e);
    }
    m.put("designs", designs);
    m.put("analytic_power", BanditCommand.nullIfNaN(plan.analyticPower()));
    m.put("visitors_per_arm_for_80_power", plan.nPerArmFor80() < 0 ? null : plan.nPerArmFor80());
    m.put("periods_for_80_power", BanditCommand.nullIfNaN(plan.periodsFor80()));
    m.put("periods_for_80_power_bonferroni", BanditCommand.nullIfNaN(plan.periodsFor80Bonferroni()));
    m.put("recommendation", plan.recommendation());
    m.put("reasons", plan.reasons());
    m.put("warnings", plan.warnings());
    return m;
  }

  private static Map<String, Object> robustness(SimulationResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean_regret", BanditCommand.round(r.meanRegret()));
    m.put("p_best_at_end", r.pBestAtEnd());
    m.put("power", r.power());
    m.put("coverage", BanditCommand.nullIfNaN(r.coverage()));
    return m;
  }

  private static List<String> columns() {
    return List.of(
        "design",
        "mean_regret",
        "p05_regret",
        "p95_regret",
        "p_right_winner",
        "power",
        "ci_coverage",
        "p_decided",
        "median_decision_period",
        "p_right_winner_novelty",
        "p_right_winner_seasonality");
  }

  private static List<List<?>> rows(Plan plan) {
    List<List<?>> rows = new ArrayList<>();
    for (DesignOutcome d : plan.designs()) {
      SimulationResult r = d.stationary();
      rows.add(
          java.util.Arrays.asList(
              d.design(),
              BanditCommand.round(r.meanRegret()),
              BanditCommand.round(r.p05Regret()),
              BanditCommand.round(r.p95Regret()),
              r.pBestAtEnd(),
              r.power(),
              BanditCommand.nullIfNaN(r.coverage()),
              r.pDecided(),
              BanditCommand.nullIfNaN(r.medianDecisionPeriod()),
              d.underNovelty().pBestAtEnd(),
              d.underSeasonality().pBestAtEnd()));
    }
    return rows;
  }

  private void table(PrintWriter out, Scenario s, Plan plan) {
    List<List<?>> rows = new ArrayList<>();
    for (DesignOutcome d : plan.designs()) {
      SimulationResult r = d.stationary();
      rows.add(
          List.of(
              d.design(),
              money(r.meanRegret()),
              money(r.p05Regret()) + "-" + money(r.p95Regret()),
              pct(r.pBestAtEnd()),
              pct(r.power()),
              pct(r.coverage()),
              decision(r, s.periods()),
              pct(d.underNovelty().pBestAtEnd()),
              pct(d.underSeasonality().pBestAtEnd())));
    }
    out.printf(
        Locale.ROOT,
        "%s, %,d visitors per %s, %d %ss, %s per conversion, %s updates; %,d replications%n%n",
        java.util.Arrays.toString(s.rates()),
        s.visitorsPerPeriod(),
        s.periodName(),
        s.periods(),
        s.periodName(),
        money(s.valuePerConversion()),
        s.cadence().label(),
        replications);
    Output.table(
        out,
        List.of(
            "design",
            "regret",
            "regret p5-p95",
            "right winner",
            "power",
            "CI coverage",
            "decided by (P(best)≥95%)",
            "right winner, novelty",
            "right winner, seasonality"),
        rows);
    out.println();
    out.println("Recommendation: " + plan.recommendation());
    for (String r : plan.reasons()) {
      out.println("  - " + r);
    }
    if (!plan.warnings().isEmpty()) {
      out.println();
      out.println("Warnings:");
      for (String w : plan.warnings()) {
        out.println("  ! " + w);
      }
    }
    out.flush();
  }

  private static String decision(SimulationResult r, int periods) {
    if (Double.isNaN(r.medianDecisionPeriod())) {
      return "not within " + periods + " (" + pct(r.pDecided()) + " did)";
    }
    if (r.medianDecisionPeriod() == Math.rint(r.medianDecisionPeriod())) {
      return String.format(
          Locale.ROOT, "%.0f (%s did)", r.medianDecisionPeriod(), pct(r.pDecided()));
    }
    return String.format(Locale.ROOT, "%.1f (%s did)", r.medianDecisionPeriod(), pct(r.pDecided()));
  }

  private static String money(double x) {
    return String.format(Locale.ROOT, "$%,.0f", x);
  }

  private static String pct(double p) {
    return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * p);
  }
}
