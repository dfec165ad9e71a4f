package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BetaSamplerTest {

  @Test
  void cubeMethod_normalEnvelope_boundsTheDensityEverywhere() {
    // A(z) ≤ 0 on the whole domain is what makes the accepted candidates Beta-distributed. With
    // Gamma's scale c = 1/√(9d) it holds for every α ≥ 1, β > 1; with the tighter c that setUp
    // picks where x₀ ≤ 1/16 it must hold for every β up to the largest it serves.
    double[] alphas = {1, 1.5, 2, 3, 4, 5, 7, 50, 301, 2_001, 1e5};
    double[] betas = {1.01, 2, 10, 100, 4_000, 9_701, 1e6, 1e8};
    double[] k = new double[BetaSampler.STRIDE];
    double worst = Double.NEGATIVE_INFINITY;
    int tight = 0;
    for (double alpha : alphas) {
      double gammaScale = 1 / Math.sqrt(9 * (alpha - 1.0 / 3));
      for (double beta : betas) {
        BetaSampler.setUp(alpha, beta, k, 0);
        double c = k[1];
        tight += c < gammaScale ? 1 : 0;
        double largest = Math.min(k[3] + 1, 1e12);
        for (double scale : new double[] {gammaScale, c}) {
          for (double b : new double[] {beta, Math.min(Math.max(beta, largest), 1e12)}) {
            for (int i = -20_000; i <= 20_000; i++) {
              double z = i * 2e-3 / gammaScale; // t from about −40 to 40
              double a = BetaSampler.acceptanceExponent(alpha, b, scale, z);
              worst = Math.max(worst, a);
              assertThat(a)
                  .as("A(%s) for Beta(%s, %s), c = %s", z, alpha, b, scale)
                  .isLessThanOrEqualTo(1e-9);
            }
          }
        }
      }
    }
    assertThat(tight).as("the tighter envelope was checked").isGreaterThan(5);
    assertThat(worst).as("the bound is tight at the mode").isGreaterThan(-1e-9);
  }

  @Test
  void lnOnePlus_agreesWithLog1pToAFewUlps() {
    // The exact test multiplies ln(1 − e) by b (up to 10⁸ and more): its relative error must be
    // that of Math.log1p, not that of Math.log(1 − e).
    SplittableRandom rng = new SplittableRandom(59);
    for (int i = 0; i < 1_000_000; i++) {
      double x = (rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-12, -0.3));
      double expected = Math.log1p(x);
      assertThat(BetaSampler.lnOnePlus(x))
          .as("ln(1 + %s)", x)
          .isCloseTo(expected, Offset.offset(4 * Math.ulp(expected)));
    }
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
      double alpha = Math.floor(Math.exp(rng.nextDouble(Math.log(2), Math.log(1e5))));
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
      double exponent = BetaSampler.acceptanceExponent(alpha, beta, k[1], z);
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
      double alpha = Math.floor(Math.exp(rng.nextDouble(Math.log(2), Math.log(1e5))));
      double beta = Math.floor(alpha * Math.exp(rng.nextDouble(Math.log(3), Math.log(1e4))));
      BetaSampler.setUp(alpha, beta, k, 0);
      if (k[2] == Double.POSITIVE_INFINITY) {
        continue;
      }
      // a β the constants still serve (b up to k[3]), which raiseBeta then leaves them for
      double room = Math.min(k[3] + 1, 1e12) - beta;
      if (!(room >= 1)) {
        continue;
      }
      double raised = beta + 1 + Math.floor((room - 1) * rng.nextDouble());
      double c = k[1];
      double q = k[2];
      BetaSampler.raiseBeta(alpha, raised, k, 0);
      assertThat(k[1]).isEqualTo(c);
      assertThat(k[2]).isEqualTo(q);
      double d = alpha - 1.0 / 3;
      assertThat(k[0]).isEqualTo(d / (d + (raised - 1)));
      double z = (rng.nextBoolean() ? 1 : -1) * Ziggurat.R * (1 - Math.pow(rng.nextDouble(), 4));
      int prefix = rng.nextInt(256);
      if (z * z * k[2] < Gamma.oneMinusTop(prefix)) {
        squeezed++;
        assertThat(Math.log((prefix + 1) / 256.0))
            .as("Beta(%s, %s) set up at β = %s, z = %s", alpha, raised, beta, z)
            .isLessThan(BetaSampler.acceptanceExponent(alpha, raised, k[1], z));
      }
    }
    assertThat(squeezed).isGreaterThan(100_000);
  }

  @Test
  void draws_afterRaiseBeta_followTheNewBeta() {
    // Set up at Beta(301, 7801), then raised to Beta(301, 9701) as failures would: x0 moves, c
    // and q stay; the draws must follow the new posterior (and not the old one).
    SplittableRandom rng = new SplittableRandom(47);
    double[] k = new double[BetaSampler.STRIDE];
    BetaSampler.setUp(301, 7_801, k, 0);
    double c = k[1];
    BetaSampler.raiseBeta(301, 9_701, k, 0);
    assertThat(k[1]).as("c kept").isEqualTo(c);
    double[] draws = new double[40_000];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = BetaSampler.draw(301, 9_701, k, 0, rng.nextLong(), rng);
    }
    BetaDistribution target = BetaDistribution.of(301, 9_701);
    double p = Ks.pValue(draws, target);
    assertThat(p).isGreaterThan(0.001);
    BetaDistribution old = BetaDistribution.of(301, 7_801);
    double q = Ks.pValue(draws, old);
    assertThat(q).isLessThan(1e-6);
  }

  @Test
  void draws_followBetaDistribution_onBothMethodsAndAtTheirBoundary() {
    // The per-arm path of Thompson sampling's choice: the squeeze, the full cube method, and the
    // Gamma ratio. For each α, β at the least value where the squeeze applies, and one below it
    // (Gamma ratio); S8-sized counts; and the boundary x₀ = 1/4 is checked through β = 3d.
    SplittableRandom rng = new SplittableRandom(41);
    double[] k = new double[BetaSampler.STRIDE];
    for (double alpha : new double[] {1, 2, 3, 5, 7, 8, 50, 301, 2_001, 70_000}) {
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
        double p = Ks.pValue(draws, target);
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
