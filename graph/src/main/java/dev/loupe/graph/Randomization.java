package dev.loupe.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The randomization behind every user-level network design: a two-stage complete randomization.
 *
 * <p><b>Stage 1.</b> Each cluster receives one <em>condition</em> by complete randomization: the
 * design lists how many clusters get each condition ({@code counts}, summing to the number of
 * clusters) and a uniformly random permutation decides which. <b>Stage 2.</b> A condition has a
 * treatment share {@code s}; in a cluster of {@code n} users with share {@code s}, exactly {@code
 * round(s·n)} users, chosen uniformly, are treated.
 *
 * <p>Cluster randomization is conditions {1, 0}; individual randomization is every user its own
 * cluster; two-stage randomization is conditions {p, 0}; the Saveski et al. interference-test design
 * is conditions {1, 0, q} where the q-clusters form the individually randomized arm.
 *
 * <p>Because the randomization is known exactly, so are the exposure probabilities (see {@link
 * #probabilityAll}): the chance that a given set of users is entirely treated or entirely in
 * control, computed by dynamic programming over the clusters the set touches. Immutable.
 */
public final class Randomization {

  private final int[] cluster; // node -> cluster
  private final int[] clusterSize;
  private final double[] shares; // condition -> treatment share
  private final int[] counts; // condition -> number of clusters
  private final int[][] treatedIn; // condition -> cluster -> round(share * size)
  private final int[] memberStart; // cluster -> first index in memberList
  private final int[] memberList; // users grouped by cluster

  private Randomization(int[] cluster, int clusterCount, double[] shares, int[] counts) {
    this.cluster = cluster;
    this.clusterSize = new int[clusterCount];
    for (int c : cluster) {
      clusterSize[c]++;
    }
    this.shares = shares;
    this.counts = counts;
    this.memberStart = new int[clusterCount + 1];
    for (int c : cluster) {
      memberStart[c + 1]++;
    }
    for (int c = 0; c < clusterCount; c++) {
      memberStart[c + 1] += memberStart[c];
    }
    this.memberList = new int[cluster.length];
    int[] fill = memberStart.clone();
    for (int u = 0; u < cluster.length; u++) {
      memberList[fill[cluster[u]]++] = u;
    }
    this.treatedIn = new int[shares.length][clusterCount];
    for (int t = 0; t < shares.length; t++) {
      for (int c = 0; c < clusterCount; c++) {
        treatedIn[t][c] = (int) Math.round(shares[t] * clusterSize[c]);
      }
    }
  }

  /**
   * @param cluster the cluster of each user (dense numbers {@code 0 … clusterCount-1})
   * @param shares treatment share of each condition, in [0, 1]
   * @param counts number of clusters receiving each condition; sums to the number of clusters
   */
  public static Randomization of(int[] cluster, int clusterCount, double[] shares, int[] counts) {
    if (shares.length != counts.length || shares.length == 0) {
      throw new IllegalArgumentException("shares and counts must have the same non-zero length");
    }
    int total = 0;
    for (int t = 0; t < shares.length; t++) {
      if (!(shares[t] >= 0 && shares[t] <= 1)) {
        throw new IllegalArgumentException("treatment share must be in [0, 1] but was " + shares[t]);
      }
      if (counts[t] < 0) {
        throw new IllegalArgumentException("cluster count of a condition must be >= 0 but was " + counts[t]);
      }
      total += counts[t];
    }
    if (total != clusterCount) {
      throw new IllegalArgumentException("condition counts must sum to the " + clusterCount + " clusters but summed to " + total);
    }
    for (int c : cluster) {
      if (c < 0 || c >= clusterCount) {
        throw new IllegalArgumentException("cluster numbers must be in [0, " + clusterCount + ") but one was " + c);
      }
    }
    return new Randomization(cluster.clone(), clusterCount, shares.clone(), counts.clone());
  }

  /** {@code [round(q·C), C − round(q·C)]}: treated and control cluster counts. */
  static int[] countsFor(int clusterCount, double treatShare) {
    int t = (int) Math.round(treatShare * clusterCount);
    return new int[] {t, clusterCount - t};
  }

  public int userCount() {
    return cluster.length;
  }

  public int clusterCount() {
    return clusterSize.length;
  }

  public int cluster(int user) {
    return cluster[user];
  }

  public int clusterSize(int c) {
    return clusterSize[c];
  }

  public List<Double> shares() {
    return Arrays.stream(shares).boxed().toList();
  }

  /** One draw of the design. */
  public Draw draw(SplittableRandom random) {
    int k = clusterSize.length;
    int[] condition = new int[k];
    int at = 0;
    for (int t = 0; t < counts.length; t++) {
      for (int j = 0; j < counts[t]; j++) {
        condition[at++] = t;
      }
    }
    for (int i = k - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = condition[i];
      condition[i] = condition[j];
      condition[j] = tmp;
    }
    return drawWithin(condition, random);
  }

  /** Stage 2 only: a fresh within-cluster draw for given cluster conditions. */
  public Draw drawWithin(int[] condition, SplittableRandom random) {
    int k = clusterSize.length;
    if (condition.length != k) {
      throw new IllegalArgumentException("need one condition per cluster: " + condition.length + " != " + k);
    }
    // Stage 2: within each cluster, shuffle (a copy of) its members and treat the first round(s n).
    int n = cluster.length;
    int[] start = memberStart;
    int[] members = memberList.clone();
    boolean[] treated = new boolean[n];
    for (int c = 0; c < k; c++) {
      int m = treatedIn[condition[c]][c];
      int size = start[c + 1] - start[c];
      if (m == size) {
        for (int j = start[c]; j < start[c + 1]; j++) {
          treated[members[j]] = true;
        }
        continue;
      }
      for (int j = 0; j < m; j++) { // partial Fisher-Yates
        int pick = start[c] + j + random.nextInt(size - j);
        int tmp = members[start[c] + j];
        members[start[c] + j] = members[pick];
        members[pick] = tmp;
        treated[members[start[c] + j]] = true;
      }
    }
    return new Draw(condition, treated);
  }

  /** One realized assignment: the condition of each cluster and whether each user is treated. */
  public record Draw(int[] condition, boolean[] treated) {}

  /** Probabilities below this are reported as 0 (the dynamic programme prunes such paths). */
  static final double NEGLIGIBLE = 1e-30;

  /**
   * The probability, over the design, that every user in {@code users} is treated ({@code
   * treated = true}) or every one is in control. Exact for the two-stage complete randomization
   * (hypergeometric in both stages); paths of probability below 1e-30 are dropped, so tiny
   * probabilities may read as 0. Users may repeat (counted once).
   */
  public double probabilityAll(int[] users, boolean treated) {
    Map<Integer, Integer> perCluster = new HashMap<>();
    for (int u : users) {
      perCluster.merge(cluster[u], 1, Integer::sum);
    }
    // Distinct users only.
    if (perCluster.values().stream().mapToInt(Integer::intValue).sum() != users.length) {
      int[] d = Arrays.stream(users).distinct().toArray();
      if (d.length != users.length) {
        return probabilityAll(d, treated);
      }
    }
    int kk = perCluster.size();
    int[] cs = new int[kk];
    int[] ss = new int[kk];
    int i = 0;
    for (var e : perCluster.entrySet()) {
      cs[i] = e.getKey();
      ss[i] = e.getValue();
      i++;
    }
    int types = shares.length;
    // f[t][j]: chance that the ss[j] users of cluster cs[j] are all treated/control under condition t
    double[][] f = new double[types][kk];
    for (int t = 0; t < types; t++) {
      for (int j = 0; j < kk; j++) {
        int n = clusterSize[cs[j]];
        int m = treated ? treatedIn[t][cs[j]] : n - treatedIn[t][cs[j]];
        double p = 1;
        for (int r = 0; r < ss[j] && p > 0; r++) {
          p *= Math.max(0, m - r) / (double) (n - r);
        }
        f[t][j] = p;
      }
    }
    // DP over the kk clusters; state = how many of them got each condition so far.
    Map<State, Double> states = new HashMap<>();
    states.put(new State(new int[types]), 1.0);
    int total = clusterSize.length;
    for (int j = 0; j < kk; j++) {
      Map<State, Double> next = new HashMap<>();
      for (var e : states.entrySet()) {
        int[] used = e.getKey().used;
        for (int t = 0; t < types; t++) {
          int left = counts[t] - used[t];
          if (left <= 0 || f[t][j] == 0) {
            continue;
          }
          double p = e.getValue() * left / (total - j) * f[t][j];
          if (p < NEGLIGIBLE) {
            continue;
          }
          int[] u2 = used.clone();
          u2[t]++;
          next.merge(new State(u2), p, Double::sum);
        }
      }
      states = next;
      if (states.isEmpty()) {
        return 0;
      }
    }
    double sum = 0;
    for (double p : states.values()) {
      sum += p;
    }
    return sum;
  }

  private record State(int[] used) {
    @Override
    public boolean equals(Object o) {
      return o instanceof State s && Arrays.equals(used, s.used);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(used);
    }

    @Override
    public String toString() {
      return Arrays.toString(used);
    }
  }
}
