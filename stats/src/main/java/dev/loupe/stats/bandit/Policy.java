package dev.loupe.stats.bandit;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a bandit does: an immutable description of an allocation policy. {@link Bandit#create}
 * turns it into a live, thread-safe allocator; {@link Simulator#run} measures it.
 *
 * <p>Every policy sees the same per-arm sufficient statistics (pulls, reward sum, sum of squares)
 * and differs only in how it picks the arm for the next visitor:
 *
 * <ul>
 *   <li>{@link EpsilonGreedy}: with probability ε a uniformly random arm, otherwise the arm with
 *       the highest mean reward (ties broken uniformly at random). Arms never tried count as tied
 *       for the highest mean, so each arm is tried once before exploitation starts.
 *   <li>{@link DecayingEpsilonGreedy}: the same with ε<sub>t</sub> = min(1, c·K/t) for the t-th
 *       visitor (the ε<sub>n</sub>-greedy of Auer, Cesa-Bianchi and Fischer, 2002, with d = 1).
 *   <li>{@link Ucb1}: each untried arm once (lowest index first), then the arm maximising x̄<sub>i</sub>
 *       + √(2 ln t / n<sub>i</sub>) with t the total pulls (Auer et al. 2002); ties go to the lowest
 *       index. Deterministic: under batched updates it sends a whole batch to one arm.
 *   <li>{@link BetaThompson}: Thompson sampling for 0/1 rewards with a uniform Beta(1, 1) prior:
 *       draw p<sub>i</sub> ~ Beta(1 + successes<sub>i</sub>, 1 + failures<sub>i</sub>) for every arm
 *       and play the largest draw.
 *   <li>{@link GaussianThompson}: Thompson sampling for continuous rewards: normal rewards with
 *       one variance shared by the arms, reference prior; each choice draws σ² from its posterior
 *       (pooled within-arm variance, N − K degrees of freedom) and then every arm's mean from
 *       N(x̄<sub>i</sub>, σ²/n<sub>i</sub>). Sharing the variance keeps an arm whose few rewards
 *       happen to be equal (all zeros, say) from looking certain and freezing.
 *   <li>{@link FixedAllocation}: the A/B/n baseline; a deterministic interleaved schedule (smooth
 *       weighted round robin on the weights reduced to small integers), so that in every cycle
 *       each arm receives exactly its share. Learns nothing.
 *   <li>{@link Hybrid}: explore with a bandit for a number of visitors, then split the remaining
 *       traffic equally between the two arms with the highest mean reward at that moment.
 * </ul>
 */
public sealed interface Policy {

  /** A short name as accepted by {@link #parse}, e.g. {@code epsilon-greedy:0.1}. */
  String name();

  /** Checks that the policy can run with {@code arms} arms; throws IllegalArgumentException. */
  default void validateFor(int arms) {}

  static Policy equalSplit() {
    return new FixedAllocation(null);
  }

  /** A fixed split with the given weights (relative; they need not sum to 1). */
  static Policy weightedSplit(double... weights) {
    return new FixedAllocation(weights.clone());
  }

  static Policy epsilonGreedy(double epsilon) {
    return new EpsilonGreedy(epsilon);
  }

  static Policy decayingEpsilonGreedy(double c) {
    return new DecayingEpsilonGreedy(c);
  }

  static Policy ucb1() {
    return new Ucb1();
  }

  static Policy thompson() {
    return new BetaThompson();
  }

  static Policy gaussianThompson() {
    return new GaussianThompson();
  }

  static Policy hybrid(Policy explore, long exploreVisitors) {
    return new Hybrid(explore, exploreVisitors);
  }

  /**
   * Parses {@code ab}, {@code weighted:0.4,0.2,0.2,0.2}, {@code epsilon-greedy:0.1},
   * {@code epsilon-decay:C}, {@code ucb1}, {@code thompson}, {@code thompson-gaussian}. The hybrid
   * needs a horizon and is built with {@link #hybrid}.
   */
  static Policy parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "policy must be one of ab, weighted:W1,W2,..., epsilon-greedy:EPSILON, epsilon-decay:C,"
              + " ucb1, thompson, thompson-gaussian but was empty");
    }
    String t = text.trim();
    int colon = t.indexOf(':');
    String head = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : t.substring(colon + 1);
    switch (head) {
      case "ab", "equal", "fixed" -> {
        noArgument(text, arg);
        return equalSplit();
      }
      case "weighted" -> {
        if (arg == null || arg.isBlank()) {
          throw new IllegalArgumentException(
              "policy '" + text + "': weighted needs weights, e.g. weighted:0.4,0.2,0.2,0.2");
        }
        String[] parts = arg.split(",");
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
          w[i] = number(text, "weight " + (i + 1), parts[i]);
        }
        return weightedSplit(w);
      }
      case "epsilon-greedy", "egreedy" -> {
        return epsilonGreedy(arg == null ? 0.1 : number(text, "epsilon", arg));
      }
      case "epsilon-decay" -> {
        return decayingEpsilonGreedy(arg == null ? 1.0 : number(text, "c", arg));
      }
      case "ucb1", "ucb" -> {
        noArgument(text, arg);
        return ucb1();
      }
      case "thompson", "thompson-beta" -> {
        noArgument(text, arg);
        return thompson();
      }
      case "thompson-gaussian" -> {
        noArgument(text, arg);
        return gaussianThompson();
      }
      default ->
          throw new IllegalArgumentException(
              "policy must be one of ab, weighted:W1,W2,..., epsilon-greedy:EPSILON,"
                  + " epsilon-decay:C, ucb1, thompson, thompson-gaussian but was '"
                  + text
                  + "'");
    }
  }

  private static void noArgument(String text, String arg) {
    if (arg != null) {
      throw new IllegalArgumentException("policy '" + text + "' takes no ':' argument");
    }
  }

  private static double number(String text, String what, String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "policy '" + text + "': " + what + " must be a number but was '" + s.trim() + "'", e);
    }
  }

  /** Fixed ε. */
  record EpsilonGreedy(double epsilon) implements Policy {
    public EpsilonGreedy {
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("epsilon must be in [0, 1] but was " + epsilon);
      }
    }

    @Override
    public String name() {
      return "epsilon-greedy:" + epsilon;
    }
  }

  /** ε<sub>t</sub> = min(1, c·K/t). */
  record DecayingEpsilonGreedy(double c) implements Policy {
    public DecayingEpsilonGreedy {
      if (!(c > 0 && c < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "epsilon-decay constant c must be finite and > 0 but was " + c);
      }
    }

    @Override
    public String name() {
      return "epsilon-decay:" + c;
    }
  }

  record Ucb1() implements Policy {
    @Override
    public String name() {
      return "ucb1";
    }
  }

  record BetaThompson() implements Policy {
    @Override
    public String name() {
      return "thompson";
    }
  }

  record GaussianThompson() implements Policy {
    @Override
    public String name() {
      return "thompson-gaussian";
    }
  }

  /** Weights null means equal. */
  record FixedAllocation(double[] weights) implements Policy {
    public FixedAllocation {
      if (weights != null) {
        if (weights.length < 2) {
          throw new IllegalArgumentException(
              "weights must name at least 2 arms but had " + weights.length);
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
          if (!(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                "weight of arm " + (i + 1) + " must be finite and >= 0 but was " + weights[i]);
          }
          sum += weights[i];
        }
        if (!(sum > 0)) {
          throw new IllegalArgumentException(
              "weights must not all be 0 but were " + Arrays.toString(weights));
        }
        weights = weights.clone();
      }
    }

    @Override
    public double[] weights() {
      return weights == null ? null : weights.clone();
    }

    @Override
    public void validateFor(int arms) {
      if (weights != null && weights.length != arms) {
        throw new IllegalArgumentException(
            "weights must give one weight per arm ("
                + arms
                + " arms) but gave "
                + weights.length
                + ": "
                + Arrays.toString(weights));
      }
    }

    @Override
    public String name() {
      if (weights == null) {
        return "ab";
      }
      StringBuilder sb = new StringBuilder("weighted:");
      for (int i = 0; i < weights.length; i++) {
        sb.append(i == 0 ? "" : ",").append(weights[i]);
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FixedAllocation f && Arrays.equals(weights, f.weights);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** Explore with {@code explore} for {@code exploreVisitors}, then an equal split of the top two. */
  record Hybrid(Policy explore, long exploreVisitors) implements Policy {
    public Hybrid {
      if (explore == null || explore instanceof Hybrid) {
        throw new IllegalArgumentException(
            "hybrid explore policy must be a non-hybrid policy but was " + explore);
      }
      if (exploreVisitors < 0) {
        throw new IllegalArgumentException(
            "hybrid exploreVisitors must be >= 0 but was " + exploreVisitors);
      }
    }

    @Override
    public void validateFor(int arms) {
      explore.validateFor(arms);
    }

    @Override
    public String name() {
      return "hybrid(" + explore.name() + " for " + exploreVisitors + " visitors, then top-2 A/B)";
    }
  }
}
