package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * Beta(α, β) variates for Thompson sampling's posteriors, exact, with one normal per draw where
 * the posterior is concentrated on the low side (conversion rates), two Gamma variates elsewhere.
 *
 * <p><b>The cube method</b> (α ≥ 1, β ≥ 2). Marsaglia and Tsang's transformation for the Gamma
 * distribution, applied to the Beta density itself. With d = α − 1/3, b = β − 1, x₀ = d/(d + b)
 * (the mode of X in the cube-root scale), c = 1/√(9d), a standard normal z gives the candidate
 * X = x₀(1 + t)³, t = cz, which is accepted when
 *
 * <pre>ln u &lt; A(z) = z²/2 + d·ln(1 + s) + b·ln(1 − e),   s = (1 + t)³ − 1,  e = (d/b)·s,</pre>
 *
 * u uniform (a candidate with 1 + t ≤ 0 or e ≥ 1, outside (0, 1), is rejected). Accepted
 * candidates have the Beta(α, β) distribution: the density of t is proportional to exp(L(t)),
 * L(t) = d·ln(1 + t)³ + b·ln(1 − e) (Jacobian included, L(0) = 0), and A = L + z²/2 ≤ 0, so the
 * normal density bounds it. Proof that A ≤ 0: with z = t/c, A′(t) = 3dt·[3 − (3 + t²/(1 + t))
 * / (1 − x₀(1 + t)³)], and the fraction is at least 3 on the whole domain, so A′ has the sign of −t
 * and A is largest at A(0) = 0. The envelope is exact at the mode in the cube-root scale and wider
 * than the density by about 1/√(1 − x₀) elsewhere, so about √(1 − x₀) of candidates are accepted;
 * the method is used when x₀ ≤ 1/4 (at least 87%; 98.5% at a 3% conversion rate).
 *
 * <p><b>Its squeeze.</b> Since d·s = b·e, A = [z²/2 + d(1 − v + ln v)] + b·[e + ln(1 − e)] with
 * v = (1 + t)³. The first bracket is Marsaglia–Tsang's Gamma test, at least −(3/2)·d·t⁴ for t ≥ −½
 * (see {@link Gamma}); the second is at least −e²/(2(1 − e)) ≥ −(4/7)·e² for e ≤ 1/8. For a
 * normal from the ziggurat's inner rectangles, |z| &lt; r ({@link Ziggurat#R}), both conditions
 * hold when cr ≤ ½ and (d/b)·s(cr) ≤ 1/8, and then, bounding t⁴ ≤ c²r²·t² and |s| ≤ |t|·(3 + 3cr
 * + c²r²), A ≥ −q·z² with
 *
 * <pre>q = (3/2)·d·c⁴r² + (4/7)·(d²/b)·c²·(3 + 3cr + c²r²)².</pre>
 *
 * Since ln u ≤ u − 1, (1 − u) &gt; q·z² implies acceptance. {@link #setUp} computes x₀, c and q
 * for an arm (q = +∞ where the squeeze or the cube method does not apply), and {@link
 * #quickAccepts} checks a first attempt with only those three numbers and one random word, which
 * gives the normal (bits 0–9 and 18–63) and the leading 8 bits of u (bits 10–17), checking the
 * squeeze at the top of u's interval so that it holds for every u with those bits. It decides
 * about 96% of draws at a 3% conversion rate after a few hundred visitors; {@link #sample} completes the others.
 *
 * <p><b>Elsewhere</b> (small counts, rates above about 20%), X = G<sub>α</sub>/(G<sub>α</sub> +
 * G<sub>β</sub>) with {@link Gamma}'s Marsaglia–Tsang variates.
 */
final class BetaSampler {

  /** Per-arm constants that {@link #setUp} writes and {@link #quickDraw} reads. */
  static final int STRIDE = 3;

  /** Integer α below this take α's terms from a table (a posterior's α is 1 plus a count). */
  private static final int TABLE = 1 << 16;

  /**
   * The terms of {@link #setUp} that depend on α only, four per integer α (one cache line's half):
   * c, the two parts of q, and the least b at which the squeeze holds.
   */
  private static final double[] TERMS = new double[4 * TABLE];

  /**
   * q is rounded up by this factor, so that the rounding of q·z² and of q itself cannot make the
   * squeeze accept a candidate the exact bound would not.
   */
  private static final double ROUND_UP = 1 + 0x1p-40;

  /** r², rounded down: z² &lt; R_SQUARED implies |z| &lt; r. */
  private static final double R_SQUARED = Math.nextDown(Ziggurat.R * Ziggurat.R);

  static {
    for (int i = 1; i < TABLE; i++) {
      alphaTerms(i, TERMS, 4 * i);
    }
  }

  private BetaSampler() {}

  /**
   * Writes c, (3/2)·d·c⁴r², (4/7)·d²·c²·(3 + 3cr + c²r²)² and the least b at which the squeeze
   * holds at {@code out[at..at + 3]}.
   */
  private static void alphaTerms(double alpha, double[] out, int at) {
    double d = alpha - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    double cr = c * Ziggurat.R;
    double g = 3 + cr * (3 + cr);
    out[at] = c;
    out[at + 1] = 1.5 * d * (c * c) * (cr * cr) * ROUND_UP;
    out[at + 2] = (4.0 / 7) * (d * d) * (c * c) * (g * g) * ROUND_UP;
    // cr ≤ ½; e ≤ 1/8 for |z| < r, i.e. b ≥ 8·d·s(cr); x₀ ≤ 1/4, i.e. b ≥ 3d; and β ≥ 2
    out[at + 3] = cr <= 0.5 ? Math.max(1, Math.max(8 * d * (cr * g), 3 * d)) : Double.POSITIVE_INFINITY;
  }

  /** Writes x₀, c and q for Beta(α, β) at {@code out[at..at + 2]}; q = +∞ if the squeeze does not apply. */
  static void setUp(double alpha, double beta, double[] out, int at) {
    double c;
    double qGamma;
    double qBeta;
    double bMin;
    double[] terms = TERMS;
    int i = (int) alpha;
    int o = 4 * i;
    if (i != alpha || i >= TABLE) {
      terms = new double[4];
      o = 0;
      alphaTerms(alpha, terms, 0);
    }
    c = terms[o];
    qGamma = terms[o + 1];
    qBeta = terms[o + 2];
    bMin = terms[o + 3];
    double d = alpha - 1.0 / 3;
    double b = beta - 1;
    out[at] = d / (d + b);
    out[at + 1] = c;
    out[at + 2] = b >= bMin ? qGamma + qBeta / b : Double.POSITIVE_INFINITY;
  }

  /**
   * Updates {@link #setUp}'s constants at {@code out[at..at + 2]}, set up for Beta(α, β′), to
   * Beta(α, β) with β &gt; β′: x₀ afresh, while c depends on α alone and q stays. q falls as b
   * grows (and e with it), so the old q still bounds the new one and its squeeze still implies
   * the exact test; where it was +∞, {@link #setUp} decides again. One division.
   */
  static void raiseBeta(double alpha, double beta, double[] out, int at) {
    if (out[at + 2] == Double.POSITIVE_INFINITY) {
      setUp(alpha, beta, out, at);
    } else {
      double d = alpha - 1.0 / 3;
      out[at] = d / (d + (beta - 1));
    }
  }

  /**
   * Whether the cube method's first attempt, with {@link #setUp}'s constants at {@code k[at..]},
   * normal candidate z = {@link Ziggurat#candidate}{@code (word)} (z² given) and the leading 8
   * bits of u from {@link #prefix}{@code (word)}, is accepted by the squeeze; its variate is then
   * {@link #value}. When false, {@link #sample} with the
   * same word gives the variate.
   */
  static boolean quickAccepts(double[] k, int at, long word, double zSquared) {
    // one branch for both tests; q = +∞ fails the second (z is never 0)
    return Ziggurat.inner(word, zSquared) & zSquared * k[at + 2] < Gamma.oneMinusTop(prefix(word));
  }

  /** The leading 8 bits of the first attempt's u: bits 10–17 of its word, which the normal leaves. */
  static int prefix(long word) {
    return (int) (word >>> 10) & 0xFF;
  }

  /**
   * One Beta(α, β) variate with {@link #setUp}'s constants for it at {@code k[at..]}: the squeeze
   * on the first attempt, else {@link #sample}. The
   * per-arm path of Thompson sampling's choice, which writes it out for speed.
   */
  static double draw(double alpha, double beta, double[] k, int at, long word, SplittableRandom rng) {
    double z = Ziggurat.candidate(word);
    return quickAccepts(k, at, word, z * z) ? value(k, at, z) : sample(alpha, beta, k, at, word, rng);
  }

  /** The cube method's candidate x₀(1 + cz)³ for the constants at {@code k[at..]}. */
  static double value(double[] k, int at, double z) {
    double w = 1 + k[at + 1] * z;
    return k[at] * (w * (w * w));
  }

  /**
   * A Beta(α, β) variate (α ≥ 1, β ≥ 1), with {@link #setUp}'s constants for it at {@code
   * k[at..]}, whose first attempt takes its normal and the leading 8 bits of its uniform ({@link
   * #prefix}) from {@code word}; further randomness comes from {@code rng}.
   */
  static double sample(
      double alpha, double beta, double[] k, int at, long word, SplittableRandom rng) {
    int prefix = prefix(word);
    double d = alpha - 1.0 / 3;
    double c = k[at + 1];
    double q = k[at + 2];
    if (q == Double.POSITIVE_INFINITY) {
      double x = Gamma.sample(d, c, 2 / (3 * d), word, prefix, rng);
      double y = Gamma.sample(beta, rng);
      return x / (x + y);
    }
    double x0 = k[at];
    double z = Ziggurat.normal(word, rng);
    double u = (((long) prefix << 45) | (rng.nextLong() >>> 19)) * 0x1p-53;
    while (true) {
      double z2 = z * z;
      double t = c * z;
      double s = t * (3 + t * (3 + t));
      // the squeeze with all of u where it holds (|z| < r), else the exact test
      if (z2 < R_SQUARED && 1 - u > q * z2) {
        return x0 * (1 + s);
      }
      double b = beta - 1;
      double e = d / b * s;
      if (t > -1 && e < 1 && Math.log(u) < 0.5 * z2 + d * Math.log(1 + s) + b * Math.log(1 - e)) {
        return x0 * (1 + s);
      }
      z = Ziggurat.sample(rng);
      u = rng.nextDouble();
    }
  }

  /** The exponent A(z) of the cube method's acceptance test (for tests); −∞ outside the domain. */
  static double acceptanceExponent(double alpha, double beta, double z) {
    double d = alpha - 1.0 / 3;
    double b = beta - 1;
    double t = z / Math.sqrt(9 * d);
    double s = t * (3 + t * (3 + t));
    double e = d / b * s;
    if (!(t > -1 && e < 1)) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * z * z + d * Math.log(1 + s) + b * Math.log(1 - e);
  }
}
