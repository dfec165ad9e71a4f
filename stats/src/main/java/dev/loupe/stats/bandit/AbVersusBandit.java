package dev.loupe.stats.bandit;

import dev.loupe.stats.multiple.Correction;
import dev.loupe.stats.power.Power;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The planner of seed exercise S8: should an experiment run as a fixed A/B/n test or as a
 * bandit? It measures instead of guessing. Five designs are simulated in the scenario:
 *
 * <ol>
 *   <li>the fixed equal split (A/B/n);
 *   <li>a weighted split giving the arm expected to be best (the highest rate given) twice the
 *       share of each other arm: the seed's 40/20/20/20 with four arms;
 *   <li>epsilon-greedy (ε = 0.1 unless set);
 *   <li>Thompson sampling (Beta–Bernoulli);
 *   <li>the seed's hybrid: Thompson sampling for the first half of the periods (at least one),
 *       then an equal split between the two leading arms.
 * </ol>
 *
 * <p>Each design runs in the scenario as given and in two stress variants of it: a novelty effect
 * (the new arms start {@code noveltyLift} better, halving every period) and a weekly seasonality
 * (amplitude {@code seasonalityAmplitude}); see {@link Scenario}. The recommendation follows the
 * seed's decision framework: statistical proof needed (regulatory, high stakes, stakeholders who
 * need p-values) → a fixed split, run long enough to have 80% power (computed with {@link
 * Power}); no proof needed and the decision reversible, or many arms → the design with the least
 * regret; otherwise the hybrid. Every reason quotes the measured numbers.
 */
public final class AbVersusBandit {

  private final Scenario scenario;
  private final int replications;
  private final long seed;
  private final int threads;
  private final double alpha;
  private final double epsilon;
  private final boolean requiresProof;
  private final boolean reversible;
  private final double noveltyLift;
  private final double seasonalityAmplitude;
  private final Consumer<String> progress;

  private AbVersusBandit(
      Scenario scenario,
      int replications,
      long seed,
      int threads,
      double alpha,
      double epsilon,
      boolean requiresProof,
      boolean reversible,
      double noveltyLift,
      double seasonalityAmplitude,
      Consumer<String> progress) {
    this.scenario = scenario;
    this.replications = replications;
    this.seed = seed;
    this.threads = threads;
    this.alpha = alpha;
    this.epsilon = epsilon;
    this.requiresProof = requiresProof;
    this.reversible = reversible;
    this.noveltyLift = noveltyLift;
    this.seasonalityAmplitude = seasonalityAmplitude;
    this.progress = progress;
  }

  /**
   * 1000 replications, seed 1, all cores, α = 0.05, ε = 0.1, proof required, not reversible,
   * novelty stress +20%, seasonality stress ±30%.
   */
  public static AbVersusBandit create(Scenario scenario) {
    if (scenario == null) {
      throw new IllegalArgumentException("scenario must not be null");
    }
    return new AbVersusBandit(
        scenario, 1000, 1, Runtime.getRuntime().availableProcessors(), 0.05, 0.1, true, false, 0.2,
        0.3, m -> {});
  }

  public AbVersusBandit withReplications(int r) {
    Simulator.create(scenario).withReplications(r); // validates
    return new AbVersusBandit(
        scenario, r, seed, threads, alpha, epsilon, requiresProof, reversible, noveltyLift,
        seasonalityAmplitude, progress);
  }

  public AbVersusBandit withSeed(long s) {
    return new AbVersusBandit(
        scenario, replications, s, threads, alpha, epsilon, requiresProof, reversible,
        noveltyLift, seasonalityAmplitude, progress);
  }

  public AbVersusBandit withThreads(int t) {
    Simulator.create(scenario).withThreads(t);
    return new AbVersusBandit(
        scenario, replications, seed, t, alpha, epsilon, requiresProof, reversible, noveltyLift,
        seasonalityAmplitude, progress);
  }

  public AbVersusBandit withAlpha(double a) {
    Simulator.create(scenario).withAlpha(a);
    return new AbVersusBandit(
        scenario, replications, seed, threads, a, epsilon, requiresProof, reversible,
        noveltyLift, seasonalityAmplitude, progress);
  }

  public AbVersusBandit withEpsilon(double e) {
    Policy.epsilonGreedy(e);
    return new AbVersusBandit(
        scenario, replications, seed, threads, alpha, e, requiresProof, reversible, noveltyLift,
        seasonalityAmplitude, progress);
  }

  /** Whether the decision needs statistical proof (regulation, high stakes, p-values). */
  public AbVersusBandit withRequiresProof(boolean b) {
    return new AbVersusBandit(
        scenario, replications, seed, threads, alpha, epsilon, b, reversible, noveltyLift,
        seasonalityAmplitude, progress);
  }

  /** Whether the decision is cheap to reverse. */
  public AbVersusBandit withReversible(boolean b) {
    return new AbVersusBandit(
        scenario, replications, seed, threads, alpha, epsilon, requiresProof, b, noveltyLift,
        seasonalityAmplitude, progress);
  }

  /** The stress variants: novelty lift (half-life one period) and seasonality amplitude. */
  public AbVersusBandit withStress(double lift, double amplitude) {
    scenario.withNovelty(lift, 1); // validates each variant as plan() builds it
    scenario.withSeasonality(amplitude);
    return new AbVersusBandit(
        scenario, replications, seed, threads, alpha, epsilon, requiresProof, reversible, lift,
        amplitude, progress);
  }

  /**
   * Reports progress: {@code listener} receives a line such as "3/15 Thompson sampling,
   * stationary" before each of the 15 simulations. Returns a copy.
   */
  public AbVersusBandit withProgress(Consumer<String> listener) {
    return new AbVersusBandit(
        scenario, replications, seed, threads, alpha, epsilon, requiresProof, reversible,
        noveltyLift, seasonalityAmplitude, listener == null ? m -> {} : listener);
  }

  /** Runs every design in the three scenarios and recommends one. */
  public Plan plan() {
    double[] rates = scenario.rates();
    int k = rates.length;
    int expectedBest = scenario.bestArm();
    double[] weights = new double[k];
    for (int a = 0; a < k; a++) {
      weights[a] = a == expectedBest ? 2.0 / (k + 1) : 1.0 / (k + 1);
    }
    int explorePeriods = Math.max(1, scenario.periods() / 2);
    long exploreVisitors = (long) explorePeriods * scenario.visitorsPerPeriod();
    List<String> names =
        List.of(
            "A/B/n equal split",
            "weighted " + percentages(weights) + " (double share to arm " + (expectedBest + 1) + ")",
            "epsilon-greedy ε=" + epsilon,
            "Thompson sampling",
            "hybrid: Thompson "
                + explorePeriods
                + " "
                + plural(scenario.periodName(), explorePeriods)
                + ", then top-2 A/B");
    List<Policy> policies =
        List.of(
            Policy.equalSplit(),
            Policy.weightedSplit(weights),
            Policy.epsilonGreedy(epsilon),
            Policy.thompson(),
            Policy.hybrid(Policy.thompson(), exploreVisitors));
    Scenario novelty = scenario.withNovelty(noveltyLift, 1);
    Scenario seasonal = scenario.withSeasonality(seasonalityAmplitude);
    List<DesignOutcome> designs = new ArrayList<>();
    int total = 3 * policies.size();
    for (int i = 0; i < policies.size(); i++) {
      Policy p = policies.get(i);
      progress.accept((3 * i + 1) + "/" + total + " " + names.get(i) + ", stationary");
      SimulationResult stationary = simulator(scenario).run(p);
      progress.accept((3 * i + 2) + "/" + total + " " + names.get(i) + ", novelty");
      SimulationResult withNovelty = simulator(novelty).run(p);
      progress.accept((3 * i + 3) + "/" + total + " " + names.get(i) + ", seasonality");
      SimulationResult withSeasonality = simulator(seasonal).run(p);
      designs.add(new DesignOutcome(names.get(i), p.name(), stationary, withNovelty, withSeasonality));
    }
    return recommend(designs);
  }

  private Simulator simulator(Scenario s) {
    return Simulator.create(s)
        .withReplications(replications)
        .withSeed(seed)
        .withThreads(threads)
        .withAlpha(alpha);
  }

  private Plan recommend(List<DesignOutcome> designs) {
    double[] rates = scenario.rates();
    int k = rates.length;
    int control = 0;
    int treatment = scenario.treatmentArm();
    String period = scenario.periodName();
    int periods = scenario.periods();
    double analyticPower = Double.NaN;
    long nFor80 = -1;
    double periodsFor80 = Double.NaN;
    double periodsFor80Bonferroni = Double.NaN;
    double mde = rates[treatment] - rates[control];
    boolean canPower = mde != 0 && rates[control] > 0 && rates[control] < 1 && rates[treatment] > 0
        && rates[treatment] < 1;
    if (canPower) {
      Power power = Power.proportions(rates[control], mde).withAlpha(alpha).withArms(k);
      analyticPower = power.power((double) scenario.visitors() / k);
      nFor80 = power.nPerArm(0.8);
      periodsFor80 = power.weeks(0.8, scenario.visitorsPerPeriod());
      periodsFor80Bonferroni =
          power.withCorrection(Correction.BONFERRONI).weeks(0.8, scenario.visitorsPerPeriod());
    }
    SimulationResult ab = designs.get(0).stationary();
    SimulationResult weighted = designs.get(1).stationary();
    SimulationResult eg = designs.get(2).stationary();
    SimulationResult ts = designs.get(3).stationary();
    SimulationResult hybrid = designs.get(4).stationary();

    List<String> reasons = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String recommendation;
    if (requiresProof) {
      int needed = Double.isNaN(periodsFor80) ? periods : (int) Math.ceil(periodsFor80 - 1e-9);
      if (Double.isNaN(periodsFor80) || needed <= periods) {
        recommendation =
            "A/B/n test with an equal split for " + periods + " " + plural(period, periods);
      } else {
        recommendation =
            "A/B/n test with an equal split, run for "
                + needed
                + " "
                + plural(period, needed)
                + " (not "
                + periods
                + ")";
      }
      reasons.add(
          "Statistical proof is required (high stakes, hard to reverse, stakeholders want p-values),"
              + " and only a randomised fixed split gives a valid test and interval: the equal"
              + " split's naive 95% interval covered "
              + pct(ab.coverage())
              + " of the time, Thompson sampling's "
              + pct(ts.coverage())
              + ", epsilon-greedy's "
              + pct(eg.coverage())
              + ".");
      if (canPower) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "At %d %s the equal split's final test of arm %d vs arm 1 has power %s"
                    + " (analytic; simulated %s), so a real %.2f-point lift is missed %s of the"
                    + " time. 80%% power needs %,d visitors per arm: %.1f %s of traffic (%.1f with"
                    + " a Bonferroni correction for the %d comparisons).",
                periods,
                plural(period, periods),
                treatment + 1,
                pct(analyticPower),
                pct(ab.power()),
                100 * mde,
                pct(1 - analyticPower),
                nFor80,
                periodsFor80,
                plural(period, 2),
                periodsFor80Bonferroni,
                k - 1));
      }
      reasons.add(
          String.format(
              Locale.ROOT,
              "The price is regret: %s over %d %s for the equal split (exact), against %s for"
                  + " Thompson sampling and %s for the hybrid, whose final A/B between the top two"
                  + " picked the right winner %s of the time (equal split: %s).",
              money(ab.meanRegret()),
              periods,
              plural(period, periods),
              money(ts.meanRegret()),
              money(hybrid.meanRegret()),
              pct(hybrid.pBestAtEnd()),
              pct(ab.pBestAtEnd())));
      reasons.add(
          "Add a group-sequential stopping rule to stop early on a clear winner, and guardrail"
              + " metrics; a 40/20/20/20 split only pays if the hypothesised winner is right"
              + String.format(
                  Locale.ROOT,
                  " (here it cut regret to %s with power %s).",
                  money(weighted.meanRegret()),
                  pct(weighted.power())));
    } else if (reversible || k > 4) {
      DesignOutcome best = designs.get(3);
      for (DesignOutcome d : designs.subList(2, 5)) {
        if (d.stationary().meanRegret() < best.stationary().meanRegret()
            && d.stationary().pBestAtEnd() >= ab.pBestAtEnd() - 0.02) {
          best = d;
        }
      }
      recommendation = best.design();
      reasons.add(
          (reversible ? "The decision is reversible and" : "There are " + k + " arms and")
              + " \"probably best\" is acceptable, so regret is what matters.");
      reasons.add(
          String.format(
              Locale.ROOT,
              "%s: mean regret %s (5th-95th percentile %s-%s) against %s for the equal split,"
                  + " and it ends on the true best arm %s of the time (equal split %s).",
              best.design(),
              money(best.stationary().meanRegret()),
              money(best.stationary().p05Regret()),
              money(best.stationary().p95Regret()),
              money(ab.meanRegret()),
              pct(best.stationary().pBestAtEnd()),
              pct(ab.pBestAtEnd())));
    } else {
      recommendation = designs.get(4).design();
      reasons.add(
          "No formal proof is needed but the decision is hard to reverse: explore with a bandit,"
              + " then confirm between the two leaders with a clean equal split.");
      reasons.add(
          String.format(
              Locale.ROOT,
              "The hybrid's mean regret is %s (equal split %s, Thompson %s) and it ends on the"
                  + " true best arm %s of the time (equal split %s).",
              money(hybrid.meanRegret()),
              money(ab.meanRegret()),
              money(ts.meanRegret()),
              pct(hybrid.pBestAtEnd()),
              pct(ab.pBestAtEnd())));
    }

    // Warnings that matter whatever is recommended.
    if (canPower && analyticPower < 0.8) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "The fixed test is underpowered at this traffic: power %.1f%% at %d %s; it needs %.2f"
                  + " %s (%d) for 80%%.",
              100 * analyticPower,
              periods,
              plural(period, periods),
              periodsFor80,
              plural(period, 2),
              (int) Math.ceil(periodsFor80 - 1e-9)));
    }
    if (eg.p95Regret() > ab.meanRegret()) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "Epsilon-greedy is heavy-tailed: mean regret %s but 95th percentile %s, worse than"
                  + " the equal split's %s; it ends on a wrong arm in %s of runs.",
              money(eg.meanRegret()),
              money(eg.p95Regret()),
              money(ab.meanRegret()),
              pct(1 - eg.pBestAtEnd())));
    }
    for (DesignOutcome d : designs) {
      double drop = d.stationary().pBestAtEnd() - d.underNovelty().pBestAtEnd();
      if (drop > 0.05) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "%s is fooled by a novelty effect (+%.0f%% for the new arms, halving every %s):"
                    + " right winner %s → %s.",
                d.design(),
                100 * noveltyLift,
                period,
                pct(d.stationary().pBestAtEnd()),
                pct(d.underNovelty().pBestAtEnd())));
      }
      double seasonalDrop = d.stationary().pBestAtEnd() - d.underSeasonality().pBestAtEnd();
      if (seasonalDrop > 0.05) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "%s is fooled by a weekly seasonality (±%.0f%%): right winner %s → %s.",
                d.design(),
                100 * seasonalityAmplitude,
                pct(d.stationary().pBestAtEnd()),
                pct(d.underSeasonality().pBestAtEnd())));
      }
    }
    if (ts.coverage() < 0.93 || eg.coverage() < 0.93) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "Do not report a naive confidence interval from a bandit: coverage of the nominal"
                  + " 95%% interval was %s (Thompson) and %s (epsilon-greedy).",
              pct(ts.coverage()),
              pct(eg.coverage())));
    }
    return new Plan(
        designs,
        recommendation,
        reasons,
        warnings,
        analyticPower,
        nFor80,
        periodsFor80,
        periodsFor80Bonferroni);
  }

  private static String percentages(double[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < w.length; i++) {
      sb.append(i == 0 ? "" : "/").append(Math.round(100 * w[i]));
    }
    return sb.toString();
  }

  private static String plural(String unit, long n) {
    return n == 1 ? unit : unit + "s";
  }

  static String money(double x) {
    return String.format(Locale.ROOT, "$%,.0f", x);
  }

  static String pct(double p) {
    return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * p);
  }
}
