package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.graph.NetworkAnalysis.Effect;
import dev.loupe.graph.NetworkAnalysis.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Simulated experiments with known effects (fixed seeds; tolerances stated per test). The graph is
 * a planted partition: 60 groups of 50 users, about 9 friends inside the group and 1 outside.
 */
class NetworkAnalysisTest {

  static final int GROUPS = 60;
  static final int SIZE = 50;
  static final Graph GRAPH = planted(GROUPS, SIZE, 9.0, 1.0, 17);
  static final Partition GROUPS_PARTITION = groups();

  static Graph planted(int groups, int size, double inside, double outside, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    GraphBuilder b = GraphBuilder.create();
    int n = groups * size;
    for (int i = 0; i < n; i++) {
      b.node(Integer.toString(i));
    }
    double pIn = inside / (size - 1);
    double pOut = outside / (n - size);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double p = i / size == j / size ? pIn : pOut;
        if (rnd.nextDouble() < p) {
          b.addEdge(i, j, 1.0);
        }
      }
    }
    return b.build().graph();
  }

  static Partition groups() {
    int[] labels = new int[GROUPS * SIZE];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i / SIZE;
    }
    return Partition.of(labels);
  }

  /** y = cluster effect + τ·T + γ·(share of treated friends) + ε, or γ·(cluster share) with partial=true. */
  static Map<String, Double> outcomes(Design d, double tau, double gamma, boolean partial, SplittableRandom rnd) {
    Graph g = d.graph();
    double[] clusterEffect = new double[GROUPS];
    for (int c = 0; c < GROUPS; c++) {
      clusterEffect[c] = 0.3 * rnd.nextGaussian();
    }
    Map<String, Double> y = new HashMap<>();
    for (int i = 0; i < g.nodeCount(); i++) {
      double exposure;
      if (partial) {
        exposure = d.clusterShare(i);
      } else {
        int t = 0;
        for (long k = g.offset(i); k < g.offset(i + 1); k++) {
          t += d.treated(g.neighbor(k)) ? 1 : 0;
        }
        exposure = g.degree(i) == 0 ? 0 : t / (double) g.degree(i);
      }
      y.put(g.id(i), 10 + clusterEffect[GROUPS_PARTITION.cluster(i)] + tau * (d.treated(i) ? 1 : 0) + gamma * exposure + rnd.nextGaussian());
    }
    return y;
  }

  @Test
  void analyze_twoStage_recoversDirectSpilloverTotal_andIntervalsCover() {
    // Partial interference: spillover at within-share 0.5 is γ·0.5 = 0.3; direct 0.4; total 0.7.
    double tau = 0.4;
    double gamma = 0.6;
    int reps = 200;
    double[] sum = new double[3];
    int[] cover = new int[3];
    double[] truth = {tau, gamma * 0.5, tau + gamma * 0.5};
    NetworkAnalysis a = NetworkAnalysis.withDefaults().withPermutations(0);
    SplittableRandom rnd = new SplittableRandom(101);
    for (int r = 0; r < reps; r++) {
      Design d = Design.twoStage(GRAPH, GROUPS_PARTITION, 0.5, 0.5, 1000 + r);
      Result res = a.analyze(ExperimentData.of(d.assignments(), outcomes(d, tau, gamma, true, rnd)));
      Effect[] e = {res.direct(), res.spillover(), res.total()};
      for (int k = 0; k < 3; k++) {
        sum[k] += e[k].estimate();
        if (e[k].ciLow() <= truth[k] && truth[k] <= e[k].ciHigh()) {
          cover[k]++;
        }
      }
    }
    for (int k = 0; k < 3; k++) {
      // Mean of 200 estimates: its standard error is below 0.02 for each effect here.
      assertThat(sum[k] / reps).as("mean estimate %d", k).isCloseTo(truth[k], within(0.05));
      // Nominal 95%; 200 replications give a binomial SE of 1.5 points.
      assertThat(cover[k] / (double) reps).as("coverage %d", k).isBetween(0.90, 0.99);
    }
  }

  @Test
  void analyze_twoStageNull_randomizationPValuesHaveNominalSize() {
    int reps = 100;
    int[] rejections = new int[3];
    NetworkAnalysis a = NetworkAnalysis.withDefaults().withPermutations(99).withSeed(3);
    SplittableRandom rnd = new SplittableRandom(202);
    for (int r = 0; r < reps; r++) {
      Design d = Design.twoStage(GRAPH, GROUPS_PARTITION, 0.5, 0.5, 5000 + r);
      Result res = a.analyze(ExperimentData.of(d.assignments(), outcomes(d, 0, 0, true, rnd)));
      rejections[0] += res.direct().pValue() <= 0.05 ? 1 : 0;
      rejections[1] += res.spillover().pValue() <= 0.05 ? 1 : 0;
      rejections[2] += res.total().pValue() <= 0.05 ? 1 : 0;
    }
    for (int k = 0; k < 3; k++) {
      // 5% nominal; 100 replications: at most 12 rejections (binomial tail < 0.5%).
      assertThat(rejections[k]).as("rejections %d", k).isLessThanOrEqualTo(12);
    }
  }

  @Test
  void interferenceTest_nominalSizeWithoutSpillover_powerWithIt() {
    int reps = 200;
    int nullRejections = 0;
    int altRejections = 0;
    NetworkAnalysis a = NetworkAnalysis.withDefaults().withPermutations(0);
    SplittableRandom rnd = new SplittableRandom(303);
    for (int r = 0; r < reps; r++) {
      Design d = Design.interferenceTest(GRAPH, GROUPS_PARTITION, 0.5, 7000 + r);
      nullRejections += a.analyze(ExperimentData.of(d.assignments(), outcomes(d, 0.3, 0.0, false, rnd))).interferenceTest().rejected() ? 1 : 0;
      altRejections += a.analyze(ExperimentData.of(d.assignments(), outcomes(d, 0.3, 0.5, false, rnd))).interferenceTest().rejected() ? 1 : 0;
    }
    // Size: nominal 5% (binomial SE 1.5 points over 200); power: at least 80% with spillover 0.5.
    assertThat(nullRejections / (double) reps).isBetween(0.01, 0.10);
    assertThat(altRejections / (double) reps).isGreaterThanOrEqualTo(0.80);
  }

  @Test
  void analyze_clusterDesign_hajekRecoversFullExposureEffect() {
    // Exposure estimand: all treated vs all control = τ + γ = 0.8.
    int reps = 100;
    double sumHajek = 0;
    double sumHt = 0;
    NetworkAnalysis a = NetworkAnalysis.withDefaults().withPermutations(0);
    SplittableRandom rnd = new SplittableRandom(404);
    for (int r = 0; r < reps; r++) {
      Design d = Design.cluster(GRAPH, GROUPS_PARTITION, 0.5, 9000 + r);
      Result res = a.analyze(ExperimentData.of(d.assignments(), outcomes(d, 0.3, 0.5, false, rnd)), GRAPH);
      sumHt += res.exposure().get(0).estimate();
      sumHajek += res.exposure().get(1).estimate();
      assertThat(res.direct().note()).startsWith("not identified");
    }
    // Hájek is nearly unbiased; HT is unbiased but noisy (outcomes near 10): wider tolerance.
    assertThat(sumHajek / reps).isCloseTo(0.8, within(0.1));
    assertThat(sumHt / reps).isCloseTo(0.8, within(1.5));
  }

  @Test
  void analyze_exposureEstimates_haveRandomizationIntervals() {
    Design d = Design.cluster(GRAPH, GROUPS_PARTITION, 0.5, 1);
    Result res = NetworkAnalysis.withDefaults().withPermutations(200)
        .analyze(ExperimentData.of(d.assignments(), outcomes(d, 0.3, 0.5, false, new SplittableRandom(5))), GRAPH);
    NetworkAnalysis.ExposureEstimate hajek = res.exposure().get(1);
    assertThat(hajek.stdError()).isPositive();
    assertThat(hajek.ciLow()).isLessThan(hajek.estimate());
    assertThat(hajek.pValue()).isLessThan(0.05);
    assertThat(hajek.eligible()).isPositive();
    assertThat(res.total().pValue()).isLessThan(0.05);
  }

  @Test
  void analyze_individualDesign_onlyDirectIdentified() {
    Design d = Design.individual(GRAPH, 0.5, 2);
    Result res = NetworkAnalysis.withDefaults().withPermutations(50)
        .analyze(ExperimentData.of(d.assignments(), outcomes(d, 0.3, 0.5, false, new SplittableRandom(6))));
    assertThat(res.direct().estimate()).isCloseTo(0.3, within(0.15));
    assertThat(res.spillover().estimate()).isNaN();
    assertThat(res.spillover().note()).isEqualTo("not identified by individual randomization: use a two-stage design");
    assertThat(res.interferenceTest().pValue()).isNaN();
  }

  @Test
  void analyze_seedS9Table_direct2point3Spillover0point7Total3() {
    // Seed S9 step 5: treated users of treated clusters average 10.5, their control cluster-mates
    // 8.2, users of control clusters 7.5 → direct 2.3, spillover 0.7, total 3.0.
    List<Assignment> rows = new java.util.ArrayList<>();
    Map<String, Double> y = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(9);
    for (int c = 0; c < 40; c++) {
      boolean treatedCluster = c % 2 == 0;
      for (int k = 0; k < 10; k++) {
        String user = "c" + c + "u" + k;
        boolean t = treatedCluster && k < 4; // pairs (0,1), (2,3) treated; (4,5) … (8,9) control
        rows.add(new Assignment(user, "c" + c, t, treatedCluster ? 0.4 : 0.0, "two-stage", ""));
        double mean = t ? 10.5 : treatedCluster ? 8.2 : 7.5;
        double e = (k % 2 == 0 ? 1 : -1) * rnd.nextDouble(); // symmetric noise summing to 0 in pairs
        y.put(user, mean + e);
        if (k % 2 == 1) {
          y.put(user, mean - (y.get("c" + c + "u" + (k - 1)) - mean)); // pair k-1, k cancel exactly
        }
      }
    }
    Result res = NetworkAnalysis.withDefaults().withPermutations(0).analyze(ExperimentData.of(rows, y));
    assertThat(res.direct().estimate()).isCloseTo(2.3, within(1e-9));
    assertThat(res.spillover().estimate()).isCloseTo(0.7, within(1e-9));
    assertThat(res.total().estimate()).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void of_unknownUsersInOutcomes_rejectedWithExamples() {
    Design d = Design.twoStage(GRAPH, GROUPS_PARTITION, 0.5, 0.5, 1);
    Map<String, Double> y = new HashMap<>(Map.of("0", 1.0, "ghost", 2.0));
    assertThatThrownBy(() -> ExperimentData.of(d.assignments(), y))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outcomes must be for assigned users but 1 users are not in the assignment, e.g. [ghost]");
  }

  @Test
  void of_oneClusterOrEmpty_rejected() {
    List<Assignment> one = List.of(new Assignment("a", "c1", true, 0.5, "two-stage", ""), new Assignment("b", "c1", false, 0.5, "two-stage", ""));
    assertThatThrownBy(() -> ExperimentData.of(one, Map.of("a", 1.0, "b", 2.0)))
        .hasMessage("analysis needs at least 2 clusters but the assignment has 1");
    assertThatThrownBy(() -> ExperimentData.of(List.of(), Map.of()))
        .hasMessage("assignment must have at least one user but was empty");
    assertThatThrownBy(() -> ExperimentData.of(one, Map.of("a", Double.NaN)))
        .hasMessage("outcome must be a finite number but was NaN for user a");
  }
}
