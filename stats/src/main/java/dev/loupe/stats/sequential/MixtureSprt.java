package dev.loupe.stats.sequential;

/**
 * Always-valid inference for a difference of two means (or rates) by the normal-mixture sequential
 * probability ratio test (mSPRT) of Johari, Koomen, Pekelis and Walsh (2017, "Peeking at A/B
 * tests"), usable at every new observation: the type I error stays at most α however often and
 * whenever one looks. Immutable; thread-safe.
 *
 * <p>With n units per arm, observed difference θ̂ₙ, V = σ_A² + σ_B² the variance of one pair
 * (so Var θ̂ₙ = V/n) and mixing variance τ² of a N(0, τ²) prior on the effect:
 *
 * <pre>
 * Λₙ = √(V/(V + nτ²)) · exp( n²τ²θ̂ₙ² / (2V(V + nτ²)) )
 * </pre>
 *
 * H₀: θ = 0 is rejected as soon as Λₙ ≥ 1/α. The always-valid p-value is the running minimum of
 * min(1, 1/Λ); the confidence sequence, which covers θ at all n simultaneously with probability ≥
 * 1 − α, is
 *
 * <pre>
 * θ̂ₙ ± √( V(V + nτ²)/(n²τ²) · (2 ln(1/α) + ln((V + nτ²)/V)) )
 * </pre>
 *
 * τ² tunes where the test is most sensitive: pick it near the squared effect worth detecting. V is
 * treated as known; with a plug-in estimate the guarantee holds asymptotically.
 */
public final class MixtureSprt {

  private final double tau2;
  private final double alpha;

  private MixtureSprt(double tau2, double alpha) {
    this.tau2 = tau2;
    this.alpha = alpha;
  }

  /**
   * A test with mixing standard deviation τ (same units as the difference), α = 0.05.
   *
   * @throws IllegalArgumentException if τ is not positive and finite, or τ² is not a positive
   *     finite double (|τ| beyond about 1e154 or below about 1e-162)
   */
  public static MixtureSprt withMixingScale(double tau) {
    if (!(tau > 0 && Double.isFinite(tau))) {
      throw new IllegalArgumentException("mixing scale tau must be positive but was " + tau);
    }
    if (!(tau * tau > 0 && Double.isFinite(tau * tau))) {
      throw new IllegalArgumentException(
          "mixing scale tau must have a square that is a positive finite double (about 1e-162 to 1e154)"
              + " but was " + tau);
    }
    return new MixtureSprt(tau * tau, 0.05);
  }

  public MixtureSprt withAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + alpha);
    }
    return new MixtureSprt(tau2, alpha);
  }

  /**
   * The test at one look.
   *
   * @param nPerArm units per arm so far, ≥ 1
   * @param difference θ̂ₙ, treatment mean − control mean
   * @param pairVariance V = σ_A² + σ_B², &gt; 0
   * @throws IllegalArgumentException for n &lt; 1, a non-finite difference or V ≤ 0, or inputs so
   *     extreme that the likelihood ratio is undefined in double arithmetic (NaN)
   */
  public State at(long nPerArm, double difference, double pairVariance) {
    if (nPerArm < 1) {
      throw new IllegalArgumentException("n per arm must be at least 1 but was " + nPerArm);
    }
    if (!Double.isFinite(difference)) {
      throw new IllegalArgumentException("difference must be a finite number but was " + difference);
    }
    if (!(pairVariance > 0 && Double.isFinite(pairVariance))) {
      throw new IllegalArgumentException(
          "variance must be positive but was " + pairVariance
              + " (a metric with zero variance cannot be tested)");
    }
    double n = nPerArm;
    double v = pairVariance;
    double big = v + n * tau2;
    double logLambda =
        0.5 * Math.log(v / big) + n * n * tau2 * difference * difference / (2 * v * big);
    double half = Math.sqrt(v * big / (n * n * tau2) * (2 * Math.log(1 / alpha) + Math.log(big / v)));
    if (Double.isNaN(logLambda) || Double.isNaN(half)) {
      throw new IllegalArgumentException(
          "n per arm " + nPerArm + ", difference " + difference + ", variance " + pairVariance
              + " and tau " + Math.sqrt(tau2) + " are too extreme for double arithmetic: the likelihood"
              + " ratio is undefined; rescale the metric");
    }
    double p = Math.min(1, Math.exp(-logLambda));
    return new State(
        nPerArm, difference, logLambda, p, difference - half, difference + half,
        logLambda >= Math.log(1 / alpha));
  }

  /**
   * The mSPRT at one look.
   *
   * @param logLikelihoodRatio ln Λₙ
   * @param pValue min(1, 1/Λₙ) at this look; the always-valid p-value is the running minimum over
   *     looks (see {@link Monitor})
   * @param ciLow lower end of the confidence sequence at this look
   * @param ciHigh upper end
   * @param reject Λₙ ≥ 1/α
   */
  public record State(
      long nPerArm,
      double difference,
      double logLikelihoodRatio,
      double pValue,
      double ciLow,
      double ciHigh,
      boolean reject) {}

  /** Starts monitoring: keeps the running p-value and the intersection of the intervals. */
  public Monitor monitor() {
    return new Monitor(this);
  }

  /**
   * Continuous monitoring state: the always-valid p-value (running minimum) and confidence
   * sequence (running intersection). Mutable, not thread-safe.
   */
  public static final class Monitor {
    private final MixtureSprt test;
    private double p = 1;
    private double lo = Double.NEGATIVE_INFINITY;
    private double hi = Double.POSITIVE_INFINITY;
    private boolean rejected;

    private Monitor(MixtureSprt test) {
      this.test = test;
    }

    /** Records a look; returns whether H₀ has been rejected at this or an earlier look. */
    public boolean accept(long nPerArm, double difference, double pairVariance) {
      State s = test.at(nPerArm, difference, pairVariance);
      p = Math.min(p, s.pValue());
      lo = Math.max(lo, s.ciLow());
      hi = Math.min(hi, s.ciHigh());
      rejected |= s.reject();
      return rejected;
    }

    public double pValue() {
      return p;
    }

    public double ciLow() {
      return lo;
    }

    public double ciHigh() {
      return hi;
    }

    public boolean rejected() {
      return rejected;
    }
  }
}
