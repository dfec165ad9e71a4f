package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * Beta(α, β) variates for Thompson sampling's posteriors, exact, with one normal per draw where
 * the posterior is concentrated on the low side (conversion rates), two Gamma variates elsewhere.
 *
 * <p><b>The cube method</b> (α ≥ 1, β ≥ 2). Marsaglia and Tsang's transformation for the Gamma
 * distribution, applied to the Beta density itself. With d = α − 1/3, b = β − 1, x₀ = d/(d + b)
 * (the mode of X in the cube-root scale) and a scale c, a standard normal z gives the candidate
 * X = x₀(1 + t)³, t = cz, which is accepted when
 *
 * <pre>ln u &lt; A(z) = z²/2 + d·ln(1 + s) + b·ln(1 − e),   s = (1 + t)³ − 1,  e = (d/b)·s,</pre>
 *
 * u uniform (a candidate with 1 + t ≤ 0 or e ≥ 1, outside (0, 1), is rejected). Accepted
 * candidates have the Beta(α, β) distribution: the density of t is proportional to exp(L(t)),
 * L(t) = d·ln(1 + t)³ + b·ln(1 − e) (Jacobian included, L(0) = 0), and A = L + Kt² with
 * K = 1/(2c²) must be ≤ 0 so that the normal density bounds it. A′(t) = t·[2K − R(t)] with
 * R(t) = 3d·(3 + t²/(1 + t))/(1 − x₀(1 + t)³), so A ≤ 0 (largest at A(0) = 0) whenever 2K is at
 * most the least R. Two choices of c:
 *
 * <ul>
 *   <li>Gamma's c = 1/√(9d): R ≥ 9d everywhere (both factors are at least their value at x₀ = 0),
 *       so 2K = 9d is valid for every α, β. The density's curvature at the mode is 9d/(1 − x₀), so
 *       about √(1 − x₀) of candidates are accepted (98.5% at a 3% conversion rate). Used for x₀ in
 *       (1/16, 1/4].
 *   <li>A tighter c for x₀ ≤ 1/16: with y = −t, 1 − x₀(1 − y)³ ≤ (1 − x₀) + 3x₀y and t²/(1 + t) ≥
 *       y², so R ≥ 3d·(3 + y²)/((1 − x₀) + 3x₀y), whose least value over y ≥ 0 is 18d/(a + √(a² +
 *       27x₀²)), a = 1 − x₀ (for t ≥ 0, R ≥ 9d/(1 − x₀), larger). Hence c² = (a + √(a² +
 *       27x₀²))/(18d), within 0.7% of the curvature at the mode at a 3% rate: 99.7% accepted. This
 *       bound grows as x₀ falls (for x₀ below 0.07), so c computed at the x₀ of 5/4 of the current
 *       b serves every b up to there.
 * </ul>
 *
 * <p><b>The squeeze.</b> Since d·s = b·e, A = [9d·t²/2 + d(1 − v + ln v)] + b·[e + ln(1 − e)] +
 * (K − 9d/2)·t² with v = (1 + t)³. The first bracket is Marsaglia–Tsang's Gamma test, at least
 * −(3/4)·d·t⁴/min(1, 1 + t) (see {@link Gamma}); the second is at least −e²/(2(1 − ε)) for e ≤ ε
 * &lt; 1; the third is ≥ 0. For a normal from the ziggurat's inner rectangles, |z| &lt; r ({@link
 * Ziggurat#R}), |t| &lt; τ = cr; with τ &lt; 1, |s| ≤ |t|·g, g = 3 + 3τ + τ², and ε = (d/b)·τg,
 * this gives A ≥ −q·z² with
 *
 * <pre>q = c²·[(3/4)·d·τ²/(1 − τ) + (d²/b)·g²/(2(1 − ε)) − (K − 9d/2)],</pre>
 *
 * which falls as b grows. The tighter envelope uses it for τ ≤ 0.9 and ε ≤ ½ (from α = 3 on); for
 * Gamma's c, a table of α's terms uses τ ≤ ½ (so 3/2 for the first factor), ε ≤ 1/8 and 4/7 for
 * 1/(2(1 − ε)). Since ln u ≤ u − 1, (1 − u) &gt; q·z² implies acceptance. {@link #setUp} computes x₀, c, q
 * and the largest b they serve (q = +∞ where the cube method does not apply); after a failure
 * {@link #raiseBeta} recomputes x₀ alone while b stays within it. {@link #quickAccepts} checks a
 * first attempt with those numbers and one random word, which gives the normal (bits 0–9 and
 * 18–63) and the leading 8 bits of u (bits 10–17), checking the squeeze at the top of u's interval
 * so that it holds for every u with those bits. It decides 98.5% of draws at S8's posteriors
 * (Beta(301, 9701)); {@link #sample} completes the others with the exact test.
 *
 * <p><b>Elsewhere</b> (small counts, x₀ above 1/4), X = G<sub>α</sub>/(G<sub>α</sub> +
 * G<sub>β</sub>) with {@link Gamma}'s Marsaglia–Tsang variates.
 */
final class BetaSampler {

  /**
   * Per-arm constants that {@link #setUp} writes and the draws read: x₀, c, q, and the largest b
   * for which c and q stay valid as b grows ({@link #raiseBeta}); where q = +∞ (the Gamma ratio),
   * then {@link Gamma}'s q for α and its c and q for β (c for α is the second).
   */
  static final int STRIDE = 7;

  /** Integer α below this take α's terms from a table (a posterior's α is 1 plus a count). */
  private static final int TABLE = 1 << 16;

  /**
   * The terms of {@link #setUp} that depend on α only, four per integer α (one cache line's half):
   * c, the two parts of q, and the least b at which the squeeze holds.
   */
  private static final double[] TERMS = new double[4 * TABLE];

  /**
   * q and the tighter envelope's c are rounded up by this factor, so that rounding cannot make
   * the squeeze accept a candidate the exact bound would not, nor c fall below its bound.
   */
  private static final double ROUND_UP = 1 + 0x1p-40;

  /** r², rounded down: z² &lt; R_SQUARED implies |z| &lt; r. */
  private static final double R_SQUARED = Math.nextDown(Ziggurat.R * Ziggurat.R);

  static {
    for (int i = 1; i < TABLE; i++) {
      alphaTerms(i, TERMS, 4 * i);
    }
  }

  /** 2/(3(s − 1/3)), Gamma's quick-squeeze constant, for integer shapes s below {@link #TABLE}. */
  private static final double[] GAMMA_Q = new double[TABLE];

  static {
    for (int i = 1; i < TABLE; i++) {
      GAMMA_Q[i] = 2 / (3 * (i - 1.0 / 3));
    }
  }

  private BetaSampler() {}

  /** Gamma's q = 2/(3(shape − 1/3)), from the table when {@code i} is the integer shape. */
  private static double gammaQ(double shape, int i) {
    return i == shape && i < TABLE ? GAMMA_Q[i] : 2 / (3 * (shape - 1.0 / 3));
  }

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

  /**
   * Writes x₀, c, q and the largest b they serve for Beta(α, β) at {@code out[at..at + 3]}; q = +∞
   * where the cube method does not apply (the Gamma ratio is used).
   */
  static void setUp(double alpha, double beta, double[] out, int at) {
    double[] terms = TERMS;
    int i = (int) alpha;
    int o = 4 * i;
    if (i != alpha || i >= TABLE) {
      terms = new double[4];
      o = 0;
      alphaTerms(alpha, terms, 0);
    }
    double d = alpha - 1.0 / 3;
    double b = beta - 1;
    out[at] = d / (d + b);
    // the tighter envelope's c is at least 0.98 of Gamma's (its φ ≥ 0.9648 for x₀ ≤ 1/16), so
    // where 0.98·c·r > 0.9 (α < 3) tight() would only compute its square roots to decline
    if (b >= TIGHT * d && terms[o] * (0.98 * Ziggurat.R) <= TIGHT_TAU && tight(d, b, out, at)) {
      return;
    }
    if (!(b >= terms[o + 3])) {
      out[at + 1] = terms[o];
      out[at + 2] = Double.POSITIVE_INFINITY;
      out[at + 3] = b; // decide again at the next change
      out[at + 4] = gammaQ(alpha, i);
      int j = (int) beta;
      boolean tabled = j == beta && j < TABLE;
      out[at + 5] = tabled ? TERMS[4 * j] : 1 / Math.sqrt(9 * (beta - 1.0 / 3));
      out[at + 6] = gammaQ(beta, j);
    } else {
      out[at + 1] = terms[o];
      out[at + 2] = terms[o + 1] + terms[o + 2] / b;
      out[at + 3] = TIGHT * d; // valid for every larger b, but the tighter envelope starts there
    }
  }

  /** b ≥ 15d, i.e. x₀ ≤ 1/16: where {@link #tight} applies. */
  private static final double TIGHT = 15;

  /** The largest τ = cr for which {@link #tight} keeps the squeeze (its 1/(1 − τ) grows fast). */
  private static final double TIGHT_TAU = 0.9;

  /**
   * The tighter envelope for x₀ ≤ 1/16, valid for b up to 5/4 of the current b (see the class
   * comment): c from the bound on the curvature at x₀ of that largest b, q from the squeeze with
   * the current b. Returns false, writing nothing, if its conditions fail.
   */
  private static boolean tight(double d, double b, double[] out, int at) {
    double bMax = 1.25 * b;
    double xLow = d / (d + bMax);
    double aLow = 1 - xLow;
    double c = Math.sqrt((aLow + Math.sqrt(aLow * aLow + 27 * xLow * xLow)) / (18 * d)) * ROUND_UP;
    double tau = c * Ziggurat.R;
    double g = 3 + tau * (3 + tau);
    double r = d / b;
    double eps = r * tau * g;
    if (!(tau <= TIGHT_TAU && eps <= 0.5)) {
      return false;
    }
    double c2 = c * c;
    double gain = 0.5 / c2 - 4.5 * d; // K − 9d/2 ≥ 0: the envelope's curvature above Gamma's
    double gammaPart = 0.75 / (1 - tau) * d * tau * tau; // from (3/4)·t⁴/min(1, 1 + t), |t| < τ
    double q = c2 * (gammaPart + d * r * g * g / (2 * (1 - eps)) - gain);
    out[at + 1] = c;
    out[at + 2] = Math.max(0, q) * ROUND_UP + 0x1p-40;
    out[at + 3] = bMax;
    return true;
  }

  /**
   * Updates {@link #setUp}'s constants for Beta(α, β′) to Beta(α, β), β &gt; β′: x₀ afresh while
   * b is at most the largest b they serve (c and q stay: q falls as b grows, so the old one still
   * bounds the new); otherwise {@link #setUp}. After a failure, the commonest update, this is one
   * division.
   */
  static void raiseBeta(double alpha, double beta, double[] out, int at) {
    double b = beta - 1;
    if (b > out[at + 3]) {
      setUp(alpha, beta, out, at);
    } else {
      double d = alpha - 1.0 / 3;
      out[at] = d / (d + b);
    }
  }

  /**
   * Whether the cube method's first attempt, with {@link #setUp}'s constants at {@code k[at..]},
   * normal candidate z = {@link Ziggurat#candidate}{@code (word)} (z² given) and the leading 8
   * bits of u from {@link #prefix}{@code (word)}, is accepted by the squeeze; its variate is then
   * {@link #value}. When false, {@link #sample} with the same word gives the variate.
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
    return quickAccepts(k, at, word, z * z)
        ? value(k, at, z)
        : sample(alpha, beta, k, at, word, rng.nextLong(), rng);
  }

  /** The cube method's candidate x₀(1 + cz)³ for the constants at {@code k[at..]}. */
  static double value(double[] k, int at, double z) {
    double w = 1 + k[at + 1] * z;
    return k[at] * (w * (w * w));
  }

  /**
   * A Beta(α, β) variate (α ≥ 1, β ≥ 1), with {@link #setUp}'s constants for it at {@code
   * k[at..]}, whose first attempt takes its normal and the leading 8 bits of its uniform ({@link
   * #prefix}) from {@code word}; {@code spare}, another random word, serves G<sub>β</sub>'s first
   * attempt where the Gamma ratio is used; further randomness comes from {@code rng}.
   */
  static double sample(
      double alpha, double beta, double[] k, int at, long word, long spare, SplittableRandom rng) {
    int prefix = prefix(word);
    double d = alpha - 1.0 / 3;
    double c = k[at + 1];
    double q = k[at + 2];
    if (q == Double.POSITIVE_INFINITY) {
      double ratio = gammaRatio(alpha, beta, k, at, word, spare, rng);
      return ratio / (1 + ratio);
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
      if (Math.log(u) < exponent(d, beta - 1, z, t)) {
        return x0 * (1 + s);
      }
      z = Ziggurat.sample(rng);
      u = rng.nextDouble();
    }
  }

  /**
   * G<sub>α</sub>/G<sub>β</sub> for Beta(α, β) = G<sub>α</sub>/(G<sub>α</sub> + G<sub>β</sub>),
   * with the Gamma constants {@link #setUp} stores where q = +∞: each Gamma variate's first attempt
   * takes its normal and the leading bits of its uniform from its own word ({@code wordA}, {@code
   * wordB}); further randomness comes from {@code rng}. Increases with the Beta variate.
   */
  static double gammaRatio(
      double alpha, double beta, double[] k, int at, long wordA, long wordB, SplittableRandom rng) {
    double x = Gamma.sample(alpha - 1.0 / 3, k[at + 1], k[at + 4], wordA, prefix(wordA), rng);
    double y = Gamma.sample(beta - 1.0 / 3, k[at + 5], k[at + 6], wordB, prefix(wordB), rng);
    return x / y;
  }

  /**
   * The exponent A(z) of the cube method's acceptance test for Beta(α, β) and scale c, as {@link
   * #sample} evaluates it; −∞ outside the domain.
   */
  static double acceptanceExponent(double alpha, double beta, double c, double z) {
    return exponent(alpha - 1.0 / 3, beta - 1, z, c * z);
  }

  /** A(z) = z²/2 + 3d·ln(1 + t) + b·ln(1 − e) with d = α − 1/3, b = β − 1, t = cz; −∞ outside. */
  private static double exponent(double d, double b, double z, double t) {
    double e = d / b * (t * (3 + t * (3 + t)));
    if (!(t > -1 && e < 1)) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * z * z + 3 * d * lnOnePlus(t) + b * lnOnePlus(-e);
  }

  /**
   * ln(1 + x) to a few units in the last place, also where b·ln(1 − e) multiplies it by up to
   * 10⁸: for |x| ≤ ¼ as 2·atanh(w), w = x/(2 + x), by its series (|w| ≤ 1/7, ten terms), which
   * is much cheaper than {@link Math#log1p}; otherwise {@link Math#log1p}.
   */
  static double lnOnePlus(double x) {
    if (!(Math.abs(x) <= 0.25)) {
      return Math.log1p(x);
    }
    double w = x / (2 + x);
    double w2 = w * w;
    double series = 0;
    for (int k = ODD_RECIPROCALS.length - 1; k >= 0; k--) {
      series = ODD_RECIPROCALS[k] + w2 * series;
    }
    return 2 * w * series;
  }

  /** 1, 1/3, 1/5, …, 1/21: the atanh series' coefficients. */
  private static final double[] ODD_RECIPROCALS = new double[11];

  static {
    for (int k = 0; k < ODD_RECIPROCALS.length; k++) {
      ODD_RECIPROCALS[k] = 1.0 / (2 * k + 1);
    }
  }
}
