package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BanditTest {

  @Test
  void betaThompson_posteriorDraws_followBetaDistribution() {
    // 7 conversions out of 120 visitors: the posterior under a Beta(1, 1) prior is Beta(8, 114).
    double[] draws = posteriorDrawsAfterSevenOf120();
    BetaDistribution posterior = BetaDistribution.of(8, 114);
    double p = Ks.pValue(draws, posterior);
    assertThat(p).as("KS p-value against Beta(8, 114)").isGreaterThan(0.001);
    double mean = java.util.Arrays.stream(draws).average().orElseThrow();
    assertThat(mean).isCloseTo(posterior.getMean(), Offset.offset(4 * Math.sqrt(posterior.getVariance() / draws.length)));
  }

  /** 20,000 posterior draws of arm 1 after 7 conversions out of 120 visitors. */
  private static double[] posteriorDrawsAfterSevenOf120() {
    Bandit b = Bandit.create(Policy.thompson(), 2, Updates.IMMEDIATE, new SplittableRandom(3));
    for (int i = 0; i < 120; i++) {
      b.record(1, i < 7 ? 1 : 0);
    }
    Learner.BetaThompson learner = (Learner.BetaThompson) b.learner();
    SplittableRandom rng = new SplittableRandom(11);
    double[] draws = new double[20_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = learner.sample(1, rng);
    }
    return draws;
  }

  @Test
  void betaThompson_wrongPosterior_isDetectedByTheSameCheck() {
    // The check above can fail: the same draws are far from Beta(7, 114) (an off-by-one prior).
    double[] draws = posteriorDrawsAfterSevenOf120();
    BetaDistribution wrong = BetaDistribution.of(7, 114);
    double p = Ks.pValue(draws, wrong);
    assertThat(p).isLessThan(1e-6);
  }

  @Test
  void betaThompson_posteriorDraws_followBetaDistributionFromNoDataToLargeCounts() {
    // No data (the uniform Beta(1, 1)), a few conversions, and S8-sized counts: 300 conversions in
    // 10,000 visitors, Beta(301, 9701), where both Gamma draws take the quick squeeze nearly
    // always; and beyond the table of integer shapes, Beta(2001, 98001).
    int[][] data = {{0, 0}, {1, 9}, {300, 9_700}, {2_000, 98_000}}; // successes, failures
    for (int[] sf : data) {
      Bandit b = Bandit.create(Policy.thompson(), 2, Updates.IMMEDIATE, new SplittableRandom(3));
      for (int i = 0; i < sf[0] + sf[1]; i++) {
        b.record(1, i < sf[0] ? 1 : 0);
      }
      Learner.BetaThompson learner = (Learner.BetaThompson) b.learner();
      SplittableRandom rng = new SplittableRandom(13);
      double[] draws = new double[40_000];
      double sum = 0;
      for (int i = 0; i < draws.length; i++) {
        draws[i] = learner.sample(1, rng);
        sum += draws[i];
      }
      BetaDistribution posterior = BetaDistribution.of(1 + sf[0], 1 + sf[1]);
      double p = Ks.pValue(draws, posterior);
      assertThat(p).as("KS p-value against %s", posterior).isGreaterThan(0.001);
      assertThat(sum / draws.length)
          .as("mean of draws from %s", posterior)
          .isCloseTo(posterior.getMean(), Offset.offset(4 * Math.sqrt(posterior.getVariance() / draws.length)));
    }
  }

  @Test
  void betaThompson_choiceFrequencies_matchPosteriorProbabilityOfBeingBest() {
    // Six arms, posteriors Beta(4, 60), Beta(6, 70), Beta(3, 30), Beta(5, 51), Beta(2, 21),
    // Beta(7, 81): small counts, where arms use the cube method and the Gamma ratio side by side.
    int[][] data = {{3, 59}, {5, 69}, {2, 29}, {4, 50}, {1, 20}, {6, 80}}; // successes, failures
    assertSharesAreProbabilitiesOfBeingBest(data, 5, 60_000, 0, 1);
  }

  @Test
  void betaThompson_choiceFrequenciesAtS8Posteriors_matchPosteriorProbabilityOfBeingBest() {
    // S8 after 10,000 visitors per arm: every draw takes the cube method (nearly all its squeeze,
    // the rest its exact test).
    int[][] data = {{300, 9_700}, {310, 9_690}, {290, 9_710}, {350, 9_650}};
    assertSharesAreProbabilitiesOfBeingBest(data, 7, 1_000_000, 0.015, 0.06);
  }

  @Test
  void betaThompson_choiceFrequenciesAtHighRates_matchPosteriorProbabilityOfBeingBest() {
    // Rates near 40%: every arm draws by the Gamma ratio, so the choice takes its own loop.
    int[][] data = {{40, 60}, {44, 56}, {37, 63}};
    assertSharesAreProbabilitiesOfBeingBest(data, 9, 400_000, 0, 1);
  }

  /**
   * Thompson sampling plays arm i with probability P(X_i = max): records {@code data}
   * (successes, failures per arm) into a bandit seeded with {@code seed}, makes {@code n} choices
   * and compares each arm's share, within 4 standard errors, with that probability, computed by
   * numerical integration over (lo, hi) of Commons Statistics' Beta density and distribution
   * functions.
   */
  private static void assertSharesAreProbabilitiesOfBeingBest(
      int[][] data, long seed, int n, double lo, double hi) {
    int k = data.length;
    Bandit b = Bandit.create(Policy.thompson(), k, Updates.IMMEDIATE, new SplittableRandom(seed));
    BetaDistribution[] post = new BetaDistribution[k];
    for (int a = 0; a < k; a++) {
      for (int i = 0; i < data[a][0] + data[a][1]; i++) {
        b.record(a, i < data[a][0] ? 1 : 0);
      }
      post[a] = BetaDistribution.of(1 + data[a][0], 1 + data[a][1]);
    }
    int[] chosen = new int[k];
    for (int i = 0; i < n; i++) {
      chosen[b.chooseArm()]++;
    }
    for (int a = 0; a < k; a++) {
      double pBest = probabilityBest(post, a, lo, hi);
      double se = Math.sqrt(pBest * (1 - pBest) / n);
      assertThat((double) chosen[a] / n).as("share of arm %d", a).isCloseTo(pBest, Offset.offset(4 * se));
    }
  }

  /** P(X_arm is the largest), integrated over (lo, hi), outside which the densities vanish. */
  private static double probabilityBest(BetaDistribution[] post, int arm, double lo, double hi) {
    int steps = 20_000;
    double h = (hi - lo) / steps;
    double total = 0;
    for (int i = 1; i < steps; i++) {
      double x = lo + i * h;
      double f = post[arm].density(x);
      for (int j = 0; j < post.length; j++) {
        if (j != arm) {
          f *= post[j].cumulativeProbability(x);
        }
      }
      total += f;
    }
    return total * h;
  }

  @Test
  void gaussianThompson_posteriorDraws_followScaledStudentT() {
    Bandit b = Bandit.create(Policy.gaussianThompson(), 2, Updates.IMMEDIATE, new SplittableRandom(1));
    double[] rewards = {12.5, 9.0, 14.25, 11.0, 7.5, 13.0};
    double[] other = {3.0, 5.0, 4.0};
    for (double r : rewards) {
      b.record(0, r);
    }
    for (double r : other) {
      b.record(1, r);
    }
    // Pooled within-arm variance with 9 − 2 = 7 df; arm 0's mean: x̄ + s/√6 · t(7).
    double s2 = (sumOfSquares(rewards) + sumOfSquares(other)) / 7;
    double mean = java.util.Arrays.stream(rewards).average().orElseThrow();
    double scale = Math.sqrt(s2 / 6);
    TDistribution t = TDistribution.of(7);
    Learner.GaussianThompson learner = (Learner.GaussianThompson) b.learner();
    assertThat(learner.pooledVariance()).isCloseTo(s2, Offset.offset(1e-9));
    SplittableRandom rng = new SplittableRandom(2);
    double[] draws = new double[20_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = learner.sampleMean(0, learner.drawVariance(rng), rng);
    }
    double p =
        KolmogorovSmirnovTest.withDefaults()
            .test(draws, x -> t.cumulativeProbability((x - mean) / scale))
            .getPValue();
    assertThat(p).as("KS p-value against mean + scale·t(7)").isGreaterThan(0.001);
  }

  private static double sumOfSquares(double[] x) {
    double m = java.util.Arrays.stream(x).average().orElseThrow();
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return ss;
  }

  @Test
  void gaussianThompson_conversionsWithEarlyZeros_doesNotFreezeOnOneArm() {
    // Regression: with a per-arm variance, arms whose first rewards were all 0 had a (nearly)
    // point-mass posterior at 0 and were never played again.
    Scenario s = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 10_000, 4, 50);
    SimulationResult r = Simulator.create(s).withReplications(40).run(Policy.gaussianThompson());
    assertThat(r.meanRegret()).isLessThan(7500);
    assertThat(r.p95Regret()).isLessThan(9000);
    assertThat(r.shareByPeriod().get(0).get(0)).isLessThan(0.5);
  }

  @Test
  void ucb1_afterEachArmOnce_playsHighestUpperConfidenceBound() {
    // Arm 0: 1 pull, reward 0 → index 0 + √(2 ln 12 / 1) = 2.229; arm 1: 10 pulls, mean 0.9 →
    // 0.9 + √(2 ln 12 / 10) = 1.605; arm 2: 1 pull, reward 1 → 1 + 2.229 = 3.229 (the winner).
    Bandit b = Bandit.create(Policy.ucb1(), 3, Updates.IMMEDIATE, new SplittableRandom(1));
    b.record(0, 0);
    for (int i = 0; i < 10; i++) {
      b.record(1, i < 9 ? 1 : 0);
    }
    assertThat(b.chooseArm()).as("untried arm first").isEqualTo(2);
    b.record(2, 1);
    assertThat(b.chooseArm()).isEqualTo(2);
    b.record(2, 0);
    b.record(2, 0);
    b.record(2, 0); // arm 2: mean 0.25 over 4 → 0.25 + √(2 ln 15 / 4) = 1.414; arm 0: 2.327
    assertThat(b.chooseArm()).isEqualTo(0);
  }

  @Test
  void epsilonGreedy_epsilonZero_exploitsAndBreaksTiesAtRandom() {
    Bandit b = Bandit.create(Policy.epsilonGreedy(0), 3, Updates.IMMEDIATE, new SplittableRandom(9));
    b.record(0, 1);
    b.record(1, 1);
    b.record(2, 0);
    int[] chosen = new int[3];
    for (int i = 0; i < 4000; i++) {
      chosen[b.chooseArm()]++;
    }
    assertThat(chosen[2]).isZero();
    assertThat(chosen[0]).isBetween(1800, 2200);
  }

  @Test
  void epsilonGreedy_epsilonOne_isUniform() {
    Bandit b = Bandit.create(Policy.epsilonGreedy(1), 4, Updates.IMMEDIATE, new SplittableRandom(9));
    b.record(3, 1);
    int[] chosen = new int[4];
    for (int i = 0; i < 40_000; i++) {
      chosen[b.chooseArm()]++;
    }
    for (int a = 0; a < 4; a++) {
      assertThat(chosen[a]).isBetween(10_000 - 4 * 87, 10_000 + 4 * 87);
    }
  }

  @Test
  void fixedAllocation_weighted40_20_20_20_givesExactSharesInEveryCycle() {
    Bandit b =
        Bandit.create(Policy.weightedSplit(0.4, 0.2, 0.2, 0.2), 4, Updates.IMMEDIATE, new SplittableRandom(1));
    int[] chosen = new int[4];
    for (int i = 0; i < 10_000; i++) {
      chosen[b.chooseArm()]++;
      if ((i + 1) % 5 == 0) {
        assertThat(chosen).containsExactly((i + 1) / 5 * 2, (i + 1) / 5, (i + 1) / 5, (i + 1) / 5);
      }
    }
  }

  @Test
  void batched_choicesIgnoreOutcomesUntilApplied() {
    Bandit b = Bandit.create(Policy.ucb1(), 2, Updates.BATCHED, new SplittableRandom(1));
    for (int i = 0; i < 50; i++) {
      assertThat(b.chooseArm()).as("nothing applied yet: UCB1 keeps playing its first untried arm").isZero();
      b.record(0, 1);
    }
    assertThat(b.summary().get(0).pulls()).isZero();
    assertThat(b.summary().get(0).pendingPulls()).isEqualTo(50);
    b.applyBatch();
    assertThat(b.summary().get(0).pulls()).isEqualTo(50);
    assertThat(b.summary().get(0).mean()).isEqualTo(1.0);
    assertThat(b.chooseArm()).isEqualTo(1);
  }

  @Test
  void sameSeed_sameChoices() {
    for (Policy p : List.of(Policy.thompson(), Policy.epsilonGreedy(0.2), Policy.gaussianThompson())) {
      assertThat(choices(p, 42)).as(p.name()).isEqualTo(choices(p, 42)).isNotEqualTo(choices(p, 43));
    }
  }

  private static List<Integer> choices(Policy p, long seed) {
    Bandit b = Bandit.create(p, 3, Updates.IMMEDIATE, new SplittableRandom(seed));
    SplittableRandom world = new SplittableRandom(100);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int a = b.chooseArm();
      out.add(a);
      b.record(a, world.nextDouble() < 0.1 * (a + 1) ? 1 : 0);
    }
    return out;
  }

  @Test
  void concurrentUse_everyOutcomeIsCounted() throws InterruptedException {
    Bandit b = Bandit.create(Policy.thompson(), 4, Updates.IMMEDIATE, new SplittableRandom(1));
    int threads = 4;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> pool = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                SplittableRandom world = new SplittableRandom(id);
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  int a = b.chooseArm();
                  b.record(a, world.nextDouble() < 0.05 ? 1 : 0);
                }
              });
      th.start();
      pool.add(th);
    }
    start.countDown();
    for (Thread th : pool) {
      th.join();
    }
    long pulls = b.summary().stream().mapToLong(ArmSummary::pulls).sum();
    assertThat(pulls).isEqualTo((long) threads * each);
  }

  @Test
  void record_badInput_messageNamesFieldValueAndRule() {
    Bandit b = Bandit.create(Policy.thompson(), 3, Updates.IMMEDIATE, new SplittableRandom(1));
    assertThatThrownBy(() -> b.record(3, 1)).hasMessage("arm must be in [0, 2] but was 3");
    assertThatThrownBy(() -> b.record(0, Double.NaN)).hasMessage("reward must be finite but was NaN");
    assertThatThrownBy(() -> b.record(0, 0.5))
        .hasMessage("reward for Beta-Bernoulli Thompson sampling must be 0 or 1 but was 0.5");
    Bandit hybrid = Bandit.create(Policy.hybrid(Policy.thompson(), 100), 3, Updates.IMMEDIATE, new SplittableRandom(1));
    assertThatThrownBy(() -> hybrid.record(0, 2))
        .hasMessage("reward for Beta-Bernoulli Thompson sampling must be 0 or 1 but was 2.0");
    assertThatThrownBy(() -> Bandit.create(Policy.ucb1(), 1, Updates.IMMEDIATE, new SplittableRandom(1)))
        .hasMessage("arms must be >= 2 but was 1");
    assertThatThrownBy(
            () -> Bandit.create(Policy.weightedSplit(0.5, 0.5), 3, Updates.IMMEDIATE, new SplittableRandom(1)))
        .hasMessage("weights must give one weight per arm (3 arms) but gave 2: [0.5, 0.5]");
  }

  @Test
  void parse_badPolicies_messageNamesFieldValueAndRule() {
    assertThatThrownBy(() -> Policy.parse("epsilon-greedy:1.5")).hasMessage("epsilon must be in [0, 1] but was 1.5");
    assertThatThrownBy(() -> Policy.parse("epsilon-greedy:-0.1")).hasMessage("epsilon must be in [0, 1] but was -0.1");
    assertThatThrownBy(() -> Policy.parse("epsilon-greedy:NaN")).hasMessage("epsilon must be in [0, 1] but was NaN");
    assertThatThrownBy(() -> Policy.parse("epsilon-greedy:x"))
        .hasMessage("policy 'epsilon-greedy:x': epsilon must be a number but was 'x'");
    assertThatThrownBy(() -> Policy.parse("softmax"))
        .hasMessageContaining("policy must be one of ab, weighted:W1,W2,..., epsilon-greedy:EPSILON")
        .hasMessageEndingWith("but was 'softmax'");
    assertThatThrownBy(() -> Policy.parse("weighted:0.5,-1"))
        .hasMessage("weight of arm 2 must be finite and >= 0 but was -1.0");
    assertThatThrownBy(() -> Policy.parse("ucb1:2")).hasMessage("policy 'ucb1:2' takes no ':' argument");
  }

  @Test
  void parse_names_roundTrip() {
    for (String s : List.of("ab", "weighted:0.4,0.2,0.2,0.2", "epsilon-greedy:0.1", "epsilon-decay:50.0", "ucb1", "thompson", "thompson-gaussian")) {
      assertThat(Policy.parse(s).name()).isEqualTo(s);
      assertThat(Policy.parse(Policy.parse(s).name())).isEqualTo(Policy.parse(s));
    }
  }
}
