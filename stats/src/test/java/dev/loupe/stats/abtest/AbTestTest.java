package dev.loupe.stats.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.Golden;
import dev.loupe.stats.multiple.Correction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbTestTest {

  // statsmodels proportions_ztest / confint_proportions_2indep / multipletests, scipy chisquare and
  // ttest_ind(equal_var=False), CUPED by numpy on the rows of golden/abtest_users.csv.
  // Regenerate: cd stats/src/test/resources/golden && /usr/bin/python3 abtest.py > abtest.csv
  private static final Golden G = Golden.load("abtest.csv");

  private static Map<String, BinomialCounts> counts() {
    Map<String, BinomialCounts> arms = new LinkedHashMap<>();
    arms.put("control", BinomialCounts.of(10000, 300));
    arms.put("b", BinomialCounts.of(10000, 350));
    arms.put("c", BinomialCounts.of(9800, 330));
    arms.put("d", BinomialCounts.of(10100, 290));
    return arms;
  }

  @Test
  void proportions_matchStatsmodels() {
    AbResult r = AbTest.withDefaults().withCorrection(Correction.HOLM).proportions(counts(), "control");
    assertThat(r.comparisons()).extracting(Comparison::arm).containsExactly("b", "c", "d");
    for (Comparison c : r.comparisons()) {
      String k = "prop." + c.arm() + ".";
      G.check(k + "z", c.statistic(), 1e-10);
      G.check(k + "p", c.pValue(), 1e-8);
      G.check(k + "lo", c.ciLow(), 1e-10);
      G.check(k + "hi", c.ciHigh(), 1e-10);
      G.check(k + "rlo", c.relativeCiLow(), 1e-10);
      G.check(k + "rhi", c.relativeCiHigh(), 1e-10);
      G.check(k + "holm", c.pAdjusted(), 1e-8);
      assertThat(c.warnings()).isEmpty();
    }
    assertThat(r.comparisons().get(0).difference()).isEqualTo(0.035 - 0.03);
    assertThat(r.comparisons().get(0).relativeLift()).isCloseTo(1.0 / 6, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void sampleRatio_matchesScipy() {
    AbResult r = AbTest.withDefaults().proportions(counts(), "control");
    G.check("srm.chi2", r.srm().chi2(), 1e-12);
    G.check("srm.p", r.srm().pValue(), 1e-10);
    assertThat(r.srm().flagged()).isFalse();
    assertThat(r.warnings()).isEmpty();

    Map<String, Double> split = Map.of("control", 0.26, "b", 0.25, "c", 0.245, "d", 0.245);
    AbResult s = AbTest.withDefaults().withExpectedSplit(split).proportions(counts(), "control");
    G.check("srm_split.chi2", s.srm().chi2(), 1e-10);
    G.check("srm_split.p", s.srm().pValue(), 1e-8);
    assertThat(s.srm().flagged()).isTrue();
    assertThat(s.warnings()).singleElement().asString().startsWith("sample ratio mismatch");
  }

  @Test
  void meansAndCuped_matchScipy() throws IOException {
    Map<String, Moments> arms = new LinkedHashMap<>();
    try (InputStream in = getClass().getResourceAsStream("/golden/abtest_users.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",");
        arms.computeIfAbsent(f[0], a -> Moments.create())
            .accept(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
      }
    }
    AbResult welch = AbTest.withDefaults().means(arms, "control");
    AbResult cuped = AbTest.withDefaults().cuped(arms, "control");
    G.check("cuped.theta", cuped.cupedTheta(), 1e-10);
    for (String key : List.of("welch", "cuped")) {
      AbResult r = key.equals("welch") ? welch : cuped;
      for (Comparison c : r.comparisons()) {
        String k = key + "." + c.arm() + ".";
        G.check(k + "diff", c.difference(), 1e-9);
        G.check(k + "t", c.statistic(), 1e-9);
        G.check(k + "p", c.pValue(), 1e-8);
        G.check(k + "lo", c.ciLow(), 1e-9);
        G.check(k + "hi", c.ciHigh(), 1e-9);
      }
    }
    // CUPED narrows the interval.
    Comparison w = welch.comparisons().get(0);
    Comparison c = cuped.comparisons().get(0);
    assertThat(c.ciHigh() - c.ciLow()).isLessThan(0.6 * (w.ciHigh() - w.ciLow()));
  }

  @Test
  void proportions_singleArm() {
    assertThatThrownBy(
            () -> AbTest.withDefaults().proportions(Map.of("a", BinomialCounts.of(10, 1)), "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an A/B test needs at least 2 arms but the data has 1 [a]");
  }

  @Test
  void proportions_emptyArmAndUnknownControl() {
    Map<String, BinomialCounts> arms = new LinkedHashMap<>();
    arms.put("a", BinomialCounts.of(10, 1));
    arms.put("b", BinomialCounts.of(0, 0));
    assertThatThrownBy(() -> AbTest.withDefaults().proportions(arms, "a"))
        .hasMessage("arm 'b' has 0 users; every arm needs at least 1 user");
    assertThatThrownBy(() -> AbTest.withDefaults().proportions(arms, "z"))
        .hasMessage("control arm 'z' is not among the arms [a, b]");
    assertThatThrownBy(() -> BinomialCounts.of(10, 11))
        .hasMessage("conversions must be in [0, users=10] but was 11");
  }

  @Test
  void proportions_noConversionsIsReportedNotANumber() {
    Map<String, BinomialCounts> arms = new LinkedHashMap<>();
    arms.put("a", BinomialCounts.of(100, 0));
    arms.put("b", BinomialCounts.of(100, 0));
    Comparison c = AbTest.withDefaults().proportions(arms, "a").comparisons().get(0);
    assertThat(c.statistic()).isNaN();
    assertThat(c.pAdjusted()).isNaN();
    assertThat(c.warnings())
        .contains("arms 'b' and 'a' have no conversions; the z statistic and p-value are undefined");
  }

  @Test
  void means_zeroVarianceIsReported() {
    Map<String, Moments> arms = new LinkedHashMap<>();
    arms.put("a", Moments.of(10, 5, 0));
    arms.put("b", Moments.of(10, 5, 0));
    Comparison c = AbTest.withDefaults().means(arms, "a").comparisons().get(0);
    assertThat(c.statistic()).isNaN();
    assertThat(c.warnings().get(0)).contains("zero variance in arms 'b' and 'a'");
    assertThatThrownBy(() -> AbTest.withDefaults().cuped(arms, "a"))
        .hasMessage("covariate has zero variance over all 20 units; CUPED needs a covariate that varies");
  }

  @Test
  void accept_rejectsNaN() {
    assertThatThrownBy(() -> Moments.create().accept(Double.NaN))
        .hasMessage("metric and covariate must be finite numbers but were NaN and 0.0");
  }
}
