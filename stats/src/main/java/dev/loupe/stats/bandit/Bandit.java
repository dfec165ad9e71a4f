package dev.loupe.stats.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A live multi-armed bandit: answers "which arm for the next visitor" and learns from outcomes.
 *
 * <pre>{@code
 * Bandit b = Bandit.create(Policy.thompson(), 4, Updates.BATCHED, new SplittableRandom(seed));
 * int arm = b.chooseArm();
 * b.record(arm, converted ? 1 : 0);
 * b.applyBatch();            // e.g. hourly; a no-op under Updates.IMMEDIATE
 * }</pre>
 *
 * <p>Thread-safe: every method holds this object's lock, so the random generator it owns and the
 * statistics are never touched by two threads at once. Arms are numbered from 0. The sequence of
 * choices is reproducible from the seed of the generator given to {@link #create} and the order
 * of calls.
 *
 * <p>Rewards: {@link Policy.BetaThompson} (also inside a {@link Policy.Hybrid}) accepts only 0
 * and 1 (conversions); {@link
 * Policy.Ucb1}'s confidence bonus assumes rewards in [0, 1]; the other policies accept any finite
 * reward.
 */
public final class Bandit {

  private final Policy policy;
  private final Updates updates;
  private final Learner learner;
  private final SplittableRandom rng;

  private Bandit(Policy policy, Updates updates, Learner learner, SplittableRandom rng) {
    this.policy = policy;
    this.updates = updates;
    this.learner = learner;
    this.rng = rng;
  }

  /**
   * A bandit over {@code arms} arms (at least 2) that draws its randomness from {@code rng}; the
   * generator becomes owned by the bandit and must not be used elsewhere.
   */
  public static Bandit create(Policy policy, int arms, Updates updates, SplittableRandom rng) {
    if (policy == null || updates == null || rng == null) {
      throw new IllegalArgumentException("policy, updates and rng must not be null");
    }
    return new Bandit(policy, updates, Learner.of(policy, arms, updates == Updates.BATCHED), rng);
  }

  public Policy policy() {
    return policy;
  }

  public Updates updates() {
    return updates;
  }

  public int arms() {
    return learner.k;
  }

  /** The arm (0-based) for the next visitor. */
  public synchronized int chooseArm() {
    return learner.choose(rng);
  }

  /** Records the outcome of showing {@code arm}; applied now or at the next batch. */
  public synchronized void record(int arm, double reward) {
    if (arm < 0 || arm >= learner.k) {
      throw new IllegalArgumentException(
          "arm must be in [0, " + (learner.k - 1) + "] but was " + arm);
    }
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite but was " + reward);
    }
    learner.validateReward(reward);
    learner.observe(arm, reward);
  }

  /** Applies the outcomes recorded since the last batch (no-op under {@link Updates#IMMEDIATE}). */
  public synchronized void applyBatch() {
    learner.commit();
  }

  /** The arm with the highest applied mean reward (ties at random), or -1 before any outcome. */
  public synchronized int leader() {
    return learner.declaredBest(rng);
  }

  /** A snapshot of every arm's statistics. */
  public synchronized List<ArmSummary> summary() {
    List<ArmSummary> out = new ArrayList<>(learner.k);
    for (int a = 0; a < learner.k; a++) {
      long n = learner.n[a];
      out.add(
          new ArmSummary(
              a, n, learner.sum[a], n == 0 ? Double.NaN : learner.sum[a] / n, learner.pending(a)));
    }
    return List.copyOf(out);
  }

  /** Package-private for tests: the learner, which the caller must lock on this bandit to use. */
  Learner learner() {
    return learner;
  }
}
