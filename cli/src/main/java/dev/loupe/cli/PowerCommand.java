package dev.loupe.cli;

import dev.loupe.stats.multiple.Correction;
import dev.loupe.stats.power.Power;
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

/** {@code loupe power}: power at a sample size, and the sample size for a target power. */
@Command(
    name = "power",
    mixinStandardHelpOptions = true,
    description = {
      "Power and sample size of a two-sided test of each treatment arm against the control.",
      "Proportions: --baseline 0.03 --mde 0.005 (absolute). Means: --sd 12 --mde 1.5.",
      "Example: loupe power --baseline 0.03 --mde 0.005 --n-per-arm 10000"
    })
public final class PowerCommand implements Callable<Integer> {

  @Option(names = "--baseline", paramLabel = "P", description = "Control conversion rate in (0, 1).")
  Double baseline;

  @Option(names = "--sd", paramLabel = "S",
      description = "Standard deviation of a continuous metric (switches to a test of means).")
  Double sd;

  @Option(names = "--mde", paramLabel = "D", required = true,
      description = "Minimum detectable effect: absolute difference (0.005 = half a point).")
  double mde;

  @Option(names = "--n-per-arm", paramLabel = "N", description = "Units per arm, for the power.")
  Long nPerArm;

  @Option(names = "--power", paramLabel = "POWER", defaultValue = "0.8",
      description = "Target power, for the sample size (default: ${DEFAULT-VALUE}).")
  double targetPower;

  @Option(names = "--alpha", defaultValue = "0.05",
      description = "Significance level, family-wise with a correction (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--arms", paramLabel = "K", defaultValue = "2",
      description = "Arms including the control (default: ${DEFAULT-VALUE}).")
  int arms;

  @Option(names = "--correction", defaultValue = "none",
      description = "Multiple-comparison correction over the K-1 comparisons: none, bonferroni,"
          + " holm, bh (default: ${DEFAULT-VALUE}); all but none plan at alpha/(K-1).")
  String correction;

  @Option(names = "--visitors-per-week", paramLabel = "V",
      description = "Units entering the experiment per week (all arms together).")
  Double visitorsPerWeek;

  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Correction corr = parseCorrection(correction);
    Power p;
    if (sd != null) {
      p = Power.means(sd, mde);
    } else {
      if (baseline == null) {
        throw new IllegalArgumentException(
            "--baseline is required for conversion rates (or give --sd for a continuous metric)");
      }
      p = Power.proportions(baseline, mde);
    }
    p = p.withAlpha(alpha).withArms(arms).withCorrection(corr);
    List<String> warnings = new ArrayList<>();
    Map<String, Object> r = StatsOutput.map();
    r.put("metric", p.metric().name().toLowerCase(Locale.ROOT));
    if (baseline != null) {
      r.put("baseline", baseline);
    }
    if (sd != null) {
      r.put("sd", sd);
    }
    r.put("mde", mde);
    r.put("alpha", alpha);
    r.put("arms", arms);
    r.put("correction", correction.toLowerCase(Locale.ROOT));
    r.put("comparison_alpha", p.comparisonAlpha());
    r.put("n_per_arm_given", nPerArm);
    if (nPerArm != null) {
      r.put("power", p.power(nPerArm));
    } else {
      r.put("power", null);
      warnings.add("power is null: give --n-per-arm to compute the power at a sample size");
    }
    r.put("target_power", targetPower);
    long n = p.nPerArm(targetPower);
    r.put("n_per_arm", n);
    long total;
    try {
      total = Math.multiplyExact(n, (long) arms);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "--mde " + mde + " with --arms " + arms + " needs " + n + " units per arm, and n_total = "
              + n + " × " + arms + " exceeds " + Long.MAX_VALUE + "; plan a larger --mde or fewer --arms");
    }
    r.put("n_total", total);
    if (visitorsPerWeek != null) {
      r.put("visitors_per_week", visitorsPerWeek);
      r.put("weeks", p.weeks(targetPower, visitorsPerWeek));
    }
    r.put("warnings", warnings);
    PrintWriter out = spec.commandLine().getOut();
    StatsOutput.flat(out, fmt.format(), r);
    StatsOutput.warnings(out, spec.commandLine().getErr(), fmt.format(), warnings);
    return Loupe.EXIT_OK;
  }

  static Correction parseCorrection(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "none" -> Correction.NONE;
      case "bonferroni" -> Correction.BONFERRONI;
      case "holm" -> Correction.HOLM;
      case "bh", "benjamini-hochberg" -> Correction.BENJAMINI_HOCHBERG;
      default -> throw new IllegalArgumentException(
          "--correction must be one of none, bonferroni, holm, bh but was '" + s + "'");
    };
  }
}
