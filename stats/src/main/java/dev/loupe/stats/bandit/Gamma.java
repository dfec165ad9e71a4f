package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) variates by Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3); shapes below 1 by the boost Gamma(a) = Gamma(a + 1)·U<sup>1/a</sup>.
 * Normal variates come from {@link SplittableRandom#nextGaussian()} (a ziggurat method).
 *
 * <p>Acceptance is Marsaglia and Tsang's exact test log u &lt; x²/2 + d(1 − v + ln v), with
 * v = w³, w = 1 + cx, preceded by two squeezes that only ever accept when that test accepts, so
 * the accepted variates (and, for a seed, the draws themselves) are those of the plain method;
 * the squeezes only avoid the two logarithms:
 *
 * <ul>
 *   <li>their published squeeze u &lt; 1 − 0.0331·x⁴;
 *   <li>a shape-dependent one, tight for large shapes where the published one still rejects about
 *       one draw in ten: with t = cx and 9dc² = 1, the right-hand side is d·g(t) with
 *       g(t) = −3t + 3t²/2 − t³ + 3 ln(1 + t), g(0) = 0 and g′(t) = −3t³/(1 + t), hence
 *       g(t) ≥ −(3t⁴/4)/min(1, 1 + t) for t &gt; −1, i.e. the right-hand side is at least
 *       −c²x⁴/(12·min(1, w)); since ln u ≤ u − 1, 12·min(1, w)·(1 − u) &gt; c²x⁴ implies acceptance.
 * </ul>
 */
final class Gamma {

  private Gamma() {}

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
      double x = rng.nextGaussian();
      double w = 1 + c * x;
      if (w <= 0) {
        continue;
      }
      double v = w * w * w;
      double u = rng.nextDouble();
      double x2 = x * x;
      double x4 = x2 * x2;
      // Shape-dependent squeeze (see the class comment): 12·min(1, w)·(1 − u) > c²x⁴.
      if (12 * Math.min(1, w) * (1 - u) > c * c * x4) {
        return d * v;
      }
      if (u < 1 - 0.0331 * x4) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
