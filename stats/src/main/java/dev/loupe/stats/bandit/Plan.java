package dev.loupe.stats.bandit;

import java.util.List;

/**
 * The A/B-versus-bandit comparison and its recommendation.
 *
 * <p>{@code analyticPower} is the power of the fixed equal split's final test (treatment vs
 * control, α, no multiplicity correction) from {@link dev.loupe.stats.power.Power};
 * {@code periodsFor80} and {@code periodsFor80Bonferroni} are the periods of traffic the equal
 * split needs for 80% power without and with a Bonferroni correction for the K − 1 comparisons
 * (NaN when the treatment and control rates are equal, or a rate is 0 or 1).
 */
public record Plan(
    List<DesignOutcome> designs,
    String recommendation,
    List<String> reasons,
    List<String> warnings,
    double analyticPower,
    long nPerArmFor80,
    double periodsFor80,
    double periodsFor80Bonferroni) {

  public Plan {
    designs = List.copyOf(designs);
    reasons = List.copyOf(reasons);
    warnings = List.copyOf(warnings);
  }
}
