package dev.loupe.stats.bandit;

/**
 * One arm's statistics as the policy sees them: {@code pulls} and {@code rewardSum} include only
 * applied outcomes; {@code pendingPulls} are outcomes recorded but not yet applied (batched
 * updates). {@code mean} is {@code rewardSum / pulls}, NaN for an arm never pulled.
 */
public record ArmSummary(int arm, long pulls, double rewardSum, double mean, long pendingPulls) {}
