package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GraphBuilderTest {

  @Test
  void build_dropsSelfLoopsAndDuplicatesInEitherDirection() {
    GraphBuilder b = GraphBuilder.create();
    b.addEdge("a", "b").addEdge("b", "a").addEdge("a", "a").addEdge("b", "c").addEdge("a", "b");
    b.node("lonely");
    GraphLoad load = b.build();
    Graph g = load.graph();
    assertThat(load.inputEdges()).isEqualTo(5);
    assertThat(load.selfLoopsDropped()).isEqualTo(1);
    assertThat(load.duplicateEdgesDropped()).isEqualTo(2);
    assertThat(g.nodeCount()).isEqualTo(4);
    assertThat(g.edgeCount()).isEqualTo(2);
    assertThat(g.neighbors(g.indexOf("b"))).containsExactly(g.indexOf("a"), g.indexOf("c"));
    assertThat(g.degree(g.indexOf("lonely"))).isZero();
    assertThat(g.indexOf("nobody")).isEqualTo(-1);
    assertThat(g.weighted()).isFalse();
  }

  @Test
  void build_duplicateWeightedEdges_keepLargestWeightWhateverTheOrder() {
    Graph g1 = GraphBuilder.create().addEdge("a", "b", 2).addEdge("b", "a", 5).build().graph();
    Graph g2 = GraphBuilder.create().addEdge("b", "a", 5).addEdge("a", "b", 2).build().graph();
    assertThat(g1.totalWeight()).isEqualTo(5);
    assertThat(g2.totalWeight()).isEqualTo(5);
    assertThat(g1.strength(g1.indexOf("a"))).isEqualTo(5);
  }

  @Test
  void addEdge_badWeight_namesEdgeAndRule() {
    GraphBuilder b = GraphBuilder.create();
    assertThatThrownBy(() -> b.addEdge("u1", "u2", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of edge u1 — u2 must be finite and > 0 but was -1.0");
    assertThatThrownBy(() -> b.addEdge("u1", "", 1)).hasMessage("user id must be non-empty but was ''");
  }

  @Test
  void summary_componentsAndDegrees() {
    GraphBuilder b = GraphBuilder.create();
    b.addEdge("1", "2").addEdge("2", "3").addEdge("4", "5").addEdge("1", "1");
    b.node("6");
    GraphSummary s = GraphSummary.of(b.build());
    assertThat(s.nodes()).isEqualTo(6);
    assertThat(s.edges()).isEqualTo(3);
    assertThat(s.components()).isEqualTo(3);
    assertThat(s.largestComponent()).isEqualTo(3);
    assertThat(s.isolatedNodes()).isEqualTo(1);
    assertThat(s.selfLoopsDropped()).isEqualTo(1);
    assertThat(s.degree().max()).isEqualTo(2);
    assertThat(s.degree().mean()).isEqualTo(1.0);
    assertThat(s.degree().histogram())
        .containsExactly(new GraphSummary.Bin(0, 0, 1), new GraphSummary.Bin(1, 1, 4), new GraphSummary.Bin(2, 3, 1));
  }

  @Test
  void partition_canonicalNumbering_largestFirst() {
    Partition p = Partition.of(new int[] {7, 3, 3, 9, 3, 7});
    assertThat(p.clusters()).containsExactly(1, 0, 0, 2, 0, 1);
    assertThat(p.sizes()).containsExactly(3, 2, 1);
    assertThat(Partition.of(new int[] {0, 1, 1, 2, 1, 0})).isEqualTo(p);
  }
}
