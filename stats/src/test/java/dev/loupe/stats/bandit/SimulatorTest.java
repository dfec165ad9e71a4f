package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.power.Power;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  /** Seed exercise S8: four checkout flows, 10,000 visitors a week, 4 weeks, $50 a conversion. */
  static final Scenario SEED = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 10_000, 4, 50);

  @Test
  void run_equalSplitSeedScenario_regretIsExactly7500() {
    // 30,000 visitors to arms 0.5 points worse × $50 = $7,500, the seed's figure, in every replication.
    SimulationResult r = Simulator.create(SEED).withReplications(200).run(Policy.equalSplit());
    assertThat(r.meanRegret()).isEqualTo(7500.0);
    assertThat(List.of(r.p05Regret(), r.p50Regret(), r.p95Regret())).containsOnly(7500.0);
    assertThat(r.regretStandardError()).isZero();
    assertThat(r.meanRegretByPeriod()).containsExactly(1875.0, 3750.0, 5625.0, 7500.0);
    for (List<Double> period : r.shareByPeriod()) {
      assertThat(period).containsExactly(0.25, 0.25, 0.25, 0.25);
    }
  }

  @Test
  void run_weighted40OnBestArm_regretIsExactly6000() {
    SimulationResult r =
        Simulator.create(SEED).withReplications(50).run(Policy.weightedSplit(0.2, 0.2, 0.2, 0.4));
    assertThat(r.meanRegret()).isEqualTo(6000.0);
    assertThat(r.shareByPeriod().get(3)).containsExactly(0.2, 0.2, 0.2, 0.4);
  }

  @Test
  void run_equalSplitUnderSeasonality_regretIsThatOfTheLongRunRates() {
    // Every arm moves alike and the weekly cosine averages to 1 over each week; with 7,000
    // visitors a week (1,000 a day) the equal split's regret is 21,000 × 0.005 × $50 = $5,250.
    Scenario s = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 7_000, 4, 50);
    SimulationResult r =
        Simulator.create(s.withSeasonality(0.3)).withReplications(20).run(Policy.equalSplit());
    assertThat(r.meanRegret()).isCloseTo(5250.0, Offset.offset(1e-6));
  }

  @Test
  void run_fixedSplitFinalTest_hasThePowerThatPowerPredicts() {
    // dev.loupe.stats.power.Power (R's power.prop.test) predicts 0.514 for 10,000 per arm; the
    // simulated z-test of arm 4 vs arm 1 must agree within Monte Carlo error (4 standard errors).
    int reps = 3000;
    double predicted = Power.proportions(0.03, 0.005).power(10_000);
    SimulationResult r = Simulator.create(SEED).withReplications(reps).withSeed(3).run(Policy.equalSplit());
    double se = Math.sqrt(predicted * (1 - predicted) / reps);
    assertThat(r.power()).isCloseTo(predicted, Offset.offset(4 * se));
    assertThat(r.coverage()).isCloseTo(0.95, Offset.offset(4 * Math.sqrt(0.95 * 0.05 / reps)));

    // At the sample size Power gives for 80% (10% vs 13%, two arms), the simulated power is 80%.
    long n = Power.proportions(0.10, 0.03).nPerArm(0.8);
    double p80 = Power.proportions(0.10, 0.03).power(n);
    Scenario two = Scenario.of(new double[] {0.10, 0.13}, (int) (2 * n), 1, 1);
    SimulationResult r80 =
        Simulator.create(two).withReplications(reps).withSeed(4).run(Policy.equalSplit());
    assertThat(p80).isBetween(0.8, 0.801);
    assertThat(r80.power()).isCloseTo(p80, Offset.offset(4 * Math.sqrt(p80 * (1 - p80) / reps)));
  }

  @Test
  void run_thompsonNaiveInterval_undercoversWhileFixedSplitCovers() {
    // The statistical cost of adaptivity: arms starved of traffic have downward-biased means.
    SimulationResult ts = Simulator.create(SEED).withReplications(400).withSeed(5).run(Policy.thompson());
    assertThat(ts.coverage()).isLessThan(0.925);
    assertThat(ts.meanRegret()).isLessThan(0.6 * 7500);
  }

  @Test
  void run_ucb1AndThompson_regretGrowsLogarithmically_epsilonGreedyLinearly() {
    // Stationary, 3 arms; cumulative regret at 8, 16, 32 and 64 periods of 500 visitors. A
    // logarithmic regret adds about the same amount per doubling of the horizon (ratio of
    // successive increments → 1); a linear one doubles it (ratio → 2).
    Scenario s = Scenario.of(new double[] {0.10, 0.15, 0.20}, 500, 64, 1);
    Simulator sim = Simulator.create(s).withReplications(300).withSeed(1);
    for (Policy p : List.of(Policy.ucb1(), Policy.thompson())) {
      List<Double> c = sim.run(p).meanRegretByPeriod();
      double ratio = (c.get(63) - c.get(31)) / (c.get(31) - c.get(15));
      assertThat(ratio).as("%s increment ratio", p.name()).isBetween(0.8, 1.35);
    }
    SimulationResult eg = sim.run(Policy.epsilonGreedy(0.1));
    List<Double> c = eg.meanRegretByPeriod();
    assertThat((c.get(63) - c.get(31)) / (c.get(31) - c.get(15))).isGreaterThan(1.8);
    // The linear term: once the best arm leads, regret per visitor is ε × the mean gap of a
    // uniformly random arm = 0.1 × (0.10 + 0.05 + 0)/3 = 0.005.
    assertThat((c.get(63) - c.get(31)) / (32 * 500)).isCloseTo(0.005, Offset.offset(0.0005));
  }

  @Test
  void run_resultDoesNotDependOnThreadCount() {
    Simulator sim = Simulator.create(SEED.withPeriods(2)).withReplications(24).withSeed(9);
    for (Policy p : List.of(Policy.thompson(), Policy.epsilonGreedy(0.1), Policy.hybrid(Policy.thompson(), 10_000))) {
      assertThat(sim.withThreads(1).run(p)).as(p.name()).isEqualTo(sim.withThreads(3).run(p));
    }
    assertThat(sim.run(Policy.thompson())).isNotEqualTo(sim.withSeed(10).run(Policy.thompson()));
  }

  @Test
  void run_hybrid_splitsTheSecondHalfEquallyBetweenTwoFinalists() {
    SimulationResult r =
        Simulator.create(SEED).withReplications(100).run(Policy.hybrid(Policy.thompson(), 20_000));
    for (int p = 2; p < 4; p++) {
      List<Double> share = r.shareByPeriod().get(p);
      double sum = share.stream().mapToDouble(Double::doubleValue).sum();
      assertThat(sum).isCloseTo(1.0, Offset.offset(1e-9));
      assertThat(share.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isLessThanOrEqualTo(0.5 + 1e-9);
    }
    assertThat(r.shareByPeriod().get(3).get(3)).as("the best arm is nearly always a finalist").isGreaterThan(0.4);
  }

  @Test
  void run_perPeriodUcb1_sendsWholeBatchesToOneArm() {
    SimulationResult r =
        Simulator.create(SEED.withCadence(UpdateCadence.PER_PERIOD)).withReplications(4).run(Policy.ucb1());
    assertThat(r.shareByPeriod().get(0)).containsExactly(1.0, 0.0, 0.0, 0.0);
    assertThat(r.shareByPeriod().get(1)).containsExactly(0.0, 1.0, 0.0, 0.0);
  }

  @Test
  void run_perHourUcb1_sendsWholeHoursToOneArm() {
    // One day per period of 2,400 visitors: hours of exactly 100. UCB1 learns once an hour, so every
    // arm's traffic is a whole number of hours, and the first four hours go to arms 1-4; learning
    // once a day instead sends the whole day to arm 1.
    Scenario hourly = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 2_400, 4, 50)
        .withDaysPerPeriod(1)
        .withCadence(UpdateCadence.PER_HOUR);
    SimulationResult r = Simulator.create(hourly).withReplications(1).run(Policy.ucb1());
    for (List<Double> period : r.shareByPeriod()) {
      for (double share : period) {
        assertThat(Math.round(share * 2_400) % 100).isZero();
      }
    }
    assertThat(r.shareByPeriod().get(0)).allSatisfy(share -> assertThat(share).isGreaterThanOrEqualTo(100 / 2_400.0));
    SimulationResult daily =
        Simulator.create(hourly.withCadence(UpdateCadence.PER_DAY)).withReplications(1).run(Policy.ucb1());
    assertThat(daily.shareByPeriod().get(0)).containsExactly(1.0, 0.0, 0.0, 0.0);
  }

  @Test
  void run_perHourWithFewerVisitorsThanHours_learnsAfterEveryVisitor() {
    // 10 visitors a day: every hour holds at most one visitor, so learning after each hour is
    // learning after each visitor, and the runs are the same draw for draw.
    Scenario sparse = Scenario.of(new double[] {0.3, 0.3, 0.3, 0.5}, 10, 6, 50).withDaysPerPeriod(1);
    for (Policy policy : List.of(Policy.ucb1(), Policy.thompson())) {
      SimulationResult perVisitor = Simulator.create(sparse).withReplications(50).withSeed(3).run(policy);
      SimulationResult perHour = Simulator.create(sparse.withCadence(UpdateCadence.PER_HOUR))
          .withReplications(50).withSeed(3).run(policy);
      assertThat(perHour.shareByPeriod()).as(policy.toString()).isEqualTo(perVisitor.shareByPeriod());
      assertThat(perHour.meanRegret()).as(policy.toString()).isEqualTo(perVisitor.meanRegret());
    }
  }

  @Test
  void run_perDayUcb1_sendsWholeDaysToOneArm() {
    // 10,000 visitors over 7 days (days of 1,428 or 1,429 visitors). UCB1 learns once a day, so
    // each arm's week-1 traffic is a sum of whole days, and the first four days go to arms 1-4.
    SimulationResult r =
        Simulator.create(SEED.withCadence(UpdateCadence.PER_DAY)).withReplications(1).run(Policy.ucb1());
    int[] day = new int[7];
    for (int d = 0; d < 7; d++) {
      day[d] = (d + 1) * 10_000 / 7 - d * 10_000 / 7;
    }
    java.util.Set<Long> sums = new java.util.HashSet<>();
    for (int mask = 0; mask < 128; mask++) {
      long t = 0;
      for (int d = 0; d < 7; d++) {
        t += (mask >> d & 1) * day[d];
      }
      sums.add(t);
    }
    for (double share : r.shareByPeriod().get(0)) {
      assertThat(share).isGreaterThanOrEqualTo(0.1428);
      assertThat(sums).contains(Math.round(share * 10_000));
    }
  }

  @Test
  void run_noveltyOnNewArms_favoursThemEarly() {
    // The new flows start 30% better than their long-run rate, halving every period.
    Scenario s = SEED.withNovelty(0.3, 1);
    assertThat(s.rate(0, 0)).isEqualTo(0.03);
    assertThat(s.rate(0, 1)).isCloseTo(0.039, Offset.offset(1e-12));
    assertThat(s.rate(7, 1)).isCloseTo(0.0345, Offset.offset(1e-12));
    SimulationResult r =
        Simulator.create(s.withPeriods(1)).withReplications(100).run(Policy.thompson());
    assertThat(r.shareByPeriod().get(0).get(0)).isLessThan(0.2);
  }

  @Test
  void leaderProbabilityBest_matchesExactTwoArmValue() {
    // Two arms, normal approximation: P(X1 > X0) = Φ((m1 − m0)/√(v0 + v1)).
    Learner l = Learner.of(Policy.equalSplit(), 2, false);
    for (int i = 0; i < 1000; i++) {
      l.observe(0, i < 30 ? 1 : 0);
      l.observe(1, i < 45 ? 1 : 0);
    }
    double m0 = 31.0 / 1002;
    double m1 = 46.0 / 1002;
    double v0 = 31.0 * 971 / (1002.0 * 1002 * 1003);
    double v1 = 46.0 * 956 / (1002.0 * 1002 * 1003);
    double expected =
        org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
            .cumulativeProbability((m1 - m0) / Math.sqrt(v0 + v1));
    assertThat(Simulator.leaderProbabilityBest(l)).isCloseTo(expected, Offset.offset(1e-6));
  }

  @Test
  void scenario_badValues_messageNamesFieldValueAndRule() {
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03, 1.5}, 100, 4, 50))
        .hasMessage("rates: arm 2 has rate 1.5; a rate must be in [0, 1]");
    assertThatThrownBy(() -> Scenario.of(new double[] {-0.1, 0.5}, 100, 4, 50))
        .hasMessage("rates: arm 1 has rate -0.1; a rate must be in [0, 1]");
    assertThatThrownBy(() -> Scenario.of(new double[] {Double.NaN, 0.5}, 100, 4, 50))
        .hasMessage("rates: arm 1 has rate NaN; a rate must be in [0, 1]");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03}, 100, 4, 50))
        .hasMessage("rates must give at least 2 arms but gave 1 [0.03]");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03, 0.04}, 0, 4, 50))
        .hasMessage("visitorsPerPeriod must be >= 1 but was 0");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03, 0.04}, 100, 0, 50))
        .hasMessage("periods must be >= 1 but was 0");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03, 0.04}, 100, 4, Double.NaN))
        .hasMessage("value per conversion must be finite and >= 0 but was NaN");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.03, 0.04}, 1, 20_000, 50))
        .hasMessage("periods × daysPerPeriod must be <= 100000 but was 140000");
    assertThatThrownBy(() -> SEED.withSeasonality(1.0))
        .hasMessage("seasonality amplitude must be in [0, 1) but was 1.0");
    assertThatThrownBy(() -> Scenario.of(new double[] {0.5, 0.9}, 100, 4, 50).withNovelty(0.5, 1))
        .hasMessage("novelty and seasonality make arm 2's rate 1.35 on day 1; a rate must stay in [0, 1]");
    assertThatThrownBy(() -> Simulator.create(SEED).run(Policy.weightedSplit(1, 1)))
        .hasMessage("weights must give one weight per arm (4 arms) but gave 2: [1.0, 1.0]");
    assertThatThrownBy(() -> Simulator.create(SEED).withReplications(0))
        .hasMessage("replications must be in [1, 1000000] but was 0");
  }

  @Test
  void quantile_linearInterpolation_likeNumpy() {
    double[] x = {1, 2, 3, 4, 10};
    assertThat(Simulator.quantile(x, 0.05)).isCloseTo(1.2, Offset.offset(1e-12));
    assertThat(Simulator.quantile(x, 0.5)).isEqualTo(3.0);
    assertThat(Simulator.quantile(x, 0.95)).isCloseTo(8.8, Offset.offset(1e-12));
  }
}
