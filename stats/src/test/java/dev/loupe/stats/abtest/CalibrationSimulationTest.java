package dev.loupe.stats.abtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calibration by simulation, fixed seeds. With R = 4000 replications the Monte Carlo standard error
 * of a rate near 0.05 is 0.0034 and near 0.95 also 0.0034: tolerances are ±0.01 (about 3 SE).
 */
class CalibrationSimulationTest {

  private static final int R = 4000;

  @Test
  void proportions_aaFalsePositiveRateIsAlpha() {
    SplittableRandom rng = new SplittableRandom(7);
    int rejections = 0;
    int covered = 0;
    for (int r = 0; r < R; r++) {
      Map<String, BinomialCounts> arms = new LinkedHashMap<>();
      for (String arm : new String[] {"a", "b"}) {
        BinomialCounts c = BinomialCounts.create();
        for (int i = 0; i < 2000; i++) {
          c.accept(rng.nextDouble() < 0.1);
        }
        arms.put(arm, c);
      }
      Comparison c = AbTest.withDefaults().proportions(arms, "a").comparisons().get(0);
      if (c.pValue() < 0.05) {
        rejections++;
      }
      if (c.ciLow() <= 0 && 0 <= c.ciHigh()) {
        covered++;
      }
    }
    assertThat(rejections / (double) R).isBetween(0.04, 0.06);
    assertThat(covered / (double) R).isBetween(0.94, 0.96);
  }

  @Test
  void welch_intervalCoversTrueDifference() {
    SplittableRandom rng = new SplittableRandom(11);
    int covered = 0;
    int rejections = 0;
    for (int r = 0; r < R; r++) {
      Moments a = Moments.create();
      Moments b = Moments.create();
      for (int i = 0; i < 50; i++) {
        a.accept(10 + 1 * gaussian(rng));
      }
      for (int i = 0; i < 30; i++) {
        b.accept(10.5 + 3 * gaussian(rng));
      }
      Map<String, Moments> arms = new LinkedHashMap<>();
      arms.put("a", a);
      arms.put("b", b);
      Comparison c = AbTest.withDefaults().means(arms, "a").comparisons().get(0);
      if (c.ciLow() <= 0.5 && 0.5 <= c.ciHigh()) {
        covered++;
      }
      Moments b0 = Moments.create();
      for (int i = 0; i < 30; i++) {
        b0.accept(10 + 3 * gaussian(rng));
      }
      arms.put("b", b0);
      if (AbTest.withDefaults().means(arms, "a").comparisons().get(0).pValue() < 0.05) {
        rejections++;
      }
    }
    assertThat(covered / (double) R).isBetween(0.94, 0.96);
    assertThat(rejections / (double) R).isBetween(0.04, 0.06);
  }

  static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}
