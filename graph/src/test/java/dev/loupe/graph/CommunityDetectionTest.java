package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.graph.CommunityDetection.Algorithm;
import dev.loupe.graph.CommunityDetection.Communities;
import org.junit.jupiter.api.Test;

/**
 * Modularity and community detection against networkx 2.8 and igraph 0.10 (golden files in
 * src/test/resources/golden; regenerate with {@code /usr/bin/python3 modularity.py} there).
 */
class CommunityDetectionTest {

  @Test
  void modularity_matchesNetworkxAndIgraphOnTheSamePartitions() {
    int checked = 0;
    for (String[] r : TestData.rows("modularity.csv")) {
      String graph = r[0];
      String partition = r[1];
      double resolution = Double.parseDouble(r[2]);
      Graph g = TestData.graph(graph + ".csv");
      String column = partition.replace("_resolution_0.5", "");
      Partition p = TestData.partition(g, "partitions_" + graph + ".csv", column);
      assertThat(p.clusterCount()).as(graph + "/" + partition).isEqualTo(Integer.parseInt(r[3]));
      double q = Modularity.of(g, p, resolution);
      assertThat(q).as("networkx " + graph + "/" + partition).isCloseTo(Double.parseDouble(r[4]), within(1e-12));
      assertThat(q).as("igraph " + graph + "/" + partition).isCloseTo(Double.parseDouble(r[5]), within(1e-12));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(9);
  }

  @Test
  void detect_seed1_reproducesTheCommittedPartitionsThatNetworkxScored() {
    // loupe_<graph>.csv was written by LoupePartitions; modularity.py scored it with networkx and
    // igraph (rows "loupe_leiden" of modularity.csv, checked in the test above).
    for (String name : LoupePartitions.GRAPHS) {
      Graph g = TestData.graph(name + ".csv");
      Partition committed = TestData.partition(g, "loupe_" + name + ".csv", "cluster");
      assertThat(LoupePartitions.detect(g)).as(name).isEqualTo(committed);
    }
  }

  @Test
  void detect_karateReachesBestKnownModularity() {
    Graph karate = TestData.graph("karate.csv");
    Communities c = CommunityDetection.withDefaults().withSeed(1).detect(karate);
    // Best known modularity of Zachary's karate club: 0.41979 (igraph's Leiden reaches it too).
    assertThat(c.modularity()).isCloseTo(0.41979, within(5e-5));
    assertThat(c.clusters()).isEqualTo(4);
    assertThat(c.edgesCutFraction()).isBetween(0.0, 1.0);
  }

  @Test
  void detect_louvainOnKarate_isAModularityPartition() {
    Communities c =
        CommunityDetection.withDefaults().withAlgorithm(Algorithm.LOUVAIN).withSeed(3).detect(TestData.graph("karate.csv"));
    assertThat(c.modularity()).isGreaterThan(0.40);
  }

  @Test
  void detect_weightedLesMiserables_atLeastIgraphLeiden() {
    Graph g = TestData.graph("lesmis.csv");
    assertThat(g.weighted()).isTrue();
    Communities c = CommunityDetection.withDefaults().withSeed(1).detect(g);
    assertThat(c.modularity()).isGreaterThanOrEqualTo(0.5654156751933372 - 1e-9);
  }

  @Test
  void detect_plantedPartition_recoversThePlantedGroups() {
    Graph g = TestData.graph("planted.csv");
    Partition planted = TestData.partition(g, "partitions_planted.csv", "planted");
    for (Algorithm a : Algorithm.values()) {
      Communities c = CommunityDetection.withDefaults().withAlgorithm(a).withSeed(11).detect(g);
      assertThat(c.partition()).as(a.name()).isEqualTo(planted);
    }
  }

  @Test
  void detect_sameSeed_identicalPartition() {
    Graph g = TestData.graph("lesmis.csv");
    CommunityDetection d = CommunityDetection.withDefaults().withIterations(2).withSeed(42);
    assertThat(d.detect(g).partition()).isEqualTo(d.detect(g).partition());
    CommunityDetection l = d.withAlgorithm(Algorithm.LOUVAIN);
    assertThat(l.detect(g).partition()).isEqualTo(l.detect(g).partition());
  }

  @Test
  void detect_higherResolution_moreClusters() {
    Graph g = TestData.graph("karate.csv");
    int low = CommunityDetection.withDefaults().withResolution(0.3).detect(g).clusters();
    int high = CommunityDetection.withDefaults().withResolution(3.0).detect(g).clusters();
    assertThat(high).isGreaterThan(low);
  }

  @Test
  void detect_graphWithoutEdges_saysSo() {
    GraphBuilder b = GraphBuilder.create();
    b.node("alice");
    b.addEdge("bob", "bob");
    Graph g = b.build().graph();
    assertThatThrownBy(() -> CommunityDetection.withDefaults().detect(g))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("graph must have at least one edge for community detection but had 2 nodes and 0 edges");
  }

  @Test
  void withResolution_nonPositive_rejected() {
    assertThatThrownBy(() -> CommunityDetection.withDefaults().withResolution(Double.NaN))
        .hasMessage("resolution must be finite and > 0 but was NaN");
    assertThatThrownBy(() -> CommunityDetection.withDefaults().withIterations(-1))
        .hasMessage("iterations must be >= 0 (0 = until stable) but was -1");
  }
}
