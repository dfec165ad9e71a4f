package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class GraphBuilderPropertiesTest {

  /** Shuffling the rows and flipping edge directions gives the same simple graph. */
  @Property(tries = 200)
  void build_orderAndDirectionDoNotMatter(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll @IntRange(min = 0, max = 120) int m,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    List<int[]> edges = new ArrayList<>();
    for (int e = 0; e < m; e++) {
      edges.add(new int[] {rnd.nextInt(n), rnd.nextInt(n)});
    }
    Graph a = build(n, edges);
    List<int[]> shuffled = new ArrayList<>();
    for (int[] e : edges) {
      shuffled.add(rnd.nextBoolean() ? e : new int[] {e[1], e[0]});
    }
    Collections.shuffle(shuffled, rnd);
    Graph b = build(n, shuffled);
    Set<Long> distinct = new HashSet<>();
    long loops = 0;
    for (int[] e : edges) {
      if (e[0] == e[1]) {
        loops++;
      } else {
        distinct.add((long) Math.min(e[0], e[1]) * n + Math.max(e[0], e[1]));
      }
    }
    assertThat(a.edgeCount()).isEqualTo(distinct.size()).isEqualTo(b.edgeCount());
    for (int i = 0; i < n; i++) {
      assertThat(a.neighbors(i)).containsExactly(b.neighbors(i));
      assertThat(a.neighbors(i)).isSorted().doesNotHaveDuplicates().doesNotContain(i);
    }
    GraphLoad load = buildLoad(n, edges);
    assertThat(load.selfLoopsDropped()).isEqualTo(loops);
    assertThat(load.duplicateEdgesDropped()).isEqualTo(m - loops - distinct.size());
  }

  private static GraphLoad buildLoad(int n, List<int[]> edges) {
    GraphBuilder b = GraphBuilder.create();
    for (int i = 0; i < n; i++) {
      b.node("n" + i);
    }
    for (int[] e : edges) {
      b.addEdge(e[0], e[1], 1.0);
    }
    return b.build();
  }

  private static Graph build(int n, List<int[]> edges) {
    return buildLoad(n, edges).graph();
  }
}
