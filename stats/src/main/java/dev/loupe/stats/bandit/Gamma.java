package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) variates by Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3); shapes below 1 by the boost Gamma(a) = Gamma(a + 1)·U<sup>1/a</sup>.
 * Normal variates come from {@link Ziggurat}.
 *
 * <p>A candidate d·v, v = w³, w = 1 + cx (x standard normal, d = shape − 1/3, c = 1/√(9d)) is
 * accepted when log u &lt; x²/2 + d(1 − v + ln v), u uniform. Two squeezes, which only ever
 * accept when that test accepts, avoid the two logarithms for nearly every draw:
 *
 * <ul>
 *   <li>their published squeeze u &lt; 1 − 0.0331·x⁴;
 *   <li>a shape-dependent one, tight for large shapes where the published one still rejects about
 *       one draw in ten: with t = cx and 9dc² = 1, the right-hand side is d·g(t) with
 *       g(t) = −3t + 3t²/2 − t³ + 3 ln(1 + t), g(0) = 0 and g′(t) = −3t³/(1 + t), hence
 *       g(t) ≥ −(3t⁴/4)/min(1, 1 + t) for t &gt; −1, i.e. the right-hand side is at least
 *       −c²x⁴/(12·min(1, w)); since ln u ≤ u − 1, 12·min(1, w)·(1 − u) &gt; c²x⁴ implies acceptance.
 * </ul>
 *
 * <p>{@link #sample(double, double, double, long, int, SplittableRandom)} is the same method with
 * its first attempt's randomness passed in, for a hot loop that generates it from a generator in
 * local variables: the normal's 64-bit word, and 8 random bits that are the leading bits of u. A
 * third squeeze, valid for cx ≥ −½, is checked at the top of u's interval, so that it accepts
 * for every u with those leading bits; the remaining 45 bits of u are drawn (from {@code rng})
 * only when it does not: about once in 250 draws for the large shapes of a posterior after a few
 * hundred visitors (mostly the top prefix, 1 in 256), more often for small shapes (about one
 * draw in 9 at shape 1, one in 40 at shape 2). A
 * rejected first attempt is replaced by an independent draw of {@link #sample(double, double,
 * SplittableRandom)}: the first attempt, if it accepts, has the Gamma distribution, so the
 * result has too.
 */
final class Gamma {

  /** 1 − (p + 1)/256: one minus the top of the interval of u with leading bits p. */
  private static final double[] ONE_MINUS_TOP = new double[256];

  static {
    for (int p = 0; p < 256; p++) {
      ONE_MINUS_TOP[p] = (255 - p) / 256.0;
    }
  }

  private Gamma() {}

  /** 1 − (p + 1)/256 for {@code prefix} p in [0, 256): one minus the top of u's interval. */
  static double oneMinusTop(int prefix) {
    return ONE_MINUS_TOP[prefix];
  }

  static double sample(double shape, SplittableRandom rng) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return sample(shape + 1, rng) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    return sample(d, 1 / Math.sqrt(9 * d), rng);
  }

  /** Shape ≥ 1 given as d = shape − 1/3 and c = 1/√(9d). */
  static double sample(double d, double c, SplittableRandom rng) {
    while (true) {
      double x = Ziggurat.sample(rng);
      double w = 1 + c * x;
      if (w > 0 && accepts(d, c, x, w, rng.nextDouble())) {
        return d * w * w * w;
      }
    }
  }

  /**
   * As {@link #sample(double, double, SplittableRandom)}, with the first attempt's normal from
   * {@code normalWord} (64 random bits) and the leading 8 bits of its uniform u given as {@code
   * prefix} (in [0, 256)); {@code q} = 2/(3d). More randomness, when needed, comes from {@code rng}.
   *
   * <p>The first attempt's quick test: with t = cx, for t ≥ −½ the right-hand side of the exact
   * test is at least −(3/2)·d·t⁴ (the class comment's bound with min(1, 1 + t) ≥ ½), and ln u ≤
   * u − 1, so q·(1 − u) &gt; t⁴ implies acceptance; it holds for every u in [p/256, (p + 1)/256)
   * when it holds at the interval's top. Otherwise u's other 45 bits are drawn and the full test
   * decides; a rejected attempt is replaced by an independent draw.
   */
  static double sample(
      double d, double c, double q, long normalWord, int prefix, SplittableRandom rng) {
    double x = Ziggurat.normal(normalWord, rng);
    double t = c * x;
    double w = 1 + t;
    if (quickAccepts(t, q, prefix)) {
      return d * w * (w * w);
    }
    if (w > 0) {
      double u = (((long) prefix << 45) | (rng.nextLong() >>> 19)) * 0x1p-53;
      if (accepts(d, c, x, w, u)) {
        return d * w * w * w;
      }
    }
    return sample(d, c, rng);
  }

  /**
   * The first attempt's quick test (see {@link #sample(double, double, double, long, int,
   * SplittableRandom)}): t = cx ≥ −½ and q·(1 − (p + 1)/256) &gt; t⁴, for every u with leading
   * bits {@code prefix}.
   */
  static boolean quickAccepts(double t, double q, int prefix) {
    double t2 = t * t;
    return t >= -0.5 && q * ONE_MINUS_TOP[prefix] > t2 * t2;
  }

  /** The shape-dependent squeeze (see the class comment): 12·min(1, w)·(1 − u) &gt; c²x⁴. */
  static boolean squeezeAccepts(double c, double x, double w, double u) {
    double x2 = x * x;
    return 12 * Math.min(1, w) * (1 - u) > c * c * (x2 * x2);
  }

  /** Marsaglia and Tsang's acceptance test for candidate d·(1 + cx)³ with w = 1 + cx &gt; 0. */
  static boolean accepts(double d, double c, double x, double w, double u) {
    if (squeezeAccepts(c, x, w, u)) {
      return true;
    }
    double x2 = x * x;
    double x4 = x2 * x2;
    if (u < 1 - 0.0331 * x4) {
      return true;
    }
    double v = w * w * w;
    return Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v));
  }
}
