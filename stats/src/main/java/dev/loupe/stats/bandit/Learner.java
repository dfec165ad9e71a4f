package dev.loupe.stats.bandit;

import java.util.SplittableRandom;

/**
 * The single-threaded engine behind a {@link Policy}: per-arm sufficient statistics, the rule
 * that picks the next arm, and the batching of updates. {@link Bandit} wraps one in a lock for
 * live serving; {@link Simulator} drives one per replication without locking. Not thread-safe.
 *
 * <p>Observations go straight into the statistics the rule sees (immediate updates) or into a
 * pending buffer that {@link #commit} folds in (batched updates).
 */
abstract class Learner {

  final int k;
  final long[] n;
  final double[] sum;
  final double[] sumSq; // kept only for rules that read it
  long total;
  private final boolean batched;
  private final long[] pn;
  private final double[] psum;
  private final double[] psumSq;

  private final boolean squares;

  Learner(int k, boolean batched) {
    this(k, batched, false);
  }

  /** {@code squares}: whether the rule reads {@link #sumSq}, which is otherwise left at 0. */
  Learner(int k, boolean batched, boolean squares) {
    this.k = k;
    this.batched = batched;
    this.squares = squares;
    this.n = new long[k];
    this.sum = new double[k];
    this.sumSq = new double[k];
    this.pn = new long[k];
    this.psum = new double[k];
    this.psumSq = new double[k];
  }

  static Learner of(Policy policy, int arms, boolean batched) {
    if (arms < 2) {
      throw new IllegalArgumentException("arms must be >= 2 but was " + arms);
    }
    policy.validateFor(arms);
    if (policy instanceof Policy.EpsilonGreedy p) {
      return new EpsilonGreedy(arms, batched, p.epsilon(), 0);
    } else if (policy instanceof Policy.DecayingEpsilonGreedy p) {
      return new EpsilonGreedy(arms, batched, 0, p.c());
    } else if (policy instanceof Policy.Ucb1) {
      return new Ucb1(arms, batched);
    } else if (policy instanceof Policy.BetaThompson) {
      return new BetaThompson(arms, batched);
    } else if (policy instanceof Policy.GaussianThompson) {
      return new GaussianThompson(arms, batched);
    } else if (policy instanceof Policy.FixedAllocation p) {
      return new Fixed(arms, batched, p.weights());
    } else if (policy instanceof Policy.Hybrid p) {
      return new Hybrid(arms, batched, of(p.explore(), arms, batched), p.exploreVisitors());
    }
    throw new IllegalArgumentException("unknown policy " + policy);
  }

  /** The arm for the next visitor. */
  abstract int choose(SplittableRandom rng);

  /** Throws IllegalArgumentException if this rule cannot learn from {@code reward}. */
  void validateReward(double reward) {}

  /** Called after arm {@code arm}'s committed statistics changed. */
  void changed(int arm) {}

  void observe(int arm, double reward) {
    if (batched) {
      pn[arm]++;
      psum[arm] += reward;
      if (squares) {
        psumSq[arm] += reward * reward;
      }
    } else {
      n[arm]++;
      sum[arm] += reward;
      if (squares) {
        sumSq[arm] += reward * reward;
      }
      total++;
      observed(arm, reward);
    }
  }

  /** Called after one immediate observation of {@code reward} on arm {@code arm}: {@link #changed}. */
  void observed(int arm, double reward) {
    changed(arm);
  }

  /** Folds pending observations into the statistics the rule sees; no-op without batching. */
  void commit() {
    if (!batched) {
      return;
    }
    for (int a = 0; a < k; a++) {
      if (pn[a] > 0) {
        n[a] += pn[a];
        sum[a] += psum[a];
        sumSq[a] += psumSq[a];
        total += pn[a];
        pn[a] = 0;
        psum[a] = 0;
        psumSq[a] = 0;
        changed(a);
      }
    }
  }

  long pending(int arm) {
    return pn[arm];
  }

  /**
   * The arm that would be declared best now: the highest mean reward among arms played at least
   * once (the candidates of {@link #candidate}), ties broken uniformly at random.
   */
  int declaredBest(SplittableRandom rng) {
    int best = -1;
    double bestMean = Double.NEGATIVE_INFINITY;
    int ties = 0;
    for (int a = 0; a < k; a++) {
      if (n[a] == 0 || !candidate(a)) {
        continue;
      }
      double m = sum[a] / n[a];
      if (m > bestMean) {
        bestMean = m;
        best = a;
        ties = 1;
      } else if (m == bestMean && rng.nextInt(++ties) == 0) {
        best = a; // reservoir sampling keeps each tied arm with probability 1/ties
      }
    }
    return best;
  }

  boolean candidate(int arm) {
    return true;
  }

  /** Fixed ε or ε_t = min(1, cK/t). */
  static final class EpsilonGreedy extends Learner {
    private final double epsilon;
    private final double decay;
    private final int[] leaders;
    private int leaderCount;
    private long served;

    EpsilonGreedy(int k, boolean batched, double epsilon, double decay) {
      super(k, batched);
      this.epsilon = epsilon;
      this.decay = decay;
      this.leaders = new int[k];
      refreshLeaders();
    }

    @Override
    int choose(SplittableRandom rng) {
      served++;
      double eps = decay > 0 ? Math.min(1.0, decay * k / served) : epsilon;
      if (eps > 0 && rng.nextDouble() < eps) {
        return rng.nextInt(k);
      }
      return leaderCount == 1 ? leaders[0] : leaders[rng.nextInt(leaderCount)];
    }

    @Override
    void changed(int arm) {
      refreshLeaders();
    }

    private void refreshLeaders() {
      double best = Double.NEGATIVE_INFINITY;
      int c = 0;
      for (int a = 0; a < k; a++) {
        double m = n[a] == 0 ? Double.POSITIVE_INFINITY : sum[a] / n[a];
        if (m > best) {
          best = m;
          c = 0;
          leaders[c++] = a;
        } else if (m == best) {
          leaders[c++] = a;
        }
      }
      leaderCount = c;
    }
  }

  /** UCB1 of Auer, Cesa-Bianchi and Fischer (2002). */
  static final class Ucb1 extends Learner {
    /** ln t for t below 2<sup>17</sup>, as Math.log gives it: a load, not a logarithm, per choice. */
    private static final double[] LOG = new double[1 << 17];

    static {
      for (int t = 1; t < LOG.length; t++) {
        LOG[t] = Math.log(t);
      }
    }

    private final double[] mean;
    private final double[] invSqrtN;
    private int untried;

    Ucb1(int k, boolean batched) {
      super(k, batched);
      mean = new double[k];
      invSqrtN = new double[k];
      untried = k;
    }

    @Override
    int choose(SplittableRandom rng) {
      if (untried > 0) {
        for (int a = 0; a < k; a++) {
          if (n[a] == 0) {
            return a;
          }
        }
      }
      double logTotal = total < LOG.length ? LOG[(int) total] : Math.log((double) total);
      double bonus = Math.sqrt(2 * logTotal);
      int best = 0;
      double bestIndex = mean[0] + bonus * invSqrtN[0];
      for (int a = 1; a < k; a++) {
        double idx = mean[a] + bonus * invSqrtN[a];
        if (idx > bestIndex) {
          bestIndex = idx;
          best = a;
        }
      }
      return best;
    }

    @Override
    void changed(int arm) {
      mean[arm] = sum[arm] / n[arm];
      invSqrtN[arm] = 1 / Math.sqrt((double) n[arm]);
      int u = 0;
      for (int a = 0; a < k; a++) {
        if (n[a] == 0) {
          u++;
        }
      }
      untried = u;
    }
  }

  /** Beta–Bernoulli Thompson sampling with a Beta(1, 1) prior; rewards must be 0 or 1. */
  static final class BetaThompson extends Learner {
    // Per arm, BetaSampler's constants for its posterior; how many arms draw by the Gamma ratio.
    private final double[] constants;
    private int ratioArms;
    // The state of choose's SplitMix64 stream, seeded from the first call's generator.
    private long stream;
    private boolean seeded;

    BetaThompson(int k, boolean batched) {
      super(k, batched);
      constants = new double[k * BetaSampler.STRIDE];
      for (int a = 0; a < k; a++) {
        BetaSampler.setUp(alpha(a), beta(a), constants, a * BetaSampler.STRIDE);
        ratioArms += constants[a * BetaSampler.STRIDE + 2] == Double.POSITIVE_INFINITY ? 1 : 0;
      }
    }

    @Override
    void validateReward(double reward) {
      if (reward != 0 && reward != 1) {
        throw new IllegalArgumentException(
            "reward for Beta-Bernoulli Thompson sampling must be 0 or 1 but was " + reward);
      }
    }

    double alpha(int arm) {
      return 1 + sum[arm];
    }

    double beta(int arm) {
      return 1 + n[arm] - sum[arm];
    }

    @Override
    void changed(int arm) {
      int at = arm * BetaSampler.STRIDE;
      boolean wasRatio = constants[at + 2] == Double.POSITIVE_INFINITY;
      BetaSampler.setUp(alpha(arm), beta(arm), constants, at);
      countRatioArms(wasRatio, at);
    }

    /** After a failure, the commonest observation, only β grew: {@link BetaSampler#raiseBeta}. */
    @Override
    void observed(int arm, double reward) {
      if (reward == 0) {
        int at = arm * BetaSampler.STRIDE;
        boolean wasRatio = constants[at + 2] == Double.POSITIVE_INFINITY;
        BetaSampler.raiseBeta(alpha(arm), beta(arm), constants, at);
        countRatioArms(wasRatio, at);
      } else {
        changed(arm);
      }
    }

    private void countRatioArms(boolean wasRatio, int at) {
      boolean isRatio = constants[at + 2] == Double.POSITIVE_INFINITY;
      ratioArms += (isRatio ? 1 : 0) - (wasRatio ? 1 : 0);
    }

    /** One draw from arm {@code arm}'s posterior Beta(α, β), by the same path as {@link #choose}. */
    double sample(int arm, SplittableRandom rng) {
      return BetaSampler.draw(
          alpha(arm), beta(arm), constants, arm * BetaSampler.STRIDE, rng.nextLong(), rng);
    }

    /**
     * Plays the largest draw X<sub>i</sub> from the arms' posteriors ({@link BetaSampler}); on a
     * tie the lower arm stays.
     *
     * <p>Randomness: a SplitMix64 stream (Steele, Lea and Flood 2014, the algorithm of {@link
     * SplittableRandom}), seeded from {@code rng} at the first choice and kept in a field, gives
     * one word per arm (its first attempt's normal and the leading bits of its uniform), and a
     * second one to a draw the squeeze does not decide and to each arm drawn by the Gamma ratio.
     * Within a choice the stream lives in a local variable, so its words are computed in
     * registers and in parallel; the rarer further randomness comes from {@code rng}.
     */
    @Override
    int choose(SplittableRandom rng) {
      if (!seeded) {
        stream = rng.nextLong();
        seeded = true;
      }
      if (ratioArms == k) {
        return chooseByGammaRatios(rng);
      }
      long s = stream;
      int best = 0;
      long bestKey = -1;
      for (int a = 0; a < k; a++) {
        // BetaSampler.draw written out: once compiled on its own, C2 would not inline it here
        long word = mix64(s += GOLDEN);
        int at = a * BetaSampler.STRIDE;
        double z = Ziggurat.candidate(word);
        double x =
            BetaSampler.quickAccepts(constants, at, word, z * z)
                ? BetaSampler.value(constants, at, z)
                : BetaSampler.sample(alpha(a), beta(a), constants, at, word, mix64(s += GOLDEN), rng);
        // x > 0, whose bits order as longs do: integer selects compile to conditional moves,
        // while a select of doubles would be a branch, mispredicted whenever arms are close.
        long key = Double.doubleToRawLongBits(x);
        best = key > bestKey ? a : best;
        bestKey = Math.max(key, bestKey);
      }
      stream = s;
      return best;
    }

    /**
     * {@link #choose} when every arm draws by the Gamma ratio (small counts, high rates): the
     * arms compared by G<sub>α</sub>/G<sub>β</sub>, which orders them as their Beta variates do,
     * two words per arm.
     */
    private int chooseByGammaRatios(SplittableRandom rng) {
      long s = stream;
      int best = 0;
      long bestKey = -1;
      for (int a = 0; a < k; a++) {
        long wordA = mix64(s += GOLDEN);
        long wordB = mix64(s += GOLDEN);
        double ratio =
            BetaSampler.gammaRatio(
                alpha(a), beta(a), constants, a * BetaSampler.STRIDE, wordA, wordB, rng);
        long key = Double.doubleToRawLongBits(ratio);
        best = key > bestKey ? a : best;
        bestKey = Math.max(key, bestKey);
      }
      stream = s;
      return best;
    }
  }

  /** SplitMix64's increment (the golden ratio, odd). */
  static final long GOLDEN = 0x9e3779b97f4a7c15L;

  /** SplitMix64's output function (Stafford's variant 13 of the MurmurHash3 finaliser). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Thompson sampling for continuous rewards with one variance shared by all arms (the model of
   * the pooled two-sample t-test) and the reference prior p(μ₁..μ<sub>K</sub>, σ²) ∝ 1/σ². The
   * posterior is σ² ~ (N − K)·s²/χ²<sub>N−K</sub> with s² the pooled within-arm variance, and
   * μ<sub>i</sub> | σ² ~ N(x̄<sub>i</sub>, σ²/n<sub>i</sub>); each choice draws σ² once and every
   * μ<sub>i</sub> given it, so the marginal of μ<sub>i</sub> is x̄<sub>i</sub> +
   * s/√n<sub>i</sub>·T<sub>N−K</sub> (Gelman et al., Bayesian Data Analysis, §3.2 and §14.2).
   * Untried arms are played first; while N = K (no degrees of freedom) the choice is uniform;
   * ties (possible only while s² = 0) are broken uniformly at random.
   */
  static final class GaussianThompson extends Learner {
    private final int[] tied;

    GaussianThompson(int k, boolean batched) {
      super(k, batched, true);
      tied = new int[k];
    }

    /** The pooled within-arm variance s² with N − K degrees of freedom (0 if none). */
    double pooledVariance() {
      long df = total - k;
      if (df < 1) {
        return 0;
      }
      double ssw = 0;
      for (int a = 0; a < k; a++) {
        if (n[a] > 0) {
          ssw += Math.max(0, sumSq[a] - sum[a] * sum[a] / n[a]);
        }
      }
      return ssw / df;
    }

    /** One posterior draw of σ² (needs N > K). */
    double drawVariance(SplittableRandom rng) {
      double s2 = pooledVariance();
      if (s2 == 0) {
        return 0;
      }
      double df = total - k;
      return df * s2 / (2 * Gamma.sample(df / 2, rng));
    }

    /** One posterior draw of arm {@code arm}'s mean given σ². */
    double sampleMean(int arm, double sigma2, SplittableRandom rng) {
      double mean = sum[arm] / n[arm];
      return sigma2 == 0 ? mean : mean + Math.sqrt(sigma2 / n[arm]) * rng.nextGaussian();
    }

    @Override
    int choose(SplittableRandom rng) {
      for (int a = 0; a < k; a++) {
        if (n[a] == 0) {
          return a;
        }
      }
      if (total <= k) {
        return rng.nextInt(k);
      }
      double sigma2 = drawVariance(rng);
      double bestDraw = Double.NEGATIVE_INFINITY;
      int ties = 0;
      for (int a = 0; a < k; a++) {
        double d = sampleMean(a, sigma2, rng);
        if (d > bestDraw) {
          bestDraw = d;
          ties = 0;
          tied[ties++] = a;
        } else if (d == bestDraw) {
          tied[ties++] = a;
        }
      }
      return ties == 1 ? tied[0] : tied[rng.nextInt(ties)];
    }
  }

  /** Smooth weighted round robin on integer weights. */
  static final class Fixed extends Learner {
    private final long[] weight;
    private final long totalWeight;
    private final long[] current;

    Fixed(int k, boolean batched, double[] weights) {
      super(k, batched);
      weight = integerWeights(k, weights);
      long t = 0;
      for (long w : weight) {
        t += w;
      }
      totalWeight = t;
      current = new long[k];
    }

    /** Weights scaled to integers (6 significant decimals) and divided by their gcd. */
    static long[] integerWeights(int k, double[] weights) {
      long[] w = new long[k];
      if (weights == null) {
        java.util.Arrays.fill(w, 1);
        return w;
      }
      double max = 0;
      for (double x : weights) {
        max = Math.max(max, x);
      }
      long g = 0;
      for (int a = 0; a < k; a++) {
        w[a] = Math.round(weights[a] / max * 1_000_000);
        g = gcd(g, w[a]);
      }
      for (int a = 0; a < k; a++) {
        w[a] /= g;
      }
      return w;
    }

    private static long gcd(long a, long b) {
      while (b != 0) {
        long t = a % b;
        a = b;
        b = t;
      }
      return a;
    }

    @Override
    int choose(SplittableRandom rng) {
      int best = -1;
      long bestValue = Long.MIN_VALUE;
      for (int a = 0; a < k; a++) {
        current[a] += weight[a];
        if (weight[a] > 0 && current[a] > bestValue) {
          bestValue = current[a];
          best = a;
        }
      }
      current[best] -= totalWeight;
      return best;
    }
  }

  /** Explore with a bandit, then an equal split between the two arms leading at the switch. */
  static final class Hybrid extends Learner {
    private final Learner explore;
    private final long exploreVisitors;
    private long served;
    private int first = -1;
    private int second = -1;
    private boolean next;

    Hybrid(int k, boolean batched, Learner explore, long exploreVisitors) {
      super(k, batched);
      this.explore = explore;
      this.exploreVisitors = exploreVisitors;
    }

    @Override
    int choose(SplittableRandom rng) {
      if (served < exploreVisitors) {
        served++;
        return explore.choose(rng);
      }
      if (first < 0) {
        pickFinalists(rng);
      }
      served++;
      next = !next;
      return next ? first : second;
    }

    @Override
    void validateReward(double reward) {
      explore.validateReward(reward);
    }

    private void pickFinalists(SplittableRandom rng) {
      // Highest and second-highest mean reward; untried arms rank last; ties broken at random.
      double[] key = new double[k];
      for (int a = 0; a < k; a++) {
        key[a] = n[a] == 0 ? Double.NEGATIVE_INFINITY : sum[a] / n[a];
      }
      first = argmaxExcept(key, -1, rng);
      second = argmaxExcept(key, first, rng);
    }

    private int argmaxExcept(double[] key, int skip, SplittableRandom rng) {
      int best = -1;
      int ties = 0;
      for (int a = 0; a < k; a++) {
        if (a == skip) {
          continue;
        }
        if (best < 0 || key[a] > key[best]) {
          best = a;
          ties = 1;
        } else if (key[a] == key[best] && rng.nextInt(++ties) == 0) {
          best = a;
        }
      }
      return best;
    }

    @Override
    void observe(int arm, double reward) {
      super.observe(arm, reward);
      if (first < 0) {
        explore.observe(arm, reward);
      }
    }

    @Override
    void commit() {
      super.commit();
      if (first < 0) {
        explore.commit();
      }
    }

    @Override
    boolean candidate(int arm) {
      return first < 0 || arm == first || arm == second;
    }
  }
}
