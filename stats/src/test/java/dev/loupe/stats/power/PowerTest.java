package dev.loupe.stats.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.stats.Golden;
import dev.loupe.stats.multiple.Correction;
import org.junit.jupiter.api.Test;

class PowerTest {

  // R power.prop.test(strict = TRUE); regenerate: Rscript golden/power.R > golden/power.csv
  private static final Golden PROP = Golden.load("power.csv");
  // statsmodels NormalIndPower; regenerate: /usr/bin/python3 golden/power_means.py
  private static final Golden MEANS = Golden.load("power_means.csv");

  @Test
  void power_proportionsMatchR() {
    PROP.check("s8.power", Power.proportions(0.03, 0.005).power(10_000), 1e-8);
    PROP.check("b.power", Power.proportions(0.10, -0.02).withAlpha(0.01).power(2000), 1e-8);
    Power fourArms = Power.proportions(0.03, 0.005).withArms(4).withCorrection(Correction.HOLM);
    PROP.check("bonf4.power", fourArms.power(10_000), 1e-8);
  }

  @Test
  void exactNPerArm_proportionsMatchR() {
    PROP.check("s8.n", Power.proportions(0.03, 0.005).exactNPerArm(0.8), 1e-8);
    PROP.check("b.n", Power.proportions(0.10, -0.02).withAlpha(0.01).exactNPerArm(0.9), 1e-8);
    PROP.check(
        "bonf4.n",
        Power.proportions(0.03, 0.005).withArms(4).withCorrection(Correction.BONFERRONI)
            .exactNPerArm(0.8),
        1e-8);
  }

  @Test
  void power_seedS8IsNotEightyPercent() {
    Power s8 = Power.proportions(0.03, 0.005);
    assertThat(s8.power(10_000)).isCloseTo(0.5135, within(1e-4));
    assertThat(s8.nPerArm(0.8)).isEqualTo(19_743);
    assertThat(s8.power(s8.nPerArm(0.8))).isGreaterThanOrEqualTo(0.8);
    assertThat(s8.power(s8.nPerArm(0.8) - 1)).isLessThan(0.8);
  }

  @Test
  void power_meansMatchStatsmodels() {
    MEANS.check("m1.power", Power.means(2.0, 0.25).power(500), 1e-8);
    MEANS.check("m2.power", Power.means(10.0, 1.0).withAlpha(0.01).power(1200), 1e-8);
    // statsmodels solves n with brentq to its own tolerance, hence 1e-6.
    MEANS.check("m1.n", Power.means(2.0, 0.25).exactNPerArm(0.8), 1e-6);
    MEANS.check("m2.n", Power.means(10.0, 1.0).withAlpha(0.01).exactNPerArm(0.95), 1e-6);
  }

  @Test
  void weeks_countsEveryArm() {
    Power p = Power.proportions(0.03, 0.005).withArms(4);
    assertThat(p.weeks(0.8, 10_000)).isEqualTo(4 * 19_743 / 10_000.0);
  }

  @Test
  void proportions_badInput() {
    assertThatThrownBy(() -> Power.proportions(1.2, 0.01))
        .hasMessage("baseline must be a rate in (0, 1) but was 1.2");
    assertThatThrownBy(() -> Power.proportions(0.5, 0.6))
        .hasMessageContaining("baseline + mde was 1.1");
    assertThatThrownBy(() -> Power.proportions(0.5, Double.NaN))
        .hasMessage("mde must be a non-zero difference but was NaN");
    assertThatThrownBy(() -> Power.proportions(0.5, 0.1).withArms(1))
        .hasMessage("arms must be at least 2 (control + 1) but was 1");
    assertThatThrownBy(() -> Power.proportions(0.5, 0.1).power(0))
        .hasMessage("n per arm must be positive but was 0.0");
    assertThatThrownBy(() -> Power.proportions(0.5, 0.1).nPerArm(1.0))
        .hasMessage("power must be in (0.05, 1) but was 1.0");
    assertThatThrownBy(() -> Power.means(0, 1)).hasMessageContaining("standard deviation");
  }
}
