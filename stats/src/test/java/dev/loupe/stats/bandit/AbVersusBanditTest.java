package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.power.Power;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AbVersusBanditTest {

  /** The seed's rates with a quarter of its traffic, to keep the test fast. */
  private static final Scenario SMALL =
      Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 2_500, 4, 50);

  @Test
  void plan_proofRequiredAndUnderpowered_recommendsLongerEqualSplit() {
    Plan plan = AbVersusBandit.create(SMALL).withReplications(30).plan();
    assertThat(plan.designs()).extracting(DesignOutcome::design)
        .containsExactly(
            "A/B/n equal split",
            "weighted 20/20/20/40 (double share to arm 4)",
            "epsilon-greedy ε=0.1",
            "Thompson sampling",
            "hybrid: Thompson 2 weeks, then top-2 A/B");
    // Power's own numbers: 19,743 per arm for 80%, i.e. 4 × 19,743 / 2,500 = 31.6 periods.
    Power power = Power.proportions(0.03, 0.005).withArms(4);
    assertThat(plan.nPerArmFor80()).isEqualTo(power.nPerArm(0.8)).isEqualTo(19_743);
    assertThat(plan.periodsFor80()).isCloseTo(31.5888, Offset.offset(1e-4));
    assertThat(plan.analyticPower()).isCloseTo(power.power(2_500), Offset.offset(1e-12));
    assertThat(plan.recommendation()).isEqualTo("A/B/n test with an equal split, run for 32 weeks (not 4)");
    assertThat(plan.warnings()).anyMatch(w -> w.startsWith("The fixed test is underpowered at this traffic"));
    assertThat(plan.designs().get(0).stationary().meanRegret()).isEqualTo(1875.0);
  }

  @Test
  void plan_reversibleNoProof_recommendsTheLeastRegretBandit() {
    Plan plan =
        AbVersusBandit.create(Scenario.of(new double[] {0.05, 0.10, 0.08}, 1_000, 3, 10))
            .withReplications(40)
            .withRequiresProof(false)
            .withReversible(true)
            .plan();
    DesignOutcome chosen =
        plan.designs().stream().filter(d -> d.design().equals(plan.recommendation())).findFirst().orElseThrow();
    assertThat(plan.designs().indexOf(chosen)).isBetween(2, 4);
    assertThat(chosen.stationary().meanRegret()).isLessThan(plan.designs().get(0).stationary().meanRegret());
    assertThat(plan.reasons().get(0)).contains("reversible");
  }

  @Test
  void plan_noProofButIrreversible_recommendsHybrid() {
    Plan plan =
        AbVersusBandit.create(Scenario.of(new double[] {0.05, 0.10, 0.08}, 1_000, 2, 10))
            .withReplications(20)
            .withRequiresProof(false)
            .plan();
    assertThat(plan.recommendation()).isEqualTo("hybrid: Thompson 1 week, then top-2 A/B");
  }

  @Test
  void plan_equalRates_hasNoPowerTarget() {
    Plan plan =
        AbVersusBandit.create(Scenario.of(new double[] {0.05, 0.05}, 500, 2, 10)).withReplications(20).plan();
    assertThat(plan.periodsFor80()).isNaN();
    assertThat(plan.recommendation()).isEqualTo("A/B/n test with an equal split for 2 weeks");
    assertThat(plan.designs().get(0).stationary().meanRegret()).isZero();
  }

  @Test
  void withStress_badValues_messageNamesFieldValueAndRule() {
    assertThatThrownBy(() -> AbVersusBandit.create(SMALL).withStress(0.2, 1.5))
        .hasMessage("seasonality amplitude must be in [0, 1) but was 1.5");
    assertThatThrownBy(() -> AbVersusBandit.create(SMALL).withEpsilon(-1))
        .hasMessage("epsilon must be in [0, 1] but was -1.0");
  }
}
