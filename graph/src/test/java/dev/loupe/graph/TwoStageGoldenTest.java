package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.graph.NetworkAnalysis.Effect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Direct, spillover and total effects against statsmodels OLS outcome ~ 1 + G1 + G0 with
 * cluster-robust covariance (direct = G1 − G0 by t_test). Regenerate with {@code /usr/bin/python3
 * two_stage_effects.py} in src/test/resources/golden.
 */
class TwoStageGoldenTest {

  @Test
  void analyze_matchesStatsmodelsClusterRobust() {
    List<Assignment> assignments = new ArrayList<>();
    Map<String, Double> y = new HashMap<>();
    for (String[] r : TestData.rows("two_stage_data.csv")) {
      assignments.add(new Assignment(r[0], r[1], r[2].equals("treatment"), Double.parseDouble(r[3]), r[4], r[5]));
      y.put(r[0], Double.parseDouble(r[6]));
    }
    NetworkAnalysis.Result res = NetworkAnalysis.withDefaults().withPermutations(0).analyze(ExperimentData.of(assignments, y));
    Map<String, Effect> effects = Map.of("direct", res.direct(), "spillover", res.spillover(), "total", res.total());
    int checked = 0;
    for (String[] g : TestData.rows("two_stage_effects.csv")) {
      Effect e = effects.get(g[0]);
      assertThat(e.estimate()).as(g[0]).isCloseTo(Double.parseDouble(g[1]), within(1e-10));
      assertThat(e.stdError()).as(g[0]).isCloseTo(Double.parseDouble(g[2]), within(1e-10));
      assertThat(e.ciLow()).as(g[0]).isCloseTo(Double.parseDouble(g[3]), within(1e-9));
      assertThat(e.ciHigh()).as(g[0]).isCloseTo(Double.parseDouble(g[4]), within(1e-9));
      assertThat(e.clusterRobustPValue()).as(g[0]).isCloseTo(Double.parseDouble(g[5]), within(1e-9));
      checked++;
    }
    assertThat(checked).isEqualTo(3);
    assertThat(res.clusters()).isEqualTo(24);
  }
}
