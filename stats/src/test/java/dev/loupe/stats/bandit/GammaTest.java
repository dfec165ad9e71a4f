package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class GammaTest {

  @Test
  void sample_shapesFromOneToTenThousand_followGammaDistribution() {
    // Shapes as in a Beta(1 + s, 1 + f) posterior: small success counts, large failure counts.
    double[] shapes = {0.5, 1, 2, 7, 40, 300, 9_700};
    SplittableRandom rng = new SplittableRandom(5);
    for (double shape : shapes) {
      double[] draws = new double[20_000];
      for (int i = 0; i < draws.length; i++) {
        draws[i] = Gamma.sample(shape, rng);
      }
      GammaDistribution g = GammaDistribution.of(shape, 1);
      double p = KolmogorovSmirnovTest.withDefaults().test(draws, g::cumulativeProbability).getPValue();
      assertThat(p).as("KS p-value against Gamma(%s, 1)", shape).isGreaterThan(0.001);
    }
  }

  @Test
  void sample_gammaRatio_followsBetaWithLargeSecondShape() {
    // Beta(12, 9 989) as X/(X + Y): the large shape is where the shape-dependent squeeze decides.
    SplittableRandom rng = new SplittableRandom(17);
    double da = 12 - 1.0 / 3;
    double db = 9_989 - 1.0 / 3;
    double[] draws = new double[20_000];
    for (int i = 0; i < draws.length; i++) {
      double x = Gamma.sample(da, 1 / Math.sqrt(9 * da), rng);
      double y = Gamma.sample(db, 1 / Math.sqrt(9 * db), rng);
      draws[i] = x / (x + y);
    }
    BetaDistribution beta = BetaDistribution.of(12, 9_989);
    double p = KolmogorovSmirnovTest.withDefaults().test(draws, beta::cumulativeProbability).getPValue();
    assertThat(p).as("KS p-value against Beta(12, 9989)").isGreaterThan(0.001);
    BetaDistribution wrong = BetaDistribution.of(11, 9_989);
    double q = KolmogorovSmirnovTest.withDefaults().test(draws, wrong::cumulativeProbability).getPValue();
    assertThat(q).as("KS p-value against Beta(11, 9989)").isLessThan(1e-6);
  }

  @Test
  void squeeze_acceptsOnlyWhereTheLogarithmicTestAccepts() {
    // The shape-dependent squeeze must imply Marsaglia–Tsang's exact acceptance test for every
    // (shape, x, u): a squeeze that accepted more would change the distribution.
    SplittableRandom rng = new SplittableRandom(23);
    long accepted = 0;
    for (int i = 0; i < 2_000_000; i++) {
      double d = Math.exp(rng.nextDouble(Math.log(2.0 / 3), Math.log(1e5)));
      double c = 1 / Math.sqrt(9 * d);
      double x = rng.nextDouble(-1 / c, 12);
      double u = rng.nextDouble();
      double w = 1 + c * x;
      if (w <= 0) {
        continue;
      }
      double v = w * w * w;
      double x4 = x * x * x * x;
      if (12 * Math.min(1, w) * (1 - u) > c * c * x4) {
        accepted++;
        assertThat(Math.log(u))
            .as("d=%s x=%s u=%s", d, x, u)
            .isLessThan(0.5 * x * x + d * (1 - v + Math.log(v)));
      }
    }
    assertThat(accepted).isGreaterThan(100_000);
  }
}
