package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BetaSamplerTest {

  @Test
  void cubeMethod_normalEnvelope_boundsTheDensityEverywhere() {
    // A(z) ≤ 0 on the whole domain is what makes the accepted candidates Beta-distributed; it
    // holds for every α ≥ 1, β > 1, including where the sampler uses Gamma variates instead.
    double[] alphas = {1, 1.5, 2, 7, 50, 301, 2_001, 1e5};
    double[] betas = {1.01, 2, 10, 100, 9_701, 1e6};
    double worst = Double.NEGATIVE_INFINITY;
    for (double alpha : alphas) {
      for (double beta : betas) {
        for (int i = -40_000; i <= 40_000; i++) {
          double z = i * 1e-3 * Math.sqrt(9 * (alpha - 1.0 / 3)); // t = cz from −40 to 40
          double a = BetaSampler.acceptanceExponent(alpha, beta, z);
          worst = Math.max(worst, a);
          assertThat(a).as("A(%s) for Beta(%s, %s)", z, alpha, beta).isLessThanOrEqualTo(1e-9);
        }
      }
    }
    assertThat(worst).as("the bound is tight at the mode").isGreaterThan(-1e-9);
  }

  @Test
  void squeeze_acceptsOnlyWhereTheExactTestAccepts() {
    // For random posteriors where the squeeze applies, random normals inside the ziggurat's
    // inner rectangles and random u: the squeeze at the top of u's 8-bit interval, and with all
    // of u, may accept only when ln u < A(z).
    SplittableRandom rng = new SplittableRandom(31);
    double[] k = new double[BetaSampler.STRIDE];
    long checked = 0;
    long squeezed = 0;
    for (int i = 0; i < 2_000_000; i++) {
      double alpha = Math.floor(Math.exp(rng.nextDouble(Math.log(7), Math.log(1e5))));
      double beta = Math.floor(alpha * Math.exp(rng.nextDouble(Math.log(3), Math.log(1e4))));
      BetaSampler.setUp(alpha, beta, k, 0);
      double q = k[2];
      if (q == Double.POSITIVE_INFINITY) {
        continue;
      }
      checked++;
      // z concentrated near the edges of (−r, r), where the bounds are weakest
      double z = (rng.nextBoolean() ? 1 : -1) * Ziggurat.R * (1 - Math.pow(rng.nextDouble(), 4));
      int prefix = rng.nextInt(256);
      double top = (prefix + 1) / 256.0;
      double exponent = BetaSampler.acceptanceExponent(alpha, beta, z);
      if (z * z * q < Gamma.oneMinusTop(prefix)) {
        squeezed++;
        assertThat(Math.log(top)).as("Beta(%s, %s), z = %s, prefix %s", alpha, beta, z, prefix)
            .isLessThan(exponent);
      }
      double u = rng.nextDouble();
      if (1 - u > q * z * z) {
        assertThat(Math.log(u)).as("Beta(%s, %s), z = %s, u = %s", alpha, beta, z, u)
            .isLessThan(exponent);
      }
    }
    assertThat(checked).isGreaterThan(1_000_000);
    assertThat(squeezed).as("the squeeze was exercised").isGreaterThan(checked / 2);
  }

  @Test
  void raiseBeta_keptSqueeze_stillAcceptsOnlyWhereTheExactTestAccepts() {
    // After failures Thompson sampling updates x0 alone and keeps q from an earlier β: that q
    // must still imply the exact test for the new β.
    SplittableRandom rng = new SplittableRandom(37);
    double[] k = new double[BetaSampler.STRIDE];
    int squeezed = 0;
    for (int i = 0; i < 1_000_000; i++) {
      double alpha = Math.floor(Math.exp(rng.nextDouble(Math.log(8), Math.log(1e5))));
      double beta = Math.floor(alpha * Math.exp(rng.nextDouble(Math.log(3), Math.log(1e4))));
      BetaSampler.setUp(alpha, beta, k, 0);
      if (k[2] == Double.POSITIVE_INFINITY) {
        continue;
      }
      double raised = beta + Math.floor(beta * rng.nextDouble(0, 10));
      BetaSampler.raiseBeta(alpha, raised, k, 0);
      double[] fresh = new double[BetaSampler.STRIDE];
      BetaSampler.setUp(alpha, raised, fresh, 0);
      assertThat(k[0]).isEqualTo(fresh[0]);
      assertThat(k[1]).isEqualTo(fresh[1]);
      double z = (rng.nextBoolean() ? 1 : -1) * Ziggurat.R * (1 - Math.pow(rng.nextDouble(), 4));
      int prefix = rng.nextInt(256);
      if (z * z * k[2] < Gamma.oneMinusTop(prefix)) {
        squeezed++;
        assertThat(Math.log((prefix + 1) / 256.0))
            .as("Beta(%s, %s) set up at β = %s, z = %s", alpha, raised, beta, z)
            .isLessThan(BetaSampler.acceptanceExponent(alpha, raised, z));
      }
    }
    assertThat(squeezed).isGreaterThan(100_000);
  }

  @Test
  void draws_afterRaiseBeta_followTheNewBeta() {
    // Set up at Beta(301, 1001), then raised to Beta(301, 9701) as failures would: x0 moves, q
    // stays; the draws must follow the new posterior (and not the old one).
    SplittableRandom rng = new SplittableRandom(47);
    double[] k = new double[BetaSampler.STRIDE];
    BetaSampler.setUp(301, 1_001, k, 0);
    BetaSampler.raiseBeta(301, 9_701, k, 0);
    double[] draws = new double[40_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = BetaSampler.draw(301, 9_701, k, 0, rng.nextLong(), rng);
    }
    BetaDistribution target = BetaDistribution.of(301, 9_701);
    double p = KolmogorovSmirnovTest.withDefaults().test(draws, target::cumulativeProbability).getPValue();
    assertThat(p).isGreaterThan(0.001);
    BetaDistribution old = BetaDistribution.of(301, 1_001);
    double q = KolmogorovSmirnovTest.withDefaults().test(draws, old::cumulativeProbability).getPValue();
    assertThat(q).isLessThan(1e-6);
  }

  @Test
  void draws_followBetaDistribution_onBothMethodsAndAtTheirBoundary() {
    // The per-arm path of Thompson sampling's choice: the squeeze, the full cube method, and the
    // Gamma ratio. For each α, β at the least value where the squeeze applies, and one below it
    // (Gamma ratio); S8-sized counts; and the boundary x₀ = 1/4 is checked through β = 3d.
    SplittableRandom rng = new SplittableRandom(41);
    double[] k = new double[BetaSampler.STRIDE];
    for (double alpha : new double[] {1, 2, 7, 8, 50, 301, 2_001, 70_000}) {
      double least = leastBetaWithSqueeze(alpha);
      double[] betas =
          least == Double.POSITIVE_INFINITY ? new double[] {2, 30} : new double[] {least - 1, least, 10 * least};
      for (double beta : betas) {
        BetaSampler.setUp(alpha, beta, k, 0);
        double[] draws = new double[40_000];
        double sum = 0;
        for (int i = 0; i < draws.length; i++) {
          draws[i] = BetaSampler.draw(alpha, beta, k, 0, rng.nextLong(), rng);
          sum += draws[i];
        }
        BetaDistribution target = BetaDistribution.of(alpha, beta);
        double p = KolmogorovSmirnovTest.withDefaults().test(draws, target::cumulativeProbability).getPValue();
        assertThat(p).as("KS p-value against Beta(%s, %s)", alpha, beta).isGreaterThan(0.001);
        assertThat(sum / draws.length)
            .as("mean of draws from Beta(%s, %s)", alpha, beta)
            .isCloseTo(target.getMean(), Offset.offset(4 * Math.sqrt(target.getVariance() / draws.length)));
      }
    }
  }

  @Test
  void draws_atConversionRatePosteriors_mostlyTakeTheSqueeze() {
    // What makes Thompson sampling fast: at S8's posteriors nearly every draw is one normal and
    // a few products. Counted from the path itself: the squeeze decides or the full method does.
    SplittableRandom rng = new SplittableRandom(43);
    double[] k = new double[BetaSampler.STRIDE];
    BetaSampler.setUp(301, 9_701, k, 0);
    int quick = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      long word = rng.nextLong();
      double z = Ziggurat.candidate(word);
      if (BetaSampler.quickAccepts(k, 0, word, z * z)) {
        quick++;
      }
    }
    assertThat((double) quick / n).isGreaterThan(0.95);
  }

  /** The least integer β at which {@link BetaSampler#setUp} gives a finite q for α, or +∞. */
  private static double leastBetaWithSqueeze(double alpha) {
    double[] k = new double[BetaSampler.STRIDE];
    for (double beta = 2; beta < 1e6; beta++) {
      BetaSampler.setUp(alpha, beta, k, 0);
      if (k[2] != Double.POSITIVE_INFINITY) {
        return beta;
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
