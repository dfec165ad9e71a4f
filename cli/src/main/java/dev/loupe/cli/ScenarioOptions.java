package dev.loupe.cli;

import dev.loupe.stats.bandit.Scenario;
import dev.loupe.stats.bandit.UpdateCadence;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The scenario options shared by {@code loupe bandit simulate} and {@code loupe plan ab-vs-bandit}. */
public final class ScenarioOptions {

  @Option(
      names = "--rates",
      required = true,
      paramLabel = "R1,R2,...",
      description = "True conversion rate per arm, comma-separated; arm 1 is the control.")
  String rates;

  @Option(
      names = "--visitors-per-period",
      required = true,
      paramLabel = "N",
      description = "Visitors entering the experiment per period.")
  int visitorsPerPeriod;

  @Option(names = "--periods", required = true, paramLabel = "N", description = "Number of periods.")
  int periods;

  @Option(
      names = "--value",
      paramLabel = "MONEY",
      defaultValue = "1",
      description = "Value of one conversion (default: ${DEFAULT-VALUE}).")
  double value;

  @Option(
      names = "--update",
      paramLabel = "CADENCE",
      defaultValue = "per-visitor",
      description = "When policies learn: per-visitor, per-hour, per-day or per-period (default: ${DEFAULT-VALUE}).")
  String update;

  @Option(
      names = "--days-per-period",
      paramLabel = "N",
      defaultValue = "7",
      description = "Days in a period, for seasonality and per-day updates (default: ${DEFAULT-VALUE}).")
  int daysPerPeriod;

  @Option(
      names = "--novelty",
      paramLabel = "LIFT[:HALF_LIFE]",
      description =
          "Novelty effect: arms 2.. start LIFT better (0.2 = +20%%), halving every HALF_LIFE periods (default 1).")
  String novelty;

  @Option(
      names = "--seasonality",
      paramLabel = "AMPLITUDE",
      defaultValue = "0",
      description = "Weekly seasonality: every rate × (1 + AMPLITUDE·cos(2π·day/7)) (default: none).")
  double seasonality;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads (default: all cores); results do not depend on it.")
  Integer threads;

  @Option(
      names = "--alpha",
      defaultValue = "0.05",
      description = "Level of the end-of-test two-sided test (default: ${DEFAULT-VALUE}).")
  double alpha;

  Scenario scenario() {
    String[] parts = rates.split(",", -1);
    double[] r = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--rates: arm " + (i + 1) + " is '" + parts[i].trim() + "'; a rate must be a number in [0, 1]",
            e);
      }
    }
    Scenario s =
        Scenario.of(r, visitorsPerPeriod, periods, value)
            .withCadence(UpdateCadence.parse(update))
            .withDaysPerPeriod(daysPerPeriod)
            .withSeasonality(seasonality);
    if (novelty != null) {
      String[] n = novelty.split(":", -1);
      if (n.length > 2) {
        throw new IllegalArgumentException(
            "--novelty must be LIFT or LIFT:HALF_LIFE but was '" + novelty + "'");
      }
      s = s.withNovelty(number("--novelty lift", n[0]), n.length == 2 ? number("--novelty half-life", n[1]) : 1);
    }
    return s;
  }

  int threads() {
    return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
  }

  private static double number(String what, String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number but was '" + s.trim() + "'", e);
    }
  }

  /** The scenario as it is echoed in JSON output. */
  static Map<String, Object> describe(Scenario s, long seed, int replications) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rates", s.rates());
    m.put("visitors_per_period", s.visitorsPerPeriod());
    m.put("periods", s.periods());
    m.put("value", s.valuePerConversion());
    m.put("update", s.cadence().label());
    m.put("days_per_period", s.daysPerPeriod());
    m.put("novelty_lift", s.noveltyLift());
    m.put("novelty_half_life", s.noveltyHalfLife());
    m.put("seasonality", s.seasonalityAmplitude());
    m.put("replications", replications);
    m.put("seed", seed);
    return m;
  }
}
