package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The ziggurat normal against Commons Statistics' standard normal: KS tests on all draws and on
 * the draws that need the wedge or the tail, moments, and the tail mass beyond r. Fixed seeds;
 * tolerances are stated where used (4 standard errors for frequencies and moments).
 */
class ZigguratTest {

  private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

  private static double f(double x) {
    return Math.exp(-0.5 * x * x);
  }

  @Test
  void rightEdge_forTwoHundredFiftySixLayers_isThePublishedValue() {
    // The solver behind r, checked where a published value exists (Marsaglia and Tsang 2000;
    // numpy uses the same r and v), whose last digits are rounded.
    double r = Ziggurat.rightEdge(256);
    assertThat(r).isCloseTo(3.6541528853610088, Offset.offset(1e-15));
    assertThat(Ziggurat.area(r)).isCloseTo(4.92867323399e-3, Offset.offset(1e-13));
  }

  @Test
  void tables_everyLayerHasTheSameArea() {
    // Base layer: r·f(r) plus the tail; layer i: x_{i-1}·(f(x_i) − f(x_{i-1})); the top layer
    // (up to f = 1) closes the recursion only if r is right for the number of layers.
    double[] x = Ziggurat.EDGE;
    int top = x.length - 1;
    assertThat(x[0]).isEqualTo(Ziggurat.R);
    assertThat(x[top]).isZero();
    double tail = Math.sqrt(2 * Math.PI) * STANDARD.survivalProbability(Ziggurat.R);
    assertThat(Ziggurat.R * f(Ziggurat.R) + tail).isCloseTo(Ziggurat.V, Offset.offset(1e-18));
    for (int i = 1; i < top; i++) {
      assertThat(x[i]).as("edge %d", i).isLessThan(x[i - 1]);
      double area = x[i - 1] * (f(x[i]) - f(x[i - 1]));
      assertThat(area / Ziggurat.V).as("area of layer %d", i).isCloseTo(1, Offset.offset(1e-12));
    }
    // r is a double next to the exact solution; 1,022 steps of the recursion amplify its rounding
    // to about 2e-12 of v in the top layer (a probability error below 1e-14)
    double topArea = x[top - 1] * (1 - f(x[top - 1]));
    assertThat(topArea / Ziggurat.V).as("area of the top layer").isCloseTo(1, Offset.offset(1e-11));
  }

  @Test
  void sample_followsStandardNormal() {
    SplittableRandom rng = new SplittableRandom(31);
    double[] z = new double[200_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = Ziggurat.sample(rng);
    }
    assertNormal(z);
  }

  @Test
  void normal_wordsFromTheCaller_followStandardNormal() {
    // The path the Thompson learner uses: the first attempt from a caller's word.
    SplittableRandom words = new SplittableRandom(37);
    SplittableRandom rng = new SplittableRandom(41);
    double[] z = new double[200_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = Ziggurat.normal(words.nextLong(), rng);
    }
    assertNormal(z);
  }

  @Test
  void normal_attemptsOutsideTheInnerRectangles_followTheNormalThere() {
    // Values beyond r come only from the tail method, and values in (3, r) from the base layer and
    // the wedges of the outer layers: their frequencies over 2 million draws match the normal's.
    SplittableRandom words = new SplittableRandom(43);
    SplittableRandom rng = new SplittableRandom(47);
    int n = 2_000_000;
    int beyondR = 0;
    long between = 0;
    double lo = 3.0;
    for (int i = 0; i < n; i++) {
      double z = Ziggurat.normal(words.nextLong(), rng);
      if (Math.abs(z) > Ziggurat.R) {
        beyondR++;
      } else if (Math.abs(z) > lo) {
        between++;
      }
    }
    double pTail = 2 * STANDARD.survivalProbability(Ziggurat.R);
    assertThat((double) beyondR / n)
        .as("P(|Z| > r), the tail method")
        .isCloseTo(pTail, Offset.offset(4 * Math.sqrt(pTail * (1 - pTail) / n)));
    double pBetween = 2 * (STANDARD.survivalProbability(lo) - STANDARD.survivalProbability(Ziggurat.R));
    assertThat((double) between / n)
        .as("P(3 < |Z| < r), wedges of the outer layers")
        .isCloseTo(pBetween, Offset.offset(4 * Math.sqrt(pBetween * (1 - pBetween) / n)));
  }

  @Test
  void candidate_pointGrid_isSymmetricAndLeavesBits10To17() {
    // Complementing the point's 46 bits mirrors the point exactly (no bias towards either sign),
    // and bits 10–17, which the Beta sampler uses for its uniform, change neither the candidate
    // nor the variate.
    SplittableRandom words = new SplittableRandom(53);
    for (int i = 0; i < 100_000; i++) {
      long word = words.nextLong();
      double x = Ziggurat.candidate(word);
      assertThat(Ziggurat.candidate(word ^ 0xFFFF_FFFF_FFFC_0000L)).isEqualTo(-x);
      long other = word ^ ((long) (1 + words.nextInt(255)) << 10);
      assertThat(Ziggurat.candidate(other)).isEqualTo(x);
      assertThat(Ziggurat.normal(other, new SplittableRandom(i)))
          .isEqualTo(Ziggurat.normal(word, new SplittableRandom(i)));
    }
  }

  @Test
  void normal_shiftedReference_isRejectedByTheSameCheck() {
    // The KS check can fail: the same kind of draws against N(0.02, 1).
    SplittableRandom words = new SplittableRandom(37);
    SplittableRandom rng = new SplittableRandom(41);
    double[] z = new double[200_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = Ziggurat.normal(words.nextLong(), rng);
    }
    NormalDistribution shifted = NormalDistribution.of(0.02, 1);
    double p = Ks.pValue(z, shifted);
    assertThat(p).isLessThan(1e-6);
  }

  private static void assertNormal(double[] z) {
    double p = Ks.pValue(z, STANDARD);
    assertThat(p).as("KS p-value against N(0, 1)").isGreaterThan(0.001);
    int n = z.length;
    double m1 = 0;
    double m2 = 0;
    double m4 = 0;
    for (double x : z) {
      m1 += x;
      m2 += x * x;
      m4 += x * x * x * x;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    // Standard errors of the sample moments of N(0, 1): √(1/n), √(2/n), √(96/n).
    assertThat(m1).as("mean").isCloseTo(0, Offset.offset(4 * Math.sqrt(1.0 / n)));
    assertThat(m2).as("E[Z²]").isCloseTo(1, Offset.offset(4 * Math.sqrt(2.0 / n)));
    assertThat(m4).as("E[Z⁴]").isCloseTo(3, Offset.offset(4 * Math.sqrt(96.0 / n)));
  }
}
