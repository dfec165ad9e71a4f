package dev.loupe.stats.multiple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.Golden;
import org.junit.jupiter.api.Test;

class CorrectionTest {

  // statsmodels multipletests; regenerate: /usr/bin/python3 golden/abtest.py > golden/abtest.csv
  private static final Golden G = Golden.load("abtest.csv");
  private static final String[] ARMS = {"b", "c", "d"};

  @Test
  void adjust_matchesStatsmodels() {
    double[] p = new double[3];
    for (int i = 0; i < 3; i++) {
      p[i] = G.get("prop." + ARMS[i] + ".p");
    }
    check("bonferroni", Correction.BONFERRONI.adjust(p));
    check("holm", Correction.HOLM.adjust(p));
    check("bh", Correction.BENJAMINI_HOCHBERG.adjust(p));
    assertThat(Correction.NONE.adjust(p)).containsExactly(p);
  }

  private static void check(String key, double[] adjusted) {
    for (int i = 0; i < 3; i++) {
      G.check("prop." + ARMS[i] + "." + key, adjusted[i], 1e-12);
    }
  }

  @Test
  void adjust_holmAndBhOnTextbookExample() {
    double[] p = {0.01, 0.04, 0.03, 0.005};
    assertThat(Correction.HOLM.adjust(p)).containsExactly(0.03, 0.06, 0.06, 0.02);
    assertThat(Correction.BENJAMINI_HOCHBERG.adjust(p))
        .usingComparatorWithPrecision(1e-15)
        .containsExactly(0.02, 0.04, 0.04, 0.02);
  }

  @Test
  void adjust_badInput() {
    assertThatThrownBy(() -> Correction.HOLM.adjust(new double[] {0.1, Double.NaN}))
        .hasMessage("p-value #2 must be in [0, 1] but was NaN");
    assertThatThrownBy(() -> Correction.HOLM.adjust(new double[0]))
        .hasMessage("p-values must not be empty");
  }
}
