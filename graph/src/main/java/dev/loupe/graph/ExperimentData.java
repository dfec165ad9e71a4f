package dev.loupe.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An assignment table joined with outcomes, ready for {@link NetworkAnalysis}. The randomization
 * is rebuilt from the table: each distinct (cluster share, design arm) pair is one condition, and
 * the number of clusters with each condition is what stage 1 drew from (complete randomization, as
 * {@link Design} does).
 */
public final class ExperimentData {

  private final List<String> users;
  private final int[] cluster;
  private final List<String> clusterLabels;
  private final boolean[] treated;
  private final double[] outcome; // NaN = no outcome
  private final int[] condition; // per cluster
  private final double[] conditionShare;
  private final List<String> conditionArm;
  private final Randomization randomization;
  private final int missingOutcomes;

  private ExperimentData(List<String> users, int[] cluster, List<String> clusterLabels, boolean[] treated, double[] outcome,
      int[] condition, double[] conditionShare, List<String> conditionArm, int missingOutcomes) {
    this.users = users;
    this.cluster = cluster;
    this.clusterLabels = clusterLabels;
    this.treated = treated;
    this.outcome = outcome;
    this.condition = condition;
    this.conditionShare = conditionShare;
    this.conditionArm = conditionArm;
    this.missingOutcomes = missingOutcomes;
    int[] counts = new int[conditionShare.length];
    for (int c : condition) {
      counts[c]++;
    }
    this.randomization = Randomization.of(cluster, clusterLabels.size(), conditionShare, counts);
  }

  /**
   * Joins assignments and outcomes.
   *
   * @throws IllegalArgumentException if an outcome names a user that is not in the assignment,
   *     an outcome is not finite, a user is assigned twice, a cluster mixes shares or arms, or
   *     fewer than two clusters / no outcome at all remain
   */
  public static ExperimentData of(List<Assignment> assignments, Map<String, Double> outcomes) {
    if (assignments.isEmpty()) {
      throw new IllegalArgumentException("assignment must have at least one user but was empty");
    }
    Map<String, Integer> index = new HashMap<>();
    List<String> users = new ArrayList<>(assignments.size());
    Map<String, Integer> clusterIds = new LinkedHashMap<>();
    int n = assignments.size();
    int[] cluster = new int[n];
    boolean[] treated = new boolean[n];
    List<Double> clusterShare = new ArrayList<>();
    List<String> clusterArm = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Assignment a = assignments.get(i);
      if (index.put(a.user(), i) != null) {
        throw new IllegalArgumentException("assignment must list each user once but " + a.user() + " appears twice");
      }
      users.add(a.user());
      Integer c = clusterIds.get(a.cluster());
      if (c == null) {
        c = clusterIds.size();
        clusterIds.put(a.cluster(), c);
        clusterShare.add(a.clusterShare());
        clusterArm.add(a.design());
      } else if (clusterShare.get(c) != a.clusterShare() || !Objects.equals(clusterArm.get(c), a.design())) {
        throw new IllegalArgumentException("cluster " + a.cluster() + " must have one cluster_share and design for all its users but user "
            + a.user() + " has " + a.clusterShare() + "/" + a.design() + " and another " + clusterShare.get(c) + "/" + clusterArm.get(c));
      }
      if (!(a.clusterShare() >= 0 && a.clusterShare() <= 1)) {
        throw new IllegalArgumentException("cluster_share must be in [0, 1] but was " + a.clusterShare() + " for user " + a.user());
      }
      cluster[i] = c;
      treated[i] = a.treated();
    }
    double[] y = new double[n];
    java.util.Arrays.fill(y, Double.NaN);
    List<String> unknown = new ArrayList<>();
    long unknownCount = 0;
    for (var e : outcomes.entrySet()) {
      Integer i = index.get(e.getKey());
      if (i == null) {
        unknownCount++;
        if (unknown.size() < 5) {
          unknown.add(e.getKey());
        }
        continue;
      }
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException("outcome must be a finite number but was " + e.getValue() + " for user " + e.getKey());
      }
      y[i] = e.getValue();
    }
    if (unknownCount > 0) {
      throw new IllegalArgumentException("outcomes must be for assigned users but " + unknownCount
          + " users are not in the assignment, e.g. " + unknown);
    }
    int missing = 0;
    for (double v : y) {
      if (Double.isNaN(v)) {
        missing++;
      }
    }
    if (missing == n) {
      throw new IllegalArgumentException("outcomes must cover at least one assigned user but none did");
    }
    if (clusterIds.size() < 2) {
      throw new IllegalArgumentException("analysis needs at least 2 clusters but the assignment has " + clusterIds.size());
    }
    // Conditions: distinct (share, arm).
    Map<String, Integer> condIds = new LinkedHashMap<>();
    List<Double> condShare = new ArrayList<>();
    List<String> condArm = new ArrayList<>();
    int[] condition = new int[clusterIds.size()];
    for (int c = 0; c < condition.length; c++) {
      String key = clusterShare.get(c) + "|" + clusterArm.get(c);
      Integer t = condIds.get(key);
      if (t == null) {
        t = condIds.size();
        condIds.put(key, t);
        condShare.add(clusterShare.get(c));
        condArm.add(clusterArm.get(c));
      }
      condition[c] = t;
    }
    return new ExperimentData(users, cluster, List.copyOf(clusterIds.keySet()), treated, y, condition,
        condShare.stream().mapToDouble(Double::doubleValue).toArray(), condArm, missing);
  }

  public int userCount() {
    return users.size();
  }

  public String user(int i) {
    return users.get(i);
  }

  public int clusterCount() {
    return clusterLabels.size();
  }

  public int cluster(int i) {
    return cluster[i];
  }

  public boolean treated(int i) {
    return treated[i];
  }

  public double outcome(int i) {
    return outcome[i];
  }

  /** Assigned users without an outcome (left out of every estimate). */
  public int missingOutcomes() {
    return missingOutcomes;
  }

  double share(int user) {
    return conditionShare[condition[cluster[user]]];
  }

  String arm(int user) {
    return conditionArm.get(condition[cluster[user]]);
  }

  int[] conditions() {
    return condition.clone();
  }

  double conditionShare(int t) {
    return conditionShare[t];
  }

  String conditionArm(int t) {
    return conditionArm.get(t);
  }

  int conditionCount() {
    return conditionShare.length;
  }

  Randomization randomization() {
    return randomization;
  }

  boolean[] treatedArray() {
    return treated;
  }
}
