package dev.loupe.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.stats.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupSequentialTest {

  // Independent computation with scipy's multivariate normal CDF (Genz) and brentq; the methods
  // differ (quadrature here), so agreement is to 1e-4 in z. Regenerate (takes ~3 minutes):
  // cd stats/src/test/resources/golden && /usr/bin/python3 sequential.py > sequential.csv
  private static final Golden G = Golden.load("sequential.csv");

  @Test
  void boundaries_matchScipy() {
    for (SpendingFunction s : SpendingFunction.values()) {
      String kind = s == SpendingFunction.POCOCK ? "pocock" : "obf";
      for (int k : new int[] {3, 5}) {
        List<Look> looks = GroupSequential.of(k).withSpending(s).boundaries();
        assertThat(looks).hasSize(k);
        for (Look l : looks) {
          assertThat(l.criticalZ())
              .as(kind + " K=" + k + " look " + l.look())
              .isCloseTo(G.get(kind + "." + k + "." + l.look()), within(1e-4));
        }
        assertThat(looks.get(k - 1).cumulativeAlpha()).isEqualTo(0.05);
      }
    }
    for (Look l : GroupSequential.of(4).withAlpha(0.01).boundaries()) {
      assertThat(l.criticalZ()).isCloseTo(G.get("obf_a01.4." + l.look()), within(1e-4));
    }
  }

  @Test
  void boundaries_publishedObrienFlemingFiveLooks() {
    // gsDesign / rpact, two-sided symmetric, alpha = 0.05: 4.877, 3.357, 2.680, 2.290, 2.031.
    double[] published = {4.877, 3.357, 2.680, 2.290, 2.031};
    List<Look> looks = GroupSequential.of(5).boundaries();
    for (int i = 0; i < 5; i++) {
      assertThat(looks.get(i).criticalZ()).isCloseTo(published[i], within(0.0006));
    }
  }

  @Test
  void boundaries_oneLookIsTheFixedTest() {
    Look l = GroupSequential.of(1).boundaries().get(0);
    assertThat(l.criticalZ()).isCloseTo(1.959963984540054, within(1e-12));
    assertThat(l.nominalAlpha()).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void boundaries_unequalFractions() {
    List<Look> looks =
        GroupSequential.of(3).withInformationFractions(0.3, 0.7, 1.0).withSpending(SpendingFunction.POCOCK)
            .boundaries();
    assertThat(looks).extracting(Look::informationFraction).containsExactly(0.3, 0.7, 1.0);
    assertThat(looks.get(0).alphaSpent()).isCloseTo(0.05 * Math.log1p((Math.E - 1) * 0.3), within(1e-15));
  }

  @Test
  void of_badInput() {
    assertThatThrownBy(() -> GroupSequential.of(0)).hasMessage("looks must be in [1, 50] but was 0");
    assertThatThrownBy(() -> GroupSequential.of(2).withInformationFractions(0.5, 0.4, 1))
        .hasMessage("information fractions must increase strictly within (0, 1] but look 2 was 0.4 after 0.5");
    assertThatThrownBy(() -> GroupSequential.of(2).withInformationFractions(0.5, 0.9))
        .hasMessage("the last information fraction must be 1 but was 0.9");
    assertThatThrownBy(() -> GroupSequential.of(2).withAlpha(Double.NaN))
        .hasMessage("alpha must be in (0, 1) but was NaN");
  }

  @Test
  void mixtureSprt_badInput() {
    assertThatThrownBy(() -> MixtureSprt.withMixingScale(0)).hasMessage("mixing scale tau must be positive but was 0.0");
    assertThatThrownBy(() -> MixtureSprt.withMixingScale(1).at(10, 0.1, 0))
        .hasMessage("variance must be positive but was 0.0 (a metric with zero variance cannot be tested)");
  }

  @Test
  void mixtureSprt_intervalMatchesItsTest() {
    MixtureSprt t = MixtureSprt.withMixingScale(0.5);
    MixtureSprt.State s = t.at(400, 0.0, 2.0);
    // At the interval's edge the likelihood ratio equals 1/alpha exactly.
    MixtureSprt.State edge = t.at(400, s.ciHigh() - s.ciLow() > 0 ? (s.ciHigh() - s.ciLow()) / 2 : 0, 2.0);
    assertThat(edge.logLikelihoodRatio()).isCloseTo(Math.log(20), within(1e-9));
  }
}
