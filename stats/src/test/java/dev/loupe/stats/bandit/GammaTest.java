package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GammaTest {

  @Test
  void sample_shapesFromOneToTenThousand_followGammaDistribution() {
    // Shapes as in a Beta(1 + s, 1 + f) posterior: small success counts, large failure counts.
    double[] shapes = {0.1, 0.5, 1, 2, 7, 40, 300, 9_700};
    SplittableRandom rng = new SplittableRandom(5);
    for (double shape : shapes) {
      double[] draws = new double[20_000];
      for (int i = 0; i < draws.length; i++) {
        draws[i] = Gamma.sample(shape, rng);
      }
      GammaDistribution g = GammaDistribution.of(shape, 1);
      double p = Ks.pValue(draws, g);
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
    double p = Ks.pValue(draws, beta);
    assertThat(p).as("KS p-value against Beta(12, 9989)").isGreaterThan(0.001);
    BetaDistribution wrong = BetaDistribution.of(11, 9_989);
    double q = Ks.pValue(draws, wrong);
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
      if (Gamma.squeezeAccepts(c, x, w, u)) {
        accepted++;
        assertThat(Math.log(u))
            .as("d=%s x=%s u=%s", d, x, u)
            .isLessThan(0.5 * x * x + d * (1 - v + Math.log(v)));
      }
    }
    assertThat(accepted).isGreaterThan(100_000);
  }

  /** The first-attempt path of the Thompson learner, words from a caller's generator. */
  private static double fast(double shape, SplittableRandom words, SplittableRandom rng) {
    double d = shape - 1.0 / 3;
    long w = words.nextLong();
    return Gamma.sample(d, 1 / Math.sqrt(9 * d), 2 / (3 * d), w, (int) (words.nextLong() >>> 56), rng);
  }

  @Test
  void sample_firstAttemptFromWords_followsGammaDistribution() {
    // Shapes from 1 (an arm's first pull) to 10^5, where the quick squeeze decides nearly always.
    double[] shapes = {1, 1.5, 2, 5, 40, 300, 9_700, 100_000};
    SplittableRandom words = new SplittableRandom(53);
    SplittableRandom rng = new SplittableRandom(59);
    for (double shape : shapes) {
      int n = 40_000;
      double[] draws = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        draws[i] = fast(shape, words, rng);
        sum += draws[i];
      }
      GammaDistribution g = GammaDistribution.of(shape, 1);
      double p = Ks.pValue(draws, g);
      assertThat(p).as("KS p-value against Gamma(%s, 1)", shape).isGreaterThan(0.001);
      double mean = sum / n;
      double ss = 0;
      for (double x : draws) {
        ss += (x - mean) * (x - mean);
      }
      // Mean and variance of Gamma(k, 1) are both k; standard errors √(k/n) and about k·√(2/n)
      // (plus the excess kurtosis 6/k, which matters only at small shapes: √((2 + 6/k)/n)).
      assertThat(mean).as("mean at shape %s", shape).isCloseTo(shape, Offset.offset(4 * Math.sqrt(shape / n)));
      assertThat(ss / (n - 1))
          .as("variance at shape %s", shape)
          .isCloseTo(shape, Offset.offset(4 * shape * Math.sqrt((2 + 6 / shape) / n)));
    }
  }

  @Test
  void sample_firstAttemptFromWords_offByOneShapeIsDetected() {
    // The check above can fail: draws at shape 300 against Gamma(303, 1).
    SplittableRandom words = new SplittableRandom(53);
    SplittableRandom rng = new SplittableRandom(59);
    double[] draws = new double[40_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = fast(300, words, rng);
    }
    GammaDistribution wrong = GammaDistribution.of(303, 1);
    double p = Ks.pValue(draws, wrong);
    assertThat(p).isLessThan(1e-6);
  }

  @Test
  void quickSqueeze_acceptsOnlyWhereTheLogarithmicTestAccepts() {
    // The first attempt's quick test, t = cx ≥ −1/2 and q·(1 − (p + 1)/256) > t⁴, must imply
    // Marsaglia–Tsang's exact test for the largest u with leading bits p (then for every smaller
    // u too, since the test's left-hand side log u increases with u).
    SplittableRandom rng = new SplittableRandom(61);
    long accepted = 0;
    for (int i = 0; i < 2_000_000; i++) {
      double d = Math.exp(rng.nextDouble(Math.log(2.0 / 3), Math.log(1e5)));
      double c = 1 / Math.sqrt(9 * d);
      double q = 2 / (3 * d);
      double x = rng.nextDouble(-0.5 / c, 12);
      int prefix = rng.nextInt(256);
      double t = c * x;
      if (Gamma.quickAccepts(t, q, prefix)) {
        accepted++;
        double u = (prefix + 1) / 256.0 - 0x1p-53;
        double w = 1 + t;
        double v = w * w * w;
        assertThat(Math.log(u))
            .as("d=%s x=%s prefix=%s", d, x, prefix)
            .isLessThan(0.5 * x * x + d * (1 - v + Math.log(v)));
      }
    }
    assertThat(accepted).isGreaterThan(100_000);
  }
}
