/**
 * Multi-armed bandits: policies that serve live traffic, a simulator that measures them, and the
 * A/B-versus-bandit planner.
 *
 * <p>Design. A {@link dev.loupe.stats.bandit.Policy} is an immutable description; the package-
 * private {@code Learner} is its single-threaded engine (per-arm sufficient statistics: pulls,
 * reward sum, and the sum of squares where the rule reads it; the choice rule; batching of
 * updates). The live {@link
 * dev.loupe.stats.bandit.Bandit} wraps a learner in a lock; the {@link
 * dev.loupe.stats.bandit.Simulator} drives one learner per replication without locks, so the
 * code that is measured is the code that serves. Randomness always comes from a {@link
 * java.util.SplittableRandom} handed in (or from streams seeded from it), so every run is
 * reproducible from its seed.
 *
 * <p>Regret is pseudo-regret (expected conversions lost given the arms shown, not the realised
 * ones): it has no outcome noise, so the fixed split's regret is an exact number (the seed's
 * $7,500 for exercise S8), computed from the counts in decimal arithmetic.
 *
 * <p>The end-of-test comparison is the naive analysis a team would run on the data a design
 * collected: a two-sided Wald z-test and 95% interval of the best new arm against the control.
 * For adaptive designs this analysis is biased (arms starved of traffic keep their unlucky
 * estimates), which is what the reported coverage shows.
 */
package dev.loupe.stats.bandit;
