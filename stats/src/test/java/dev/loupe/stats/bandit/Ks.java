package dev.loupe.stats.bandit;

import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/** The one-sample Kolmogorov–Smirnov test the sampler tests use, against Commons Statistics. */
final class Ks {

  private Ks() {}

  /** The p-value of draws {@code x} against distribution {@code d}. */
  static double pValue(double[] x, ContinuousDistribution d) {
    return KolmogorovSmirnovTest.withDefaults().test(x, d::cumulativeProbability).getPValue();
  }
}
