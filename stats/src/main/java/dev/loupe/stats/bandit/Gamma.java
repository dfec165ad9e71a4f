package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) variates by Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables", ACM TOMS 26(3); shapes below 1 by the boost Gamma(a) = Gamma(a + 1)·U<sup>1/a</sup>.
 * Normal variates come from {@link SplittableRandom#nextGaussian()} (a ziggurat method).
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
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
