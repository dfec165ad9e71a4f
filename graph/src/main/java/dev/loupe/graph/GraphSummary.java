package dev.loupe.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a loaded graph looks like: size, what was dropped, connectivity and degree distribution.
 *
 * @param nodes users, isolated ones included
 * @param edges distinct undirected edges kept
 * @param selfLoopsDropped edges from a user to itself, dropped
 * @param duplicateEdgesDropped repeated edges, dropped
 * @param components connected components (an isolated user is a component of size 1)
 * @param largestComponent users in the largest component
 * @param isolatedNodes users without any friend
 * @param degree the degree distribution
 */
public record GraphSummary(
    int nodes,
    long edges,
    long selfLoopsDropped,
    long duplicateEdgesDropped,
    int components,
    int largestComponent,
    int isolatedNodes,
    DegreeDistribution degree) {

  /**
   * Degree distribution. Quantiles use the nearest-rank rule on the sorted degrees; the histogram
   * has power-of-two bins {@code [0], [1], [2,3], [4,7], …}.
   */
  public record DegreeDistribution(
      int min, int max, double mean, int median, int p90, int p99, List<Bin> histogram) {
    public DegreeDistribution {
      histogram = List.copyOf(histogram);
    }
  }

  /** Users whose degree is in {@code [low, high]}. */
  public record Bin(int low, int high, int count) {}

  /** Summarizes a load (graph plus dropped counts). */
  public static GraphSummary of(GraphLoad load) {
    Graph g = load.graph();
    int n = g.nodeCount();
    int[] comp = Components.label(g);
    int components = 0;
    for (int c : comp) {
      components = Math.max(components, c + 1);
    }
    int[] compSize = new int[components];
    for (int c : comp) {
      compSize[c]++;
    }
    int largest = 0;
    for (int s : compSize) {
      largest = Math.max(largest, s);
    }
    int[] deg = new int[n];
    int isolated = 0;
    for (int i = 0; i < n; i++) {
      deg[i] = g.degree(i);
      if (deg[i] == 0) {
        isolated++;
      }
    }
    return new GraphSummary(
        n,
        g.edgeCount(),
        load.selfLoopsDropped(),
        load.duplicateEdgesDropped(),
        components,
        largest,
        isolated,
        distribution(deg));
  }

  static DegreeDistribution distribution(int[] degrees) {
    if (degrees.length == 0) {
      return new DegreeDistribution(0, 0, Double.NaN, 0, 0, 0, List.of());
    }
    int[] d = degrees.clone();
    Arrays.sort(d);
    long sum = 0;
    for (int x : d) {
      sum += x;
    }
    List<Bin> bins = new ArrayList<>();
    int low = 0;
    int high = 0;
    int at = 0;
    while (at < d.length) {
      int count = 0;
      while (at < d.length && d[at] <= high) {
        count++;
        at++;
      }
      if (count > 0) {
        bins.add(new Bin(low, high, count));
      }
      low = high + 1;
      high = 2 * low - 1;
    }
    return new DegreeDistribution(
        d[0], d[d.length - 1], (double) sum / d.length, rank(d, 0.5), rank(d, 0.9), rank(d, 0.99), bins);
  }

  private static int rank(int[] sorted, double q) {
    int k = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, k - 1)];
  }
}
