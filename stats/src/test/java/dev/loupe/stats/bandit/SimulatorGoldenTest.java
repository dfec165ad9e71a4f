package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.stats.Golden;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulator against an independent numpy implementation of the same scenarios (rates 4%, 5%,
 * 6%; 1,500 visitors per period; 3 periods; $10 per conversion; 4,000 replications each side).
 * Both are Monte Carlo estimates from different random streams, so they must agree within
 * Monte Carlo error: 4 standard errors of the difference.
 *
 * <p>Regenerate: {@code cd stats/src/test/resources/golden && /usr/bin/python3 bandit_sim.py
 * golden > bandit_sim.csv} (Debian's python3-numpy).
 */
class SimulatorGoldenTest {

  private static final Golden NUMPY = Golden.load("bandit_sim.csv");
  private static final int R = 4000;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "ab, per-visitor",
    "epsilon-greedy:0.1, per-visitor",
    "ucb1, per-visitor",
    "thompson, per-visitor",
    "thompson, per-period",
    "epsilon-greedy:0.2, per-period"
  })
  void run_goldenScenario_agreesWithNumpyWithinMonteCarloError(String policy, String cadence) {
    Scenario scenario =
        Scenario.of(new double[] {0.04, 0.05, 0.06}, 1500, 3, 10)
            .withCadence(UpdateCadence.parse(cadence));
    SimulationResult java =
        Simulator.create(scenario).withReplications(R).withSeed(7).run(Policy.parse(policy));
    String key = policy + "|" + cadence + "|";

    double sdNumpy = NUMPY.get(key + "sd_regret");
    double sdJava = java.regretStandardError() * Math.sqrt(R);
    double regretTolerance = 4 * Math.sqrt((sdNumpy * sdNumpy + sdJava * sdJava) / R) + 1e-6;
    assertThat(java.meanRegret())
        .as("mean regret")
        .isCloseTo(NUMPY.get(key + "mean_regret"), Offset.offset(regretTolerance));
    for (String proportion : new String[] {"p_best_at_end", "power", "coverage"}) {
      double expected = NUMPY.get(key + proportion);
      double actual =
          switch (proportion) {
            case "p_best_at_end" -> java.pBestAtEnd();
            case "power" -> java.power();
            default -> java.coverage();
          };
      double p = (expected + actual) / 2;
      double tolerance = 4 * Math.sqrt(2 * p * (1 - p) / R) + 1e-9;
      assertThat(actual).as(proportion).isCloseTo(expected, Offset.offset(tolerance));
    }
    for (int p = 0; p < 3; p++) {
      for (int a = 0; a < 3; a++) {
        double sd = NUMPY.get(key + "sd_share_by_period.p" + p + ".a" + a);
        double tolerance = 4 * sd * Math.sqrt(2.0 / R) + 1e-9;
        assertThat(java.shareByPeriod().get(p).get(a))
            .as("share of arm %d in period %d", a, p)
            .isCloseTo(NUMPY.get(key + "share_by_period.p" + p + ".a" + a), Offset.offset(tolerance));
      }
    }
  }
}
