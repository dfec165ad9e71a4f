package dev.loupe.stats.bandit;

import java.util.List;

/**
 * What a policy did in a scenario, over all replications.
 *
 * <ul>
 *   <li>Regret (money): pseudo-regret Σ<sub>visitors</sub> (best rate that day − rate of the arm
 *       shown) × value per conversion, computed exactly from the counts (decimal arithmetic);
 *       mean, its Monte Carlo standard error, and the 5th, 50th, 95th percentiles (linear
 *       interpolation between order statistics, numpy's default). {@code meanRegretByPeriod} is
 *       the mean cumulative regret at the end of each period.
 *   <li>{@code pBestAtEnd}: share of replications where the arm with the highest observed
 *       conversion rate at the end (for the hybrid: of its two finalists) is the true best.
 *   <li>{@code shareByPeriod[p][a]}: mean share of period p's visitors shown arm a.
 *   <li>{@code power}: share of replications where the end-of-test two-sided Wald z-test of the
 *       treatment arm ({@link Scenario#treatmentArm()}) against the control (arm 0), on all data
 *       the design collected, rejects at level α in the direction of the true difference (when
 *       the true difference is 0, in either direction: the false-positive rate). {@code coverage}:
 *       share of replications where the naive Wald interval p̂<sub>T</sub> − p̂<sub>C</sub> ± z·SE
 *       covers the true long-run difference. A replication in which either arm got no visitors
 *       has no test: it counts as not rejecting, and is left out of the coverage (see {@code
 *       untestable}).
 *   <li>Decision: at the end of each period, the arm with the highest posterior mean under
 *       Beta(1, 1) priors is the leader; the design "decides" the first time the leader's
 *       posterior probability of being best reaches the threshold (normal approximation of the
 *       Beta posteriors, integrated numerically). {@code pDecided}: share of replications that
 *       decide within the horizon; {@code medianDecisionPeriod}: the median period of decision
 *       counting undecided replications as never (NaN if fewer than half decide).
 * </ul>
 */
public record SimulationResult(
    String policy,
    int replications,
    double meanRegret,
    double regretStandardError,
    double p05Regret,
    double p50Regret,
    double p95Regret,
    List<Double> meanRegretByPeriod,
    double pBestAtEnd,
    List<List<Double>> shareByPeriod,
    double power,
    double coverage,
    int untestable,
    double pDecided,
    double medianDecisionPeriod,
    double meanConversions) {

  public SimulationResult {
    meanRegretByPeriod = List.copyOf(meanRegretByPeriod);
    shareByPeriod = shareByPeriod.stream().map(List::copyOf).toList();
  }
}
