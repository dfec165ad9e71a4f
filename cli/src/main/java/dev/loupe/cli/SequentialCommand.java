package dev.loupe.cli;

import dev.loupe.stats.sequential.GroupSequential;
import dev.loupe.stats.sequential.Look;
import dev.loupe.stats.sequential.MixtureSprt;
import dev.loupe.stats.sequential.SpendingFunction;
import java.io.PrintWriter;
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

/** {@code loupe sequential}: group-sequential boundaries, or an always-valid mSPRT look. */
@Command(
    name = "sequential",
    mixinStandardHelpOptions = true,
    description = {
      "Look early without inflating false positives.",
      "Boundaries for K planned looks (Lan-DeMets alpha spending, two-sided):"
          + " loupe sequential --looks 5 --spending obrien-fleming",
      "Always-valid test at any look (mixture SPRT):"
          + " loupe sequential --always-valid --n-per-arm 4000 --difference 0.004"
          + " --variance 0.06 --tau 0.005"
    })
public final class SequentialCommand implements Callable<Integer> {

  @Option(names = "--looks", paramLabel = "K", description = "Planned looks, equally spaced.")
  Integer looks;

  @Option(names = "--information-fractions", split = ",", paramLabel = "T",
      description = "Unequally spaced looks: increasing fractions ending in 1 (e.g. 0.3,0.7,1).")
  double[] fractions;

  @Option(names = "--alpha", defaultValue = "0.05",
      description = "Two-sided significance level (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--spending", defaultValue = "obrien-fleming",
      description = "Spending function: obrien-fleming or pocock (default: ${DEFAULT-VALUE}).")
  String spending;

  @Option(names = "--always-valid",
      description = "Evaluate the mixture SPRT at one look instead of printing boundaries.")
  boolean alwaysValid;

  @Option(names = "--n-per-arm", description = "mSPRT: units per arm so far.")
  Long nPerArm;

  @Option(names = "--difference", description = "mSPRT: observed difference, treatment - control.")
  Double difference;

  @Option(names = "--variance",
      description = "mSPRT: per-unit variance of the difference, var(A) + var(B).")
  Double variance;

  @Option(names = "--tau", description = "mSPRT: mixing scale, about the effect worth detecting.")
  Double tau;

  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (alwaysValid) {
      return msprt(out);
    }
    if (nPerArm != null || difference != null || variance != null || tau != null) {
      throw new IllegalArgumentException(
          "--n-per-arm, --difference, --variance and --tau describe an always-valid look: add --always-valid"
              + " (without it the command prints group-sequential boundaries, which do not use them)");
    }
    SpendingFunction sf =
        switch (spending.toLowerCase(Locale.ROOT)) {
          case "obrien-fleming", "obf", "obrien_fleming" -> SpendingFunction.OBRIEN_FLEMING;
          case "pocock" -> SpendingFunction.POCOCK;
          default -> throw new IllegalArgumentException(
              "--spending must be obrien-fleming or pocock but was '" + spending + "'");
        };
    GroupSequential gs;
    if (fractions != null) {
      if (fractions.length == 0) {
        throw new IllegalArgumentException(
            "--information-fractions must list increasing fractions ending in 1 (e.g. 0.3,0.7,1) but was empty");
      }
      if (looks != null && looks != fractions.length) {
        throw new IllegalArgumentException(
            "--looks " + looks + " disagrees with the " + fractions.length
                + " --information-fractions");
      }
      gs = GroupSequential.of(fractions.length).withInformationFractions(fractions);
    } else {
      if (looks == null) {
        throw new IllegalArgumentException("--looks is required (number of planned looks, 1-50)");
      }
      gs = GroupSequential.of(looks);
    }
    gs = gs.withAlpha(alpha).withSpending(sf);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Look l : gs.boundaries()) {
      Map<String, Object> r = StatsOutput.map();
      r.put("look", l.look());
      r.put("information_fraction", l.informationFraction());
      r.put("critical_z", l.criticalZ());
      r.put("nominal_alpha", l.nominalAlpha());
      r.put("alpha_spent", l.alphaSpent());
      r.put("cumulative_alpha", l.cumulativeAlpha());
      rows.add(r);
    }
    if (fmt.format() == Format.JSON) {
      Map<String, Object> r = StatsOutput.map();
      r.put("alpha", alpha);
      r.put("spending", sf == SpendingFunction.POCOCK ? "pocock" : "obrien-fleming");
      r.put("looks", rows);
      r.put("warnings", List.of());
      Output.value(out, r);
    } else {
      StatsOutput.rows(out, fmt.format(), rows);
    }
    return Loupe.EXIT_OK;
  }

  private int msprt(PrintWriter out) {
    if (nPerArm == null || difference == null || variance == null || tau == null) {
      throw new IllegalArgumentException(
          "--always-valid needs --n-per-arm, --difference, --variance and --tau");
    }
    MixtureSprt.State s = MixtureSprt.withMixingScale(tau).withAlpha(alpha).at(nPerArm, difference, variance);
    Map<String, Object> r = StatsOutput.map();
    r.put("method", "mixture-sprt");
    r.put("n_per_arm", nPerArm);
    r.put("difference", difference);
    r.put("tau", tau);
    r.put("alpha", alpha);
    r.put("log_likelihood_ratio", s.logLikelihoodRatio());
    r.put("p_value", s.pValue());
    r.put("ci_low", s.ciLow());
    r.put("ci_high", s.ciHigh());
    r.put("reject", s.reject());
    r.put("warnings", List.of());
    StatsOutput.flat(out, fmt.format(), r);
    return Loupe.EXIT_OK;
  }
}
