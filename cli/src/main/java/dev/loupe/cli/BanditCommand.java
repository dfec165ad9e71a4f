package dev.loupe.cli;

import dev.loupe.stats.bandit.Policy;
import dev.loupe.stats.bandit.Scenario;
import dev.loupe.stats.bandit.SimulationResult;
import dev.loupe.stats.bandit.Simulator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loupe bandit …}: multi-armed bandit policies. */
@Command(
    name = "bandit",
    mixinStandardHelpOptions = true,
    description = "Multi-armed bandits: simulate policies before serving them.",
    subcommands = {BanditCommand.Simulate.class})
public final class BanditCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a bandit command is required");
  }

  /** {@code loupe bandit simulate}. */
  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = {
        "Simulate a policy in a scenario: regret (money), its spread, P(right winner), traffic"
            + " share per period, power and coverage of the end-of-test comparison.",
        "Example: loupe bandit simulate --rates 0.03,0.03,0.03,0.035 --visitors-per-period 10000"
            + " --periods 4 --value 50 --policy thompson"
      })
  public static final class Simulate implements Callable<Integer> {

    @Mixin ScenarioOptions scenario;
    @Mixin FormatOption fmt;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--policy",
        required = true,
        paramLabel = "POLICY",
        description =
            "ab | weighted:W1,W2,... | epsilon-greedy:EPSILON | epsilon-decay:C | ucb1 | thompson"
                + " | thompson-gaussian | hybrid[:PERIODS] (Thompson for PERIODS periods, default"
                + " half, then an equal split of the top two)")
    String policy;

    @Option(
        names = "--replications",
        defaultValue = "2000",
        description = "Independent replications (default: ${DEFAULT-VALUE}).")
    int replications;

    @Override
    public Integer call() {
      Scenario s = scenario.scenario();
      Policy p = parsePolicy(policy, s);
      SimulationResult r =
          Simulator.create(s)
              .withReplications(replications)
              .withSeed(scenario.seed)
              .withThreads(scenario.threads())
              .withAlpha(scenario.alpha)
              .run(p);
      print(spec.commandLine().getOut(), fmt.format(), s, r);
      return Loupe.EXIT_OK;
    }

    static Policy parsePolicy(String text, Scenario s) {
      String t = text.trim();
      if (!t.toLowerCase(java.util.Locale.ROOT).startsWith("hybrid")) {
        return Policy.parse(t);
      }
      int periods = Math.max(1, s.periods() / 2);
      if (t.length() > "hybrid".length()) {
        String arg = t.substring("hybrid".length());
        if (!arg.startsWith(":")) {
          return Policy.parse(t); // unknown name: Policy.parse says what is allowed
        }
        try {
          periods = Integer.parseInt(arg.substring(1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "policy '" + t + "': hybrid exploration periods must be a whole number but was '"
                  + arg.substring(1).trim() + "'", e);
        }
        if (periods < 0 || periods > s.periods()) {
          throw new IllegalArgumentException(
              "policy '" + t + "': hybrid exploration periods must be in [0, " + s.periods()
                  + "] but was " + periods);
        }
      }
      return Policy.hybrid(Policy.thompson(), (long) periods * s.visitorsPerPeriod());
    }

    private void print(PrintWriter out, Format format, Scenario s, SimulationResult r) {
      if (format == Format.JSON) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", ScenarioOptions.describe(s, scenario.seed, replications));
        m.putAll(metrics(r));
        m.put("share_by_period", r.shareByPeriod());
        Output.value(out, m);
        return;
      }
      List<List<?>> rows = new ArrayList<>();
      for (Map.Entry<String, Object> e : metrics(r).entrySet()) {
        if (!(e.getValue() instanceof List)) {
          rows.add(List.of(e.getKey(), e.getValue() == null ? "n/a" : e.getValue()));
        }
      }
      if (format == Format.CSV) {
        for (int p = 0; p < r.shareByPeriod().size(); p++) {
          for (int a = 0; a < s.arms(); a++) {
            rows.add(List.of("share_period" + (p + 1) + "_arm" + (a + 1), r.shareByPeriod().get(p).get(a)));
          }
        }
        Output.csv(out, List.of("metric", "value"), rows);
        return;
      }
      Output.table(out, List.of("metric", "value"), rows);
      out.println();
      out.println("Traffic share by period:");
      List<String> cols = new ArrayList<>();
      cols.add("period");
      for (int a = 0; a < s.arms(); a++) {
        cols.add("arm " + (a + 1));
      }
      List<List<?>> share = new ArrayList<>();
      for (int p = 0; p < r.shareByPeriod().size(); p++) {
        List<Object> row = new ArrayList<>();
        row.add(p + 1);
        for (double x : r.shareByPeriod().get(p)) {
          row.add(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * x));
        }
        share.add(row);
      }
      Output.table(out, cols, share);
    }
  }

  /** The metrics of one result, NaN as null, keyed as in the JSON contract. */
  static Map<String, Object> metrics(SimulationResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", r.policy());
    m.put("mean_regret", round(r.meanRegret()));
    m.put("regret_standard_error", round(r.regretStandardError()));
    m.put("p05_regret", round(r.p05Regret()));
    m.put("p50_regret", round(r.p50Regret()));
    m.put("p95_regret", round(r.p95Regret()));
    m.put("mean_regret_by_period", r.meanRegretByPeriod().stream().map(BanditCommand::round).toList());
    m.put("p_best_at_end", nullIfNaN(r.pBestAtEnd()));
    m.put("power", nullIfNaN(r.power()));
    m.put("coverage", nullIfNaN(r.coverage()));
    m.put("untestable_replications", r.untestable());
    m.put("p_decided", nullIfNaN(r.pDecided()));
    m.put("median_decision_period", nullIfNaN(r.medianDecisionPeriod()));
    m.put("mean_conversions", round(r.meanConversions()));
    return m;
  }

  /** Money and counts to cents: the exact regrets (e.g. 7500) print without float noise. */
  static Double round(double x) {
    return Double.isFinite(x) ? Math.round(x * 100) / 100.0 : null;
  }

  static Double nullIfNaN(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
