package dev.loupe.stats.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A/A tests with repeated looks, fixed seed. R = 3000 replications; the Monte Carlo standard error
 * of a rate near 0.05 is 0.004, so "at most alpha" is checked as ≤ 0.05 + 0.012 (3 SE) and "about
 * alpha" as within ±0.012.
 */
class PeekingSimulationTest {

  private static final int R = 3000;
  private static final int LOOKS = 5;
  private static final int PER_LOOK = 100;
  private static final double FIXED_Z = 1.959963984540054;

  @Test
  void peeking_inflatesFixedHorizonButNotSequential() {
    List<Look> obf = GroupSequential.of(LOOKS).boundaries();
    List<Look> pocock = GroupSequential.of(LOOKS).withSpending(SpendingFunction.POCOCK).boundaries();
    MixtureSprt msprt = MixtureSprt.withMixingScale(0.2);
    SplittableRandom rng = new SplittableRandom(2026);
    int naive = 0;
    int finalOnly = 0;
    int gsObf = 0;
    int gsPocock = 0;
    int always = 0;
    int continuousNaive = 0;
    for (int r = 0; r < R; r++) {
      double sumA = 0;
      double sumB = 0;
      boolean naiveHit = false;
      boolean obfHit = false;
      boolean pocHit = false;
      boolean contHit = false;
      MixtureSprt.Monitor monitor = msprt.monitor();
      double z = 0;
      for (int look = 1; look <= LOOKS; look++) {
        for (int i = 0; i < PER_LOOK; i++) {
          sumA += gaussian(rng);
          sumB += gaussian(rng);
          int n = (look - 1) * PER_LOOK + i + 1;
          if (n % 10 == 0) {
            // Continuous monitoring every 10 units per arm (known variance 1 per arm).
            double diff = (sumB - sumA) / n;
            monitor.accept(n, diff, 2.0);
            contHit |= Math.abs(diff / Math.sqrt(2.0 / n)) >= FIXED_Z;
          }
        }
        int n = look * PER_LOOK;
        z = (sumB - sumA) / n / Math.sqrt(2.0 / n);
        naiveHit |= Math.abs(z) >= FIXED_Z;
        obfHit |= Math.abs(z) >= obf.get(look - 1).criticalZ();
        pocHit |= Math.abs(z) >= pocock.get(look - 1).criticalZ();
      }
      naive += naiveHit ? 1 : 0;
      finalOnly += Math.abs(z) >= FIXED_Z ? 1 : 0;
      gsObf += obfHit ? 1 : 0;
      gsPocock += pocHit ? 1 : 0;
      always += monitor.rejected() ? 1 : 0;
      continuousNaive += contHit ? 1 : 0;
    }
    double naiveRate = naive / (double) R;
    assertThat(finalOnly / (double) R).isBetween(0.038, 0.062);
    assertThat(naiveRate).as("fixed-horizon test peeked at 5 times").isGreaterThan(0.10);
    assertThat(continuousNaive / (double) R).as("fixed-horizon test peeked at 50 times").isGreaterThan(0.2);
    assertThat(gsObf / (double) R).isBetween(0.038, 0.062);
    assertThat(gsPocock / (double) R).isBetween(0.038, 0.062);
    assertThat(always / (double) R).as("mSPRT monitored 50 times").isLessThanOrEqualTo(0.062);
  }

  @Test
  void confidenceSequence_coversTrueEffectAtAllLooks() {
    MixtureSprt msprt = MixtureSprt.withMixingScale(0.3);
    SplittableRandom rng = new SplittableRandom(99);
    int missed = 0;
    double effect = 0.25;
    for (int r = 0; r < 1000; r++) {
      MixtureSprt.Monitor m = msprt.monitor();
      double sumA = 0;
      double sumB = 0;
      for (int n = 1; n <= 300; n++) {
        sumA += gaussian(rng);
        sumB += effect + gaussian(rng);
        if (n % 10 == 0) {
          m.accept(n, (sumB - sumA) / n, 2.0);
        }
      }
      if (!(m.ciLow() <= effect && effect <= m.ciHigh())) {
        missed++;
      }
    }
    // Simultaneous coverage >= 95%: misses at most 5% (+ 3 Monte Carlo SE of 0.007).
    assertThat(missed / 1000.0).isLessThanOrEqualTo(0.071);
  }

  static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}
