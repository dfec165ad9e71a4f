package dev.loupe.graph;

import java.util.Arrays;

/** Connected components by breadth-first search. */
final class Components {

  private Components() {}

  /** Component label of each node, numbered in order of their smallest node. */
  static int[] label(Graph g) {
    int n = g.nodeCount();
    int[] comp = new int[n];
    Arrays.fill(comp, -1);
    int[] queue = new int[n];
    int next = 0;
    for (int s = 0; s < n; s++) {
      if (comp[s] >= 0) {
        continue;
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = s;
      comp[s] = next;
      while (head < tail) {
        int u = queue[head++];
        for (long k = g.offset(u), end = g.offset(u + 1); k < end; k++) {
          int v = g.neighbor(k);
          if (comp[v] < 0) {
            comp[v] = next;
            queue[tail++] = v;
          }
        }
      }
      next++;
    }
    return comp;
  }
}
