package dev.loupe.stats.bandit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Monte Carlo simulation of a {@link Policy} in a {@link Scenario}: R independent replications,
 * each a full experiment visitor by visitor (choose an arm, draw the conversion from that day's
 * true rate, learn at the scenario's cadence). See {@link SimulationResult} for what is measured.
 *
 * <p>Reproducibility: replication r draws all its randomness from a generator split from the
 * r-th generator split, in order, from {@code new SplittableRandom(seed)}; replications run on
 * {@code threads} threads and their results are combined in replication order, so a result
 * depends on the seed and not on the number of threads. Each replication drives its own learner (the engine a live {@link
 * Bandit} wraps in a lock) without locking: nothing is shared between replications but the
 * read-only scenario, so the policies' thread-safe public objects pay no locks here.
 *
 * <pre>{@code
 * SimulationResult r = Simulator.create(Scenario.of(new double[] {.03, .03, .03, .035}, 10_000, 4, 50))
 *     .withReplications(2000).withSeed(1).run(Policy.thompson());
 * }</pre>
 */
public final class Simulator {

  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

  private final Scenario scenario;
  private final int replications;
  private final long seed;
  private final int threads;
  private final double alpha;
  private final double decisionThreshold;

  private Simulator(
      Scenario scenario,
      int replications,
      long seed,
      int threads,
      double alpha,
      double decisionThreshold) {
    this.scenario = scenario;
    this.replications = replications;
    this.seed = seed;
    this.threads = threads;
    this.alpha = alpha;
    this.decisionThreshold = decisionThreshold;
  }

  /** 2000 replications, seed 1, all cores, α = 0.05, decision threshold 0.95. */
  public static Simulator create(Scenario scenario) {
    if (scenario == null) {
      throw new IllegalArgumentException("scenario must not be null");
    }
    return new Simulator(
        scenario, 2000, 1, Runtime.getRuntime().availableProcessors(), 0.05, 0.95);
  }

  public Simulator withReplications(int r) {
    if (r < 1 || r > 1_000_000) {
      throw new IllegalArgumentException("replications must be in [1, 1000000] but was " + r);
    }
    return new Simulator(scenario, r, seed, threads, alpha, decisionThreshold);
  }

  public Simulator withSeed(long s) {
    return new Simulator(scenario, replications, s, threads, alpha, decisionThreshold);
  }

  public Simulator withThreads(int t) {
    if (t < 1 || t > 1024) {
      throw new IllegalArgumentException("threads must be in [1, 1024] but was " + t);
    }
    return new Simulator(scenario, replications, seed, t, alpha, decisionThreshold);
  }

  public Simulator withAlpha(double a) {
    if (!(a > 0 && a < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1) but was " + a);
    }
    return new Simulator(scenario, replications, seed, threads, a, decisionThreshold);
  }

  public Simulator withDecisionThreshold(double p) {
    if (!(p > 0.5 && p < 1)) {
      throw new IllegalArgumentException("decision threshold must be in (0.5, 1) but was " + p);
    }
    return new Simulator(scenario, replications, seed, threads, alpha, p);
  }

  public Scenario scenario() {
    return scenario;
  }

  public int replications() {
    return replications;
  }

  /** Runs the replications and summarises them. */
  public SimulationResult run(Policy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("policy must not be null");
    }
    Learner.of(policy, scenario.arms(), false); // validates policy against the arm count
    Setup setup = new Setup(scenario, alpha);
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom[] rngs = new SplittableRandom[replications];
    for (int r = 0; r < replications; r++) {
      rngs[r] = root.split();
    }
    Replication[] out = new Replication[replications];
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int r = next.getAndIncrement(); r < replications; r = next.getAndIncrement()) {
            // The replication's generator is split off inside the worker so that it lives in
            // this thread's allocation buffer: the generators split from the root are adjacent in
            // memory, and two threads writing to one cache line would slow each other down.
            out[r] = replicate(policy, setup, rngs[r].split());
          }
        };
    int n = Math.min(threads, replications);
    if (n == 1) {
      worker.run();
    } else {
      Thread[] pool = new Thread[n];
      Throwable[] failure = new Throwable[1];
      for (int i = 0; i < n; i++) {
        pool[i] = new Thread(worker, "loupe-bandit-sim-" + i);
        pool[i].setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        pool[i].start();
      }
      for (Thread t : pool) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("simulation interrupted", e);
        }
      }
      if (failure[0] != null) {
        throw new IllegalStateException("simulation failed: " + failure[0], failure[0]);
      }
    }
    return summarise(policy, out);
  }

  /** Per-scenario constants shared read-only by all replications. */
  private static final class Setup {
    final int k;
    final int periods;
    final int days;
    final int visitors;
    final int[] dayStart; // visitor index within a period where day d starts; length days + 1
    final double[] rate; // [(period*days + day)*k + arm]
    // ⌈rate·2⁵³⌉, same index: a 53-bit uniform integer m has m·2⁻⁵³ < rate iff m < threshold
    final long[] threshold;
    final BigDecimal[] gapValue; // (best that day − rate) × value, same index
    final double zCritical;
    final int control = 0;
    final int treatment;
    final double trueDiff;
    final int best;
    final double bestRate;

    Setup(Scenario s, double alpha) {
      k = s.arms();
      periods = s.periods();
      days = s.daysPerPeriod();
      visitors = s.visitorsPerPeriod();
      dayStart = new int[days + 1];
      for (int d = 0; d <= days; d++) {
        dayStart[d] = (int) ((long) d * visitors / days);
      }
      int totalDays = periods * days;
      rate = new double[totalDays * k];
      threshold = new long[totalDays * k];
      gapValue = new BigDecimal[totalDays * k];
      BigDecimal value = BigDecimal.valueOf(s.valuePerConversion());
      for (int d = 0; d < totalDays; d++) {
        BigDecimal best = null;
        for (int a = 0; a < k; a++) {
          rate[d * k + a] = s.rate(d, a);
          threshold[d * k + a] = (long) Math.ceil(rate[d * k + a] * 0x1p53);
          BigDecimal r = BigDecimal.valueOf(rate[d * k + a]);
          best = best == null || r.compareTo(best) > 0 ? r : best;
        }
        for (int a = 0; a < k; a++) {
          gapValue[d * k + a] = best.subtract(BigDecimal.valueOf(rate[d * k + a])).multiply(value);
        }
      }
      zCritical = STANDARD_NORMAL.inverseSurvivalProbability(alpha / 2);
      treatment = s.treatmentArm();
      double[] rates = s.rates();
      trueDiff = rates[treatment] - rates[control];
      best = s.bestArm();
      bestRate = rates[best];
    }
  }

  /** One replication's outcome. */
  private record Replication(
      double[] regretByPeriod,
      boolean correct,
      boolean testable,
      boolean reject,
      boolean covered,
      int decisionPeriod,
      long[] periodCounts,
      long conversions) {}

  private Replication replicate(Policy policy, Setup s, SplittableRandom rng) {
    UpdateCadence cadence = scenario.cadence();
    Learner learner = Learner.of(policy, s.k, cadence != UpdateCadence.PER_VISITOR);
    int k = s.k;
    long[] dayCounts = new long[s.periods * s.days * k];
    long conversions = 0;
    int decision = 0;
    long[] threshold = s.threshold;
    // Conversions come from a SplitMix64 stream (the algorithm of SplittableRandom) held in a
    // local variable, seeded from the replication's generator: no heap write per visitor.
    long stream = rng.nextLong();
    for (int p = 0; p < s.periods; p++) {
      for (int d = 0; d < s.days; d++) {
        int base = (p * s.days + d) * k;
        // a day's visitors in the cadence's batches (one slice when it learns per visitor or period)
        int batches = cadence.batchesPerDay();
        int slices = Math.max(1, batches);
        int dayLength = s.dayStart[d + 1] - s.dayStart[d];
        for (int h = 0; h < slices; h++) {
          int from = s.dayStart[d] + (int) ((long) h * dayLength / slices);
          int end = s.dayStart[d] + (int) ((long) (h + 1) * dayLength / slices);
          for (int i = from; i < end; i++) {
            int a = learner.choose(rng);
            dayCounts[base + a]++;
            if (Learner.mix64(stream += Learner.GOLDEN) >>> 11 < threshold[base + a]) {
              conversions++;
              learner.observe(a, 1);
            } else {
              learner.observe(a, 0);
            }
          }
          if (batches > 0) {
            learner.commit();
          }
        }
      }
      learner.commit();
      if (decision == 0 && leaderProbabilityBest(learner) >= decisionThreshold) {
        decision = p + 1;
      }
    }
    // Regret, exactly from the counts.
    double[] regretByPeriod = new double[s.periods];
    long[] periodCounts = new long[s.periods * k];
    BigDecimal regret = BigDecimal.ZERO;
    for (int p = 0; p < s.periods; p++) {
      for (int d = 0; d < s.days; d++) {
        int base = (p * s.days + d) * k;
        for (int a = 0; a < k; a++) {
          long c = dayCounts[base + a];
          periodCounts[p * k + a] += c;
          if (c != 0 && s.gapValue[base + a].signum() != 0) {
            regret = regret.add(s.gapValue[base + a].multiply(BigDecimal.valueOf(c)));
          }
        }
      }
      regretByPeriod[p] = regret.doubleValue();
    }
    int declared = learner.declaredBest(rng);
    boolean correct = declared >= 0 && scenario.rates()[declared] == s.bestRate;
    // End-of-test Wald test, treatment vs control.
    long nt = learner.n[s.treatment];
    long nc = learner.n[s.control];
    boolean testable = nt > 0 && nc > 0;
    boolean reject = false;
    boolean covered = false;
    if (testable) {
      double pt = learner.sum[s.treatment] / nt;
      double pc = learner.sum[s.control] / nc;
      double diff = pt - pc;
      double se = Math.sqrt(pt * (1 - pt) / nt + pc * (1 - pc) / nc);
      if (se > 0) {
        double z = diff / se;
        reject =
            s.trueDiff > 0
                ? z > s.zCritical
                : s.trueDiff < 0 ? z < -s.zCritical : Math.abs(z) > s.zCritical;
        covered = Math.abs(diff - s.trueDiff) <= s.zCritical * se;
      } else {
        covered = diff == s.trueDiff;
      }
    }
    return new Replication(
        regretByPeriod, correct, testable, reject, covered, decision, periodCounts, conversions);
  }

  /**
   * Posterior probability that the leader (highest posterior mean, Beta(1 + s, 1 + n − s)) is the
   * best arm, with each Beta replaced by the normal of the same mean and variance:
   * ∫ φ(z) Π<sub>j≠L</sub> Φ((m<sub>L</sub> + σ<sub>L</sub>z − m<sub>j</sub>)/σ<sub>j</sub>) dz by
   * the trapezoid rule on [−8, 8] with step 0.2 (the integrand is smooth and Gaussian-tailed).
   */
  static double leaderProbabilityBest(Learner learner) {
    int k = learner.k;
    double[] m = new double[k];
    double[] sd = new double[k];
    int leader = 0;
    for (int a = 0; a < k; a++) {
      double al = 1 + learner.sum[a];
      double be = 1 + learner.n[a] - learner.sum[a];
      double t = al + be;
      m[a] = al / t;
      sd[a] = Math.sqrt(al * be / (t * t * (t + 1)));
      if (m[a] > m[leader]) {
        leader = a;
      }
    }
    // Cheap upper bound: P(best) <= min_j P(X_L > X_j).
    double bound = 1;
    for (int j = 0; j < k; j++) {
      if (j != leader) {
        double s = Math.sqrt(sd[leader] * sd[leader] + sd[j] * sd[j]);
        bound = Math.min(bound, STANDARD_NORMAL.cumulativeProbability((m[leader] - m[j]) / s));
      }
    }
    if (bound < 0.5) {
      return bound;
    }
    double h = 0.2;
    double total = 0;
    for (int i = -40; i <= 40; i++) {
      double z = i * h;
      double x = m[leader] + sd[leader] * z;
      double f = Math.exp(-0.5 * z * z);
      for (int j = 0; j < k && f > 0; j++) {
        if (j != leader) {
          f *= STANDARD_NORMAL.cumulativeProbability((x - m[j]) / sd[j]);
        }
      }
      total += (i == -40 || i == 40 ? 0.5 : 1) * f;
    }
    return Math.min(1, total * h / Math.sqrt(2 * Math.PI));
  }

  private SimulationResult summarise(Policy policy, Replication[] reps) {
    int r = reps.length;
    int k = scenario.arms();
    int periods = scenario.periods();
    double[] regrets = new double[r];
    double[] cumulative = new double[periods];
    long[] counts = new long[periods * k];
    int correct = 0;
    int testable = 0;
    int rejected = 0;
    int covered = 0;
    int decided = 0;
    int[] decisions = new int[r];
    long conversions = 0;
    for (int i = 0; i < r; i++) {
      Replication rep = reps[i];
      regrets[i] = rep.regretByPeriod()[periods - 1];
      for (int p = 0; p < periods; p++) {
        cumulative[p] += rep.regretByPeriod()[p];
      }
      for (int j = 0; j < counts.length; j++) {
        counts[j] += rep.periodCounts()[j];
      }
      correct += rep.correct() ? 1 : 0;
      testable += rep.testable() ? 1 : 0;
      rejected += rep.reject() ? 1 : 0;
      covered += rep.testable() && rep.covered() ? 1 : 0;
      decided += rep.decisionPeriod() > 0 ? 1 : 0;
      decisions[i] = rep.decisionPeriod() > 0 ? rep.decisionPeriod() : Integer.MAX_VALUE;
      conversions += rep.conversions();
    }
    double mean = 0;
    for (double x : regrets) {
      mean += x;
    }
    mean /= r;
    double ss = 0;
    for (double x : regrets) {
      ss += (x - mean) * (x - mean);
    }
    double se = r > 1 ? Math.sqrt(ss / (r - 1) / r) : Double.NaN;
    double[] sorted = regrets.clone();
    Arrays.sort(sorted);
    List<Double> byPeriod = new ArrayList<>(periods);
    for (int p = 0; p < periods; p++) {
      byPeriod.add(cumulative[p] / r);
    }
    List<List<Double>> share = new ArrayList<>(periods);
    double perPeriod = (double) scenario.visitorsPerPeriod() * r;
    for (int p = 0; p < periods; p++) {
      List<Double> row = new ArrayList<>(k);
      for (int a = 0; a < k; a++) {
        row.add(counts[p * k + a] / perPeriod);
      }
      share.add(row);
    }
    Arrays.sort(decisions);
    double median = Double.NaN;
    int lo = decisions[(r - 1) / 2];
    int hi = decisions[r / 2];
    if (hi != Integer.MAX_VALUE) {
      median = (lo + (double) hi) / 2;
    }
    return new SimulationResult(
        policy.name(),
        r,
        mean,
        se,
        quantile(sorted, 0.05),
        quantile(sorted, 0.50),
        quantile(sorted, 0.95),
        byPeriod,
        (double) correct / r,
        share,
        (double) rejected / r,
        testable == 0 ? Double.NaN : (double) covered / testable,
        r - testable,
        (double) decided / r,
        median,
        (double) conversions / r);
  }

  /** Linear interpolation between order statistics (Hyndman–Fan type 7, numpy's default). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
