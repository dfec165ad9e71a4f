package dev.loupe.graph;

import java.util.Random;
import nl.cwts.networkanalysis.Clustering;
import nl.cwts.networkanalysis.IterativeCPMClusteringAlgorithm;
import nl.cwts.networkanalysis.LeidenAlgorithm;
import nl.cwts.networkanalysis.LouvainAlgorithm;
import nl.cwts.networkanalysis.Network;
import nl.cwts.util.LargeDoubleArray;
import nl.cwts.util.LargeIntArray;

/**
 * Community detection by modularity, with the CWTS {@code networkanalysis} library (the reference
 * Leiden implementation by Traag, Waltman and van Eck).
 *
 * <p>The library optimizes the CPM quality {@code Σ_ij (A_ij − γ' n_i n_j) δ(c_i, c_j)} over node
 * weights {@code n_i}. With {@code n_i} = the node's strength (weighted degree) and {@code γ' = γ /
 * 2m} that is {@code 2m} times the modularity at resolution {@code γ}, which is what this class
 * sets up (the library's own default, CPM with unit node weights, is <em>not</em> modularity).
 * The modularity reported is recomputed by {@link Modularity}, independently of the library.
 *
 * <p>Reproducible: the same graph, configuration and seed give the same {@link Partition} (single
 * threaded, {@link java.util.Random} seeded from {@code seed}). Reference: Traag, Waltman &amp; van
 * Eck, "From Louvain to Leiden: guaranteeing well-connected communities", Sci. Rep. 9, 5233
 * (2019). Immutable and thread-safe.
 */
public final class CommunityDetection {

  /** The optimization algorithm. */
  public enum Algorithm {
    /** Leiden: Louvain plus a refinement step; clusters are guaranteed connected. */
    LEIDEN,
    /** Louvain: local moving and aggregation. */
    LOUVAIN
  }

  /** The library's default randomness for Leiden's refinement step. */
  public static final double DEFAULT_RANDOMNESS = 0.01;

  private final Algorithm algorithm;
  private final double resolution;
  private final int iterations;
  private final double randomness;
  private final long seed;

  private CommunityDetection(
      Algorithm algorithm, double resolution, int iterations, double randomness, long seed) {
    this.algorithm = algorithm;
    this.resolution = resolution;
    this.iterations = iterations;
    this.randomness = randomness;
    this.seed = seed;
  }

  /** Leiden, resolution 1, 10 iterations, randomness 0.01, seed 0. */
  public static CommunityDetection withDefaults() {
    return new CommunityDetection(Algorithm.LEIDEN, 1.0, 10, DEFAULT_RANDOMNESS, 0L);
  }

  public CommunityDetection withAlgorithm(Algorithm a) {
    if (a == null) {
      throw new IllegalArgumentException("algorithm must be leiden or louvain but was null");
    }
    return new CommunityDetection(a, resolution, iterations, randomness, seed);
  }

  /** Modularity resolution γ &gt; 0: larger gives more, smaller clusters. */
  public CommunityDetection withResolution(double r) {
    if (!(r > 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException("resolution must be finite and > 0 but was " + r);
    }
    return new CommunityDetection(algorithm, r, iterations, randomness, seed);
  }

  /** Number of iterations of the algorithm; 0 iterates until an iteration changes nothing. */
  public CommunityDetection withIterations(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("iterations must be >= 0 (0 = until stable) but was " + n);
    }
    return new CommunityDetection(algorithm, resolution, n, randomness, seed);
  }

  /** Leiden's randomness in the refinement step (ignored by Louvain). */
  public CommunityDetection withRandomness(double r) {
    if (!(r > 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException("randomness must be finite and > 0 but was " + r);
    }
    return new CommunityDetection(algorithm, resolution, iterations, r, seed);
  }

  public CommunityDetection withSeed(long s) {
    return new CommunityDetection(algorithm, resolution, iterations, randomness, s);
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public double resolution() {
    return resolution;
  }

  public int iterations() {
    return iterations;
  }

  public long seed() {
    return seed;
  }

  /**
   * Finds communities.
   *
   * @throws IllegalArgumentException if the graph has no edges
   */
  public Communities detect(Graph g) {
    if (g.nodeCount() == 0 || g.edgeCount() == 0) {
      throw new IllegalArgumentException(
          "graph must have at least one edge for community detection but had "
              + g.nodeCount() + " nodes and " + g.edgeCount() + " edges");
    }
    LargeIntArray nb = new LargeIntArray(g.neighborArray());
    Network network =
        g.weightArray() == null
            ? new Network(g.nodeCount(), true, g.offsetArray(), nb, false)
            : new Network(g.nodeCount(), true, g.offsetArray(), nb, new LargeDoubleArray(g.weightArray()), false);
    double cpmResolution = resolution / (2 * network.getTotalEdgeWeight());
    Random random = new Random(seed);
    IterativeCPMClusteringAlgorithm alg =
        algorithm == Algorithm.LEIDEN
            ? new LeidenAlgorithm(cpmResolution, iterations, randomness, random)
            : new LouvainAlgorithm(cpmResolution, iterations, random);
    Clustering clustering = new Clustering(g.nodeCount());
    alg.improveClustering(network, clustering);
    Partition p = Partition.of(clustering.getClusters());
    return new Communities(p, Modularity.of(g, p, resolution), Modularity.edgesCutFraction(g, p));
  }

  /**
   * A partition with its quality.
   *
   * @param partition the clusters, canonically numbered (largest first)
   * @param modularity modularity at the detection's resolution, from {@link Modularity}
   * @param edgesCutFraction share of edges between clusters
   */
  public record Communities(Partition partition, double modularity, double edgesCutFraction) {
    public int clusters() {
      return partition.clusterCount();
    }

    public int largestCluster() {
      return partition.largest();
    }
  }
}
