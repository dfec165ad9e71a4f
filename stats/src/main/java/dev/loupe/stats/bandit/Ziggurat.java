package dev.loupe.stats.bandit;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Standard normal variates by the ziggurat method of Marsaglia and Tsang (2000), "The ziggurat
 * method for generating random variables", J. Stat. Software 5(8), with 1024 layers.
 *
 * <p>The area under f(x) = exp(−x²/2), x ≥ 0, is covered by 1024 layers of equal area v: a base
 * layer (the rectangle [0, r] × [0, f(r)] plus the tail beyond r, seen as a rectangle of width
 * v/f(r)) and 1023 rectangles [0, x<sub>i−1</sub>] × [f(x<sub>i−1</sub>), f(x<sub>i</sub>)] with
 * x<sub>0</sub> = r, x<sub>i</sub> = f<sup>−1</sup>(f(x<sub>i−1</sub>) + v/x<sub>i−1</sub>) and
 * x<sub>1023</sub> = 0. An attempt picks a layer and a signed point uniformly across its width; a
 * point inside the next layer's width is under the curve and returned at once (99.57% of
 * attempts, against 98.5% with 256 layers); otherwise the wedge (or the tail, by Marsaglia's
 * 1964 method) decides with further uniforms, and a rejected attempt is replaced by a fresh
 * variate. Either way the result is exactly normal up to the 2<sup>−46</sup> grid of the point.
 *
 * <p>One attempt takes a single 64-bit word: bits 0–9 choose the layer and bits 18–63 place the
 * point on the symmetric grid (k + ½)·2<sup>−46</sup>, k in [−2<sup>45</sup>, 2<sup>45</sup>),
 * times twice the layer's width. Bits 10–17 are not read, so a caller may use them as 8 further
 * random bits independent of the variate. {@link #normal(long, SplittableRandom)} takes that word
 * from the caller, which lets a hot loop generate its words from a generator held in local
 * variables; only the rare slow path draws from {@code rng}.
 */
final class Ziggurat {

  private static final int LAYERS = 1024;

  /**
   * Right edge of the base layer's rectangle: the r for which {@value #LAYERS} layers of equal
   * area close exactly at the top ({@link #rightEdge}); about 4.0388.
   */
  static final double R = rightEdge(LAYERS);

  /** Area of every layer, v = r·f(r) + ∫<sub>r</sub><sup>∞</sup> f(x) dx. */
  static final double V = area(R);

  /** Twice the layer's width: the point is SCALE[i]·p with p uniform in (−½, ½). */
  private static final double[] SCALE = new double[LAYERS];

  /** Points with |x| below INNER[i] are under the curve. */
  private static final double[] INNER = new double[LAYERS];

  /** INNER[i]², rounded: x² &lt; INNER_SQUARED[i] implies |x| &lt; INNER[i] (rounding is monotone). */
  private static final double[] INNER_SQUARED = new double[LAYERS];

  /** f at the layer's outer edge (its lower side) and at its inner edge (its upper side). */
  private static final double[] F_LOW = new double[LAYERS];

  private static final double[] F_HIGH = new double[LAYERS];

  /** x<sub>0</sub> .. x<sub>1023</sub>, for tests. */
  static final double[] EDGE = new double[LAYERS];

  static {
    EDGE[0] = R;
    for (int i = 1; i < LAYERS - 1; i++) {
      double prev = EDGE[i - 1];
      EDGE[i] = Math.sqrt(-2 * Math.log(f(prev) + V / prev));
    }
    EDGE[LAYERS - 1] = 0;
    SCALE[0] = 2 * V / f(R);
    INNER[0] = R;
    F_LOW[0] = 0; // unused: the base layer's slow path is the tail
    F_HIGH[0] = f(R);
    for (int i = 1; i < LAYERS; i++) {
      SCALE[i] = 2 * EDGE[i - 1];
      INNER[i] = EDGE[i];
      F_LOW[i] = f(EDGE[i - 1]);
      F_HIGH[i] = i == LAYERS - 1 ? 1 : f(EDGE[i]);
    }
    for (int i = 0; i < LAYERS; i++) {
      INNER_SQUARED[i] = INNER[i] * INNER[i];
    }
  }

  private Ziggurat() {}

  /**
   * The r for which {@code layers} layers of area v(r) close at the top, by bisection to adjacent
   * doubles: with r too small the layers reach f = 1 before the last one; too large, the top
   * layer's area exceeds v. Gives Marsaglia and Tsang's published r for 256 layers.
   */
  static double rightEdge(int layers) {
    double lo = 2;
    double hi = 6;
    while (true) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        return lo;
      }
      double gap = topGap(mid, layers);
      if (gap > 0) {
        hi = mid;
      } else {
        lo = mid; // also when NaN: the layers reached the top early
      }
    }
  }

  /** The top layer's area minus v(r) for layers built from r, or NaN if they reach the top early. */
  private static double topGap(double r, int layers) {
    double v = area(r);
    double x = r;
    for (int i = 1; i < layers - 1; i++) {
      double a = f(x) + v / x;
      if (!(a < 1)) {
        return Double.NaN;
      }
      x = Math.sqrt(-2 * Math.log(a));
    }
    return x * (1 - f(x)) - v;
  }

  /** v(r) = r·f(r) + ∫<sub>r</sub><sup>∞</sup> f(x) dx, the base layer's area. */
  static double area(double r) {
    return r * f(r) + Math.sqrt(2 * Math.PI) * NormalDistribution.of(0, 1).survivalProbability(r);
  }

  /**
   * Bits 18–63 of {@code word} as a point of the symmetric grid (k + ½)·2<sup>−46</sup>, k in
   * [−2<sup>45</sup>, 2<sup>45</sup>), in (−½, ½): the 46 bits followed by the bits 100000 become
   * the mantissa of a double in [1, 2) (exact, and cheaper than converting a long), then centred.
   */
  private static double point(long word) {
    return Double.longBitsToDouble(0x3FF0_0000_0000_0020L | ((word >>> 18) << 6)) - 1.5;
  }

  private static double f(double x) {
    return Math.exp(-0.5 * x * x);
  }

  /** A standard normal variate drawn entirely from {@code rng}. */
  static double sample(SplittableRandom rng) {
    return normal(rng.nextLong(), rng);
  }

  /**
   * A standard normal variate whose first attempt uses {@code word} (64 uniformly random bits);
   * further uniforms, needed in the 1.5% of calls whose first attempt falls outside the inner
   * rectangles, come from {@code rng}.
   */
  static double normal(long word, SplittableRandom rng) {
    int i = (int) word & (LAYERS - 1);
    double x = point(word) * SCALE[i];
    if (Math.abs(x) < INNER[i]) {
      return x;
    }
    double y = edge(i, x, rng);
    return y == y ? y : sample(rng);
  }

  /**
   * The first attempt's point for {@code word}, scaled to its layer: {@link #normal} returns it
   * whenever {@link #inner} holds for it. In (−r, r).
   */
  static double candidate(long word) {
    return point(word) * SCALE[(int) word & (LAYERS - 1)];
  }

  /**
   * Whether {@link #candidate}{@code (word)}, whose square is {@code xSquared}, lies in its layer's
   * inner rectangle, so that it is the normal variate {@link #normal} returns for {@code word}.
   * Never true where {@link #normal} would take its slow path; rarely false where it would not.
   */
  static boolean inner(long word, double xSquared) {
    return xSquared < INNER_SQUARED[(int) word & (LAYERS - 1)];
  }

  /** Completes an attempt outside the inner rectangle: its value, or NaN if rejected. */
  private static double edge(int i, double x, SplittableRandom rng) {
    if (i == 0) {
      // The tail beyond r (Marsaglia 1964): r + e₁/r with e₁, e₂ exponential, kept if 2e₂ > e₁².
      double a;
      double b;
      do {
        a = -Math.log1p(-rng.nextDouble()) / R;
        b = -Math.log1p(-rng.nextDouble());
      } while (2 * b <= a * a);
      return x < 0 ? -(R + a) : R + a;
    }
    double y = F_LOW[i] + rng.nextDouble() * (F_HIGH[i] - F_LOW[i]);
    return y < f(x) ? x : Double.NaN;
  }
}
