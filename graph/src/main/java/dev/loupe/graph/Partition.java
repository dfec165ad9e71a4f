package dev.loupe.graph;

import java.util.Arrays;

/**
 * An assignment of every node to exactly one cluster, in canonical numbering: clusters are
 * numbered {@code 0 … clusterCount()-1} by decreasing size, ties broken by their smallest node, so
 * two partitions are equal exactly when they group the nodes the same way. Immutable.
 */
public final class Partition {

  private final int[] cluster;
  private final int[] sizes;

  private Partition(int[] cluster, int[] sizes) {
    this.cluster = cluster;
    this.sizes = sizes;
  }

  /**
   * A partition from any labelling of the nodes (labels are arbitrary non-negative ints, only
   * equality matters).
   *
   * @throws IllegalArgumentException if a label is negative
   */
  public static Partition of(int[] labels) {
    int n = labels.length;
    int max = -1;
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("cluster label of node " + i + " must be >= 0 but was " + labels[i]);
      }
      max = Math.max(max, labels[i]);
    }
    // Dense relabel in order of first appearance (= smallest node), then order by size.
    int[] dense = new int[max + 1];
    Arrays.fill(dense, -1);
    int k = 0;
    int[] first = new int[n];
    for (int i = 0; i < n; i++) {
      if (dense[labels[i]] < 0) {
        dense[labels[i]] = k++;
      }
      first[i] = dense[labels[i]];
    }
    int[] size = new int[k];
    for (int c : first) {
      size[c]++;
    }
    Integer[] order = new Integer[k];
    for (int c = 0; c < k; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> size[a] != size[b] ? Integer.compare(size[b], size[a]) : Integer.compare(a, b));
    int[] rank = new int[k];
    int[] sorted = new int[k];
    for (int r = 0; r < k; r++) {
      rank[order[r]] = r;
      sorted[r] = size[order[r]];
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = rank[first[i]];
    }
    return new Partition(out, sorted);
  }

  public int nodeCount() {
    return cluster.length;
  }

  public int clusterCount() {
    return sizes.length;
  }

  /** The cluster of a node. */
  public int cluster(int node) {
    return cluster[node];
  }

  /** Number of nodes in cluster {@code c}. */
  public int size(int c) {
    return sizes[c];
  }

  /** Size of the largest cluster (0 for an empty partition). */
  public int largest() {
    return sizes.length == 0 ? 0 : sizes[0];
  }

  /** Cluster sizes, largest first (a copy). */
  public int[] sizes() {
    return sizes.clone();
  }

  /** Cluster of each node (a copy). */
  public int[] clusters() {
    return cluster.clone();
  }

  int[] clusterArray() {
    return cluster;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partition p && Arrays.equals(cluster, p.cluster);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cluster);
  }

  @Override
  public String toString() {
    return "Partition[nodes=" + cluster.length + ", clusters=" + sizes.length + "]";
  }
}
