package dev.loupe.graph;

/**
 * Newman–Girvan modularity with a resolution parameter, computed directly from its definition
 * (independently of the clustering library):
 *
 * <pre>
 *   Q = Σ_c [ W_c / m  −  γ · (K_c / 2m)² ]
 * </pre>
 *
 * where {@code m} is the total edge weight, {@code W_c} the weight of the edges inside cluster
 * {@code c} (each counted once) and {@code K_c} the sum of the strengths (weighted degrees) of its
 * nodes. This is the quantity networkx's {@code modularity(G, communities, resolution=γ)} and
 * igraph's {@code Graph.modularity(membership, weights, resolution=γ)} return. Isolated nodes
 * contribute nothing. Reference: Newman, Phys. Rev. E 69, 066133 (2004); Reichardt &amp; Bornholdt
 * (2006) for γ.
 */
public final class Modularity {

  private Modularity() {}

  /** Modularity at resolution 1. */
  public static double of(Graph g, Partition p) {
    return of(g, p, 1.0);
  }

  /**
   * @throws IllegalArgumentException if the partition does not cover the graph's nodes, or the
   *     graph has no edges (modularity is then 0/0)
   */
  public static double of(Graph g, Partition p, double resolution) {
    if (p.nodeCount() != g.nodeCount()) {
      throw new IllegalArgumentException(
          "partition must have one cluster per node: " + p.nodeCount() + " != " + g.nodeCount() + " nodes");
    }
    double m = g.totalWeight();
    if (!(m > 0)) {
      throw new IllegalArgumentException("modularity needs a graph with at least one edge but it had none");
    }
    int k = p.clusterCount();
    double[] inside = new double[k];
    double[] strength = new double[k];
    int[] c = p.clusterArray();
    for (int u = 0; u < g.nodeCount(); u++) {
      int cu = c[u];
      for (long e = g.offset(u), end = g.offset(u + 1); e < end; e++) {
        double w = g.weight(e);
        strength[cu] += w;
        if (c[g.neighbor(e)] == cu) {
          inside[cu] += w; // each inside edge is seen from both ends
        }
      }
    }
    double q = 0;
    for (int i = 0; i < k; i++) {
      double share = strength[i] / (2 * m);
      q += inside[i] / (2 * m) - resolution * share * share;
    }
    return q;
  }

  /** Share of edges (by count, not weight) whose two ends are in different clusters. */
  public static double edgesCutFraction(Graph g, Partition p) {
    if (g.edgeCount() == 0) {
      return 0;
    }
    int[] c = p.clusterArray();
    long cut = 0;
    for (int u = 0; u < g.nodeCount(); u++) {
      for (long e = g.offset(u), end = g.offset(u + 1); e < end; e++) {
        if (c[g.neighbor(e)] != c[u]) {
          cut++;
        }
      }
    }
    return cut / 2.0 / g.edgeCount();
  }
}
