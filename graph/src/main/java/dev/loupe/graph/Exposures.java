package dev.loupe.graph;

/** Exposure probabilities of every user under a randomization. */
final class Exposures {

  private Exposures() {}

  /**
   * Rows: [0] P(user and all friends treated), [1] P(user and all friends in control), [2]
   * P(user in control), [3] P(user treated).
   */
  static double[][] probabilities(Graph g, Randomization r) {
    int n = g.nodeCount();
    double[][] out = new double[4][n];
    for (int i = 0; i < n; i++) {
      int d = g.degree(i);
      int[] set = new int[d + 1];
      set[0] = i;
      for (int k = 0; k < d; k++) {
        set[k + 1] = g.neighbor(g.offset(i) + k);
      }
      out[0][i] = r.probabilityAll(set, true);
      out[1][i] = r.probabilityAll(set, false);
      out[2][i] = r.probabilityAll(new int[] {i}, false);
      out[3][i] = r.probabilityAll(new int[] {i}, true);
    }
    return out;
  }
}
