package dev.loupe.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A randomized design of a user-level experiment on a friendship graph, drawn with a seed.
 *
 * <p>Every method is a {@link Randomization} over some clusters:
 *
 * <ul>
 *   <li>{@link Method#INDIVIDUAL}: each user its own unit; {@code round(q·N)} users treated. The
 *       baseline, contaminated wherever a control user has a treated friend.
 *   <li>{@link Method#CLUSTER}: graph clusters (e.g. from {@link CommunityDetection}); {@code
 *       round(q·C)} whole clusters treated.
 *   <li>{@link Method#ATTRIBUTE}: the same with clusters from a column (city, region, school).
 *   <li>{@link Method#EGO}: ego networks: users visited in random order; an unassigned user becomes
 *       an ego and takes its unassigned friends into its unit; friends already in an earlier unit
 *       stay there and are counted as overlaps. Units are randomized whole.
 *   <li>{@link Method#TWO_STAGE}: {@code round(q·C)} clusters are treated; within them exactly
 *       {@code round(p·n)} users are treated; the other clusters are pure control. Identifies the
 *       direct, spillover and total effects (Hudgens &amp; Halloran 2008).
 *   <li>{@link Method#INTERFERENCE_TEST}: half the clusters are cluster-randomized (share q of them
 *       treated whole), the other half individually randomized (share q of users within each
 *       cluster), for the test of Saveski et al., KDD 2017.
 * </ul>
 *
 * Immutable.
 */
public final class Design {

  /** The design methods. */
  public enum Method {
    INDIVIDUAL,
    CLUSTER,
    ATTRIBUTE,
    EGO,
    TWO_STAGE,
    INTERFERENCE_TEST;

    /** The name used in files and on the command line, e.g. {@code two-stage}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when whole clusters (not single users) are the units of the first stage. */
    public boolean clusterLevel() {
      return this != INDIVIDUAL;
    }
  }

  private final Method method;
  private final Graph graph;
  private final Randomization randomization;
  private final String[] unitLabels;
  private final Randomization.Draw draw;
  private final boolean[] ego; // null unless EGO
  private final long egoOverlaps;
  private final double treatShare;
  private final double withinShare;
  private final long seed;
  private volatile double[][] exposure; // computed on first use: see Exposures

  private Design(Method method, Graph graph, Randomization randomization, String[] unitLabels,
      boolean[] ego, long egoOverlaps, double treatShare, double withinShare, long seed) {
    this.method = method;
    this.graph = graph;
    this.randomization = randomization;
    this.unitLabels = unitLabels;
    this.ego = ego;
    this.egoOverlaps = egoOverlaps;
    this.treatShare = treatShare;
    this.withinShare = withinShare;
    this.seed = seed;
    this.draw = randomization.draw(new SplittableRandom(seed));
  }

  /** Individual randomization: {@code round(q·N)} users treated. */
  public static Design individual(Graph g, double treatShare, long seed) {
    checkShare("treat share", treatShare);
    int n = g.nodeCount();
    if (n < 2) {
      throw new IllegalArgumentException("design needs at least 2 users but the graph has " + n);
    }
    int[] unit = new int[n];
    String[] labels = new String[n];
    for (int i = 0; i < n; i++) {
      unit[i] = i;
      labels[i] = g.id(i);
    }
    Randomization r = Randomization.of(unit, n, new double[] {1, 0}, nonEmpty(Randomization.countsFor(n, treatShare), "users"));
    return new Design(Method.INDIVIDUAL, g, r, labels, null, 0, treatShare, 1, seed);
  }

  /** Graph-cluster randomization: {@code round(q·C)} clusters of the partition treated whole. */
  public static Design cluster(Graph g, Partition p, double treatShare, long seed) {
    return clusterLike(Method.CLUSTER, g, p.clusters(), numberLabels(p.clusterCount()), treatShare, seed);
  }

  /** Attribute-based cluster randomization: clusters are the distinct values of {@code labelOfNode}. */
  public static Design attribute(Graph g, String[] labelOfNode, double treatShare, long seed) {
    if (labelOfNode.length != g.nodeCount()) {
      throw new IllegalArgumentException("attribute must have one value per user: " + labelOfNode.length + " != " + g.nodeCount());
    }
    Map<String, Integer> ids = new HashMap<>();
    String[] sorted = Arrays.stream(labelOfNode).distinct().sorted().toArray(String[]::new);
    for (String s : sorted) {
      ids.put(s, ids.size());
    }
    int[] unit = new int[labelOfNode.length];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = ids.get(labelOfNode[i]);
    }
    return clusterLike(Method.ATTRIBUTE, g, unit, sorted, treatShare, seed);
  }

  /** Ego-network randomization (see the class comment for how overlaps are resolved). */
  public static Design ego(Graph g, double treatShare, long seed) {
    checkShare("treat share", treatShare);
    int n = g.nodeCount();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] unit = new int[n];
    Arrays.fill(unit, -1);
    boolean[] isEgo = new boolean[n];
    List<String> labels = new ArrayList<>();
    long overlaps = 0;
    for (int u : order) {
      if (unit[u] >= 0) {
        continue;
      }
      int id = labels.size();
      labels.add(g.id(u));
      unit[u] = id;
      isEgo[u] = true;
      for (long k = g.offset(u); k < g.offset(u + 1); k++) {
        int v = g.neighbor(k);
        if (unit[v] < 0) {
          unit[v] = id;
        } else if (unit[v] != id) {
          overlaps++;
        }
      }
    }
    String[] lab = labels.toArray(String[]::new);
    if (lab.length < 2) {
      throw new IllegalArgumentException("design needs at least 2 clusters but the graph has " + lab.length + " ego network");
    }
    Randomization r = Randomization.of(unit, lab.length, new double[] {1, 0}, nonEmpty(Randomization.countsFor(lab.length, treatShare), "ego networks"));
    return new Design(Method.EGO, g, r, lab, isEgo, overlaps, treatShare, 1, seed);
  }

  /** Two-stage randomization: clusters treated with share q, users within them with share p. */
  public static Design twoStage(Graph g, Partition p, double treatShare, double withinShare, long seed) {
    checkShare("treat share", treatShare);
    checkShare("within share", withinShare);
    int c = checkClusters(p.clusterCount());
    Randomization r = Randomization.of(p.clusters(), c, new double[] {withinShare, 0},
        nonEmpty(Randomization.countsFor(c, treatShare), "clusters"));
    return new Design(Method.TWO_STAGE, g, r, numberLabels(c), null, 0, treatShare, withinShare, seed);
  }

  /**
   * The Saveski et al. design: half the clusters (rounded) cluster-randomized with share q of them
   * treated, the rest individually randomized with share q of users treated in each cluster.
   */
  public static Design interferenceTest(Graph g, Partition p, double treatShare, long seed) {
    checkShare("treat share", treatShare);
    int c = checkClusters(p.clusterCount());
    if (c < 4) {
      throw new IllegalArgumentException("interference-test design needs at least 4 clusters but had " + c);
    }
    int half = c / 2;
    int treated = (int) Math.round(treatShare * half);
    int[] counts = {treated, half - treated, c - half};
    if (treated == 0 || treated == half) {
      throw new IllegalArgumentException("treat share " + treatShare + " leaves an arm empty among the " + half + " cluster-randomized clusters");
    }
    Randomization r = Randomization.of(p.clusters(), c, new double[] {1, 0, treatShare}, counts);
    return new Design(Method.INTERFERENCE_TEST, g, r, numberLabels(c), null, 0, treatShare, treatShare, seed);
  }

  private static Design clusterLike(Method m, Graph g, int[] unit, String[] labels, double treatShare, long seed) {
    checkShare("treat share", treatShare);
    int c = checkClusters(labels.length);
    Randomization r = Randomization.of(unit, c, new double[] {1, 0}, nonEmpty(Randomization.countsFor(c, treatShare), "clusters"));
    return new Design(m, g, r, labels, null, 0, treatShare, 1, seed);
  }

  private static int checkClusters(int c) {
    if (c < 2) {
      throw new IllegalArgumentException(
          "design needs at least 2 clusters to randomize but had " + c + " (a single cluster cannot have both a treatment and a control)");
    }
    return c;
  }

  private static int[] nonEmpty(int[] counts, String what) {
    if (counts[0] == 0 || counts[1] == 0) {
      throw new IllegalArgumentException(
          "treat share leaves an arm empty: " + counts[0] + " treated and " + counts[1] + " control " + what);
    }
    return counts;
  }

  private static void checkShare(String name, double s) {
    if (!(s > 0 && s < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1) but was " + s);
    }
  }

  private static String[] numberLabels(int c) {
    String[] s = new String[c];
    for (int i = 0; i < c; i++) {
      s[i] = Integer.toString(i);
    }
    return s;
  }

  public Method method() {
    return method;
  }

  public Graph graph() {
    return graph;
  }

  public Randomization randomization() {
    return randomization;
  }

  public long seed() {
    return seed;
  }

  public double treatShare() {
    return treatShare;
  }

  public double withinShare() {
    return withinShare;
  }

  /** Friends that an ego could not take into its unit because an earlier ego had them (EGO only). */
  public long egoOverlaps() {
    return egoOverlaps;
  }

  public boolean treated(int user) {
    return draw.treated()[user];
  }

  /** The label of the user's randomization unit (cluster number, attribute value, ego's id, or user). */
  public String unitLabel(int user) {
    return unitLabels[randomization.cluster(user)];
  }

  /** Target treatment share of the user's cluster (1 or 0 for whole-cluster arms). */
  public double clusterShare(int user) {
    return randomization.shares().get(draw.condition()[randomization.cluster(user)]);
  }

  /** {@code cluster} or {@code individual} for the interference-test design; the method's label otherwise. */
  public String arm(int user) {
    if (method == Method.INTERFERENCE_TEST) {
      return draw.condition()[randomization.cluster(user)] == 2 ? "individual" : "cluster";
    }
    return method.label();
  }

  /** {@code ego} or {@code alter} for the ego design, empty otherwise. */
  public String role(int user) {
    return ego == null ? "" : ego[user] ? "ego" : "alter";
  }

  /**
   * Probability that the user and all its friends are treated ({@code treatment = true}) or all in
   * control, over the design (exact; see {@link Randomization#probabilityAll}).
   */
  public double fullExposureProbability(int user, boolean treatment) {
    return exposure()[treatment ? 0 : 1][user];
  }

  /** Rows as in {@link Exposures#probabilities}; computed once. */
  double[][] exposure() {
    double[][] e = exposure;
    if (e == null) {
      e = Exposures.probabilities(graph, randomization);
      exposure = e;
    }
    return e;
  }

  /** The assignment table, one row per user, in node order. */
  public List<Assignment> assignments() {
    List<Assignment> out = new ArrayList<>(graph.nodeCount());
    for (int i = 0; i < graph.nodeCount(); i++) {
      out.add(new Assignment(graph.id(i), unitLabel(i), treated(i), clusterShare(i), arm(i), role(i)));
    }
    return out;
  }
}
