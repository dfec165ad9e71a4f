package dev.loupe.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, undirected, optionally weighted simple graph: no self-loops, no parallel edges.
 *
 * <p>Nodes are numbered {@code 0 … nodeCount()-1} and carry a user id ({@link #id(int)}). The
 * adjacency is stored in compressed sparse rows: the neighbours of node {@code i} are {@code
 * neighbor(k)} for {@code k} in {@code [offset(i), offset(i + 1))}, in increasing order, and each
 * undirected edge appears once in each direction. Built by {@link GraphBuilder}. Thread-safe.
 */
public final class Graph {

  private final List<String> ids;
  private final long[] offsets;
  private final int[] neighbors;
  private final double[] weights; // null when every edge weighs 1
  private final double totalWeight;
  private volatile Map<String, Integer> index;

  Graph(List<String> ids, long[] offsets, int[] neighbors, double[] weights) {
    this.ids = List.copyOf(ids);
    this.offsets = offsets;
    this.neighbors = neighbors;
    this.weights = weights;
    double total = 0;
    if (weights == null) {
      total = neighbors.length / 2.0;
    } else {
      for (double w : weights) {
        total += w;
      }
      total /= 2;
    }
    this.totalWeight = total;
  }

  /** Number of nodes, isolated ones included. */
  public int nodeCount() {
    return ids.size();
  }

  /** Number of undirected edges (each counted once). */
  public long edgeCount() {
    return neighbors.length / 2;
  }

  /** Sum of edge weights, each undirected edge counted once ({@code m} in the modularity). */
  public double totalWeight() {
    return totalWeight;
  }

  /** True when some edge has a weight other than 1. */
  public boolean weighted() {
    return weights != null;
  }

  /** The user id of node {@code i}. */
  public String id(int node) {
    return ids.get(node);
  }

  /** All user ids, by node number. */
  public List<String> ids() {
    return ids;
  }

  /** The node number of a user id, or -1 if the graph does not contain it. */
  public int indexOf(String id) {
    Map<String, Integer> m = index;
    if (m == null) {
      m = new HashMap<>(ids.size() * 2);
      for (int i = 0; i < ids.size(); i++) {
        m.put(ids.get(i), i);
      }
      index = m;
    }
    Integer i = m.get(id);
    return i == null ? -1 : i;
  }

  /** Number of neighbours of node {@code i}. */
  public int degree(int node) {
    return (int) (offsets[node + 1] - offsets[node]);
  }

  /** Sum of the weights of the edges at node {@code i} (its degree when unweighted). */
  public double strength(int node) {
    if (weights == null) {
      return degree(node);
    }
    double s = 0;
    for (long k = offsets[node]; k < offsets[node + 1]; k++) {
      s += weights[(int) k];
    }
    return s;
  }

  /** Start of node {@code i}'s neighbours in the adjacency ({@code offset(nodeCount())} is the end). */
  public long offset(int node) {
    return offsets[node];
  }

  /** The neighbour at adjacency position {@code k}. */
  public int neighbor(long k) {
    return neighbors[(int) k];
  }

  /** The weight of the edge at adjacency position {@code k}. */
  public double weight(long k) {
    return weights == null ? 1.0 : weights[(int) k];
  }

  /** The neighbours of node {@code i}, as a fresh array in increasing order. */
  public int[] neighbors(int node) {
    return java.util.Arrays.copyOfRange(neighbors, (int) offsets[node], (int) offsets[node + 1]);
  }

  // Shared with CommunityDetection, which hands the arrays to the CWTS library without copying.
  long[] offsetArray() {
    return offsets;
  }

  int[] neighborArray() {
    return neighbors;
  }

  double[] weightArray() {
    return weights;
  }
}
