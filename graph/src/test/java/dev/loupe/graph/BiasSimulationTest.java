package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BiasSimulationTest {

  @Test
  void run_seedS9_individualMeasuresDirectOnly_clusterDesignsCloser() {
    // Seed S9: +10% on a treated user at a 50% rollout, 3 points of which are spillover
    // (γ·0.5 = 0.03, so γ = 0.06, δ = 0.07). Launch effect: δ + γ = 13% (every user has friends).
    BiasSimulation.Result r = BiasSimulation.of(0.07, 0.06).withReplications(20).withSeed(4)
        .run(NetworkAnalysisTest.GRAPH, NetworkAnalysisTest.GROUPS_PARTITION);
    double share = 0;
    Graph g = NetworkAnalysisTest.GRAPH;
    for (int i = 0; i < g.nodeCount(); i++) {
      share += g.degree(i) > 0 ? 1 : 0;
    }
    assertThat(r.launchEffect()).isCloseTo(0.07 + 0.06 * share / g.nodeCount(), within(1e-12));
    BiasSimulation.DesignBias individual = r.designs().get(0);
    BiasSimulation.DesignBias cluster = r.designs().get(1);
    BiasSimulation.DesignBias twoStage = r.designs().get(2);
    // Individual: treated and control both get ~γ/2 of spillover, so the estimate is ~δ/(1+γ/2).
    assertThat(individual.mean()).isCloseTo(0.07 / 1.03, within(0.005));
    // Cluster: ~10% of friendships cross clusters, so ~γ·0.9 of the spillover is captured.
    assertThat(Math.abs(cluster.bias())).isLessThan(Math.abs(individual.bias()) / 3);
    assertThat(twoStage.mean()).isGreaterThan(individual.mean());
    assertThat(r.contaminationIndividual()).isGreaterThan(0.9);
  }

  @Test
  void of_nonFinite_rejected() {
    assertThatThrownBy(() -> BiasSimulation.of(Double.NaN, 0))
        .hasMessage("direct and spillover effects must be finite but were NaN, 0.0");
  }
}
