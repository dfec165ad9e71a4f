package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DesignTest {

  static final Graph PLANTED = TestData.graph("planted.csv");
  static final Partition PLANTED_GROUPS = TestData.partition(PLANTED, "partitions_planted.csv", "planted");

  @Test
  void probabilityAll_matchesClosedFormForClusterRandomization() {
    // 10 clusters of 3 users, 4 clusters treated whole: P(3 given clusters all treated) = 4·3·2/(10·9·8).
    int[] cluster = new int[30];
    for (int i = 0; i < 30; i++) {
      cluster[i] = i / 3;
    }
    Randomization r = Randomization.of(cluster, 10, new double[] {1, 0}, new int[] {4, 6});
    assertThat(r.probabilityAll(new int[] {0, 3, 6, 7}, true)).isCloseTo(4.0 * 3 * 2 / (10 * 9 * 8), within(1e-15));
    assertThat(r.probabilityAll(new int[] {0, 3, 6, 7}, false)).isCloseTo(6.0 * 5 * 4 / (10 * 9 * 8), within(1e-15));
  }

  @Test
  void probabilityAll_twoStageAndInterferenceDesigns_matchMonteCarlo() {
    int[] cluster = new int[40];
    for (int i = 0; i < 40; i++) {
      cluster[i] = i % 8; // 8 clusters of 5
    }
    int[][] sets = {{0}, {0, 8}, {0, 1, 2}, {0, 8, 16, 1, 9}};
    List<Randomization> designs = List.of(
        Randomization.of(cluster, 8, new double[] {0.6, 0}, new int[] {3, 5}),
        Randomization.of(cluster, 8, new double[] {1, 0, 0.4}, new int[] {2, 2, 4}));
    SplittableRandom rnd = new SplittableRandom(5);
    int draws = 200_000;
    for (Randomization r : designs) {
      double[][] hits = new double[sets.length][2];
      for (int d = 0; d < draws; d++) {
        boolean[] t = r.draw(rnd).treated();
        for (int s = 0; s < sets.length; s++) {
          boolean allT = true;
          boolean allC = true;
          for (int u : sets[s]) {
            allT &= t[u];
            allC &= !t[u];
          }
          hits[s][0] += allT ? 1 : 0;
          hits[s][1] += allC ? 1 : 0;
        }
      }
      for (int s = 0; s < sets.length; s++) {
        for (int e = 0; e < 2; e++) {
          double exact = r.probabilityAll(sets[s], e == 0);
          double mc = hits[s][e] / draws;
          // 5 binomial standard errors (plus a floor for tiny probabilities).
          double tol = 5 * Math.sqrt(exact * (1 - exact) / draws) + 1e-4;
          assertThat(mc).as("set %d exposure %d", s, e).isCloseTo(exact, within(tol));
        }
      }
    }
  }

  @Test
  void draw_twoStage_treatsExactShares() {
    Design d = Design.twoStage(PLANTED, PLANTED_GROUPS, 0.5, 0.5, 3);
    int treatedClusters = 0;
    for (int c = 0; c < 12; c++) {
      int treated = 0;
      int size = 0;
      double share = -1;
      for (int i = 0; i < PLANTED.nodeCount(); i++) {
        if (PLANTED_GROUPS.cluster(i) == c) {
          size++;
          treated += d.treated(i) ? 1 : 0;
          share = d.clusterShare(i);
        }
      }
      if (share > 0) {
        treatedClusters++;
        assertThat(treated).isEqualTo(Math.round(0.5 * size));
      } else {
        assertThat(treated).isZero();
      }
    }
    assertThat(treatedClusters).isEqualTo(6);
  }

  @Test
  void assign_sameSeed_sameAssignment_differentSeed_differs() {
    assertThat(Design.twoStage(PLANTED, PLANTED_GROUPS, 0.5, 0.5, 9).assignments())
        .isEqualTo(Design.twoStage(PLANTED, PLANTED_GROUPS, 0.5, 0.5, 9).assignments())
        .isNotEqualTo(Design.twoStage(PLANTED, PLANTED_GROUPS, 0.5, 0.5, 10).assignments());
  }

  @Test
  void report_individualVersusCluster_contaminationAndExposure() {
    DesignReport ind = DesignReport.of(Design.individual(PLANTED, 0.5, 1), DesignReport.Options.withDefaults());
    DesignReport clu = DesignReport.of(Design.cluster(PLANTED, PLANTED_GROUPS, 0.5, 1), DesignReport.Options.withDefaults());
    // Planted groups: ~10 friends each, mostly inside the group.
    assertThat(ind.contamination()).isGreaterThan(0.9);
    assertThat(ind.expectedContamination()).isGreaterThan(0.9);
    assertThat(clu.contamination()).isLessThan(ind.contamination());
    assertThat(clu.exposure().meanTreatment()).isGreaterThan(100 * ind.exposure().meanTreatment());
    assertThat(clu.clusters()).isEqualTo(12);
    assertThat(clu.warnings()).anyMatch(w -> w.startsWith("only 12 clusters"));
    assertThat(ind.warnings()).noneMatch(w -> w.startsWith("only"));
  }

  @Test
  void report_mdeAndDesignEffect_followTheFormula() {
    DesignReport.Options o = new DesignReport.Options(java.util.Map.of(), 4.0, 0.05, null, 0.05, 0.8);
    DesignReport r = DesignReport.of(Design.cluster(PLANTED, PLANTED_GROUPS, 0.5, 1), o);
    // 12 clusters of 40: m_w = 40, deff = 1 + 39·0.05 = 2.95; n_t = n_c = 240.
    assertThat(r.designEffect()).isCloseTo(2.95, within(1e-12));
    double z = 1.959963984540054 + 0.8416212335729143;
    assertThat(r.mde().get(0).mde()).isCloseTo(z * Math.sqrt(4 * 2.95 * (2.0 / 240)), within(1e-9));
  }

  @Test
  void report_balanceAndIccFromCovariate() {
    int n = PLANTED.nodeCount();
    double[] x = new double[n];
    double[] noise = new double[n];
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < n; i++) {
      x[i] = PLANTED_GROUPS.cluster(i); // fully determined by the cluster: ICC near 1
      noise[i] = rnd.nextGaussian();
    }
    DesignReport.Options o = new DesignReport.Options(java.util.Map.of("group", x, "noise", noise), 1.0, Double.NaN, "group", 0.05, 0.8);
    DesignReport r = DesignReport.of(Design.cluster(PLANTED, PLANTED_GROUPS, 0.5, 1), o);
    assertThat(r.iccUsed()).isCloseTo(1.0, within(1e-9));
    assertThat(r.balance()).extracting(DesignReport.Balance::covariate).containsExactly("group", "noise");
    assertThat(Math.abs(r.balance().get(1).standardizedDifference())).isLessThan(0.3);
  }

  @Test
  void ego_everyUserInOneUnit_overlapsCounted() {
    Design d = Design.ego(PLANTED, 0.5, 4);
    long egos = d.assignments().stream().filter(a -> a.role().equals("ego")).count();
    assertThat(egos).isEqualTo(d.randomization().clusterCount());
    assertThat(d.egoOverlaps()).isPositive();
    for (Assignment a : d.assignments()) {
      assertThat(a.treated()).isEqualTo(a.clusterShare() == 1.0);
    }
  }

  @Test
  void design_oneCluster_rejectedWithReason() {
    Partition one = Partition.of(new int[PLANTED.nodeCount()]);
    assertThatThrownBy(() -> Design.cluster(PLANTED, one, 0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("design needs at least 2 clusters to randomize but had 1 (a single cluster cannot have both a treatment and a control)");
    assertThatThrownBy(() -> Design.twoStage(PLANTED, PLANTED_GROUPS, 0.5, 1.5, 1))
        .hasMessage("within share must be in (0, 1) but was 1.5");
  }
}
