package dev.loupe.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects an undirected edge list and builds a {@link Graph}.
 *
 * <p>Edges are undirected: {@code (a, b)} and {@code (b, a)} are the same edge. Self-loops are
 * dropped and counted; repeated edges are dropped and counted, keeping the largest weight (so the
 * result does not depend on the order of the input). Nodes are numbered in order of first
 * appearance. Weights must be finite and positive; unweighted edges weigh 1. Not thread-safe; use
 * once.
 */
public final class GraphBuilder {

  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> ids = new ArrayList<>();
  private int[] src = new int[1024];
  private int[] dst = new int[1024];
  private double[] wts; // allocated when the first weight other than 1 arrives
  private int size;
  private long inputEdges;
  private long selfLoops;
  private boolean built;

  private GraphBuilder() {}

  public static GraphBuilder create() {
    return new GraphBuilder();
  }

  /** Returns the node number of {@code id}, adding it (isolated so far) if it is new. */
  public int node(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("user id must be non-empty but was " + (id == null ? "null" : "''"));
    }
    Integer i = index.get(id);
    if (i != null) {
      return i;
    }
    int n = ids.size();
    index.put(id, n);
    ids.add(id);
    return n;
  }

  /** Adds the unweighted edge {@code a — b}. */
  public GraphBuilder addEdge(String a, String b) {
    return addEdge(node(a), node(b), 1.0);
  }

  /** Adds the edge {@code a — b} with a weight. */
  public GraphBuilder addEdge(String a, String b, double weight) {
    return addEdge(node(a), node(b), weight);
  }

  /** Adds an edge between two node numbers returned by {@link #node(String)}. */
  public GraphBuilder addEdge(int u, int v, double weight) {
    if (built) {
      throw new IllegalStateException("build() was already called");
    }
    if (u < 0 || u >= ids.size() || v < 0 || v >= ids.size()) {
      throw new IllegalArgumentException(
          "edge endpoints must be node numbers in [0, " + ids.size() + ") but were " + u + ", " + v);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "weight of edge " + ids.get(u) + " — " + ids.get(v) + " must be finite and > 0 but was " + weight);
    }
    inputEdges++;
    if (u == v) {
      selfLoops++;
      return this;
    }
    if (size == src.length) {
      int cap = (int) Math.min(Integer.MAX_VALUE - 8L, src.length * 2L);
      if (cap == size) {
        throw new IllegalArgumentException("edge list must have fewer than " + cap + " edges");
      }
      src = Arrays.copyOf(src, cap);
      dst = Arrays.copyOf(dst, cap);
      if (wts != null) {
        wts = Arrays.copyOf(wts, cap);
      }
    }
    if (weight != 1.0 && wts == null) {
      wts = new double[src.length];
      Arrays.fill(wts, 0, size, 1.0);
    }
    src[size] = u;
    dst[size] = v;
    if (wts != null) {
      wts[size] = weight;
    }
    size++;
    return this;
  }

  /**
   * Builds the graph.
   *
   * @throws IllegalArgumentException if there are more than 2^30 distinct edges
   */
  public GraphLoad build() {
    if (built) {
      throw new IllegalStateException("build() was already called");
    }
    built = true;
    int n = ids.size();
    if (2L * size > Integer.MAX_VALUE - 8L) {
      throw new IllegalArgumentException("edge list must have at most 2^30 edges but had " + size);
    }
    long[] offsets = new long[n + 1];
    for (int e = 0; e < size; e++) {
      offsets[src[e] + 1]++;
      offsets[dst[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      offsets[i + 1] += offsets[i];
    }
    int[] fill = new int[n];
    int[] nb = new int[2 * size];
    double[] w = wts == null ? null : new double[2 * size];
    for (int e = 0; e < size; e++) {
      int u = src[e];
      int v = dst[e];
      int pu = (int) offsets[u] + fill[u]++;
      int pv = (int) offsets[v] + fill[v]++;
      nb[pu] = v;
      nb[pv] = u;
      if (w != null) {
        w[pu] = wts[e];
        w[pv] = wts[e];
      }
    }
    src = null;
    dst = null;
    wts = null;
    // Sort each row, drop repeats (keeping the largest weight), compact in place.
    long[] compact = new long[n + 1];
    int out = 0;
    long[] scratch = new long[0];
    for (int i = 0; i < n; i++) {
      int from = (int) offsets[i];
      int to = (int) offsets[i + 1];
      compact[i] = out;
      if (w == null) {
        Arrays.sort(nb, from, to);
        int prev = -1;
        for (int k = from; k < to; k++) {
          if (nb[k] != prev) {
            nb[out++] = nb[k];
            prev = nb[k];
          }
        }
      } else {
        int len = to - from;
        if (scratch.length < len) {
          scratch = new long[Math.max(len, 2 * scratch.length)];
        }
        for (int k = 0; k < len; k++) {
          scratch[k] = ((long) nb[from + k] << 32) | k;
        }
        Arrays.sort(scratch, 0, len);
        double[] rowW = Arrays.copyOfRange(w, from, to);
        int prev = -1;
        for (int k = 0; k < len; k++) {
          int v = (int) (scratch[k] >>> 32);
          double wk = rowW[(int) scratch[k]];
          if (v != prev) {
            nb[out] = v;
            w[out] = wk;
            out++;
            prev = v;
          } else if (wk > w[out - 1]) {
            w[out - 1] = wk;
          }
        }
      }
    }
    compact[n] = out;
    int[] neighbors = Arrays.copyOf(nb, out);
    double[] weights = null;
    if (w != null) {
      weights = Arrays.copyOf(w, out);
      boolean allOne = true;
      for (double x : weights) {
        if (x != 1.0) {
          allOne = false;
          break;
        }
      }
      if (allOne) {
        weights = null;
      }
    }
    long duplicates = size - out / 2L;
    return new GraphLoad(new Graph(ids, compact, neighbors, weights), inputEdges, selfLoops, duplicates);
  }
}
