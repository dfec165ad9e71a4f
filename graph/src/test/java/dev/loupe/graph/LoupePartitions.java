package dev.loupe.graph;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the partitions Loupe finds on the golden graphs (Leiden, seed 1, defaults otherwise) to
 * {@code loupe_<graph>.csv}, for modularity.py to score with networkx and igraph. Regenerate:
 *
 * <pre>
 * mvn -B -q -pl graph -am test-compile
 * java -cp "graph/target/test-classes:graph/target/classes:$(ls ~/.m2/repository/nl/cwts/networkanalysis/1.3.0/*.jar)" \
 *   dev.loupe.graph.LoupePartitions graph/src/test/resources/golden
 * (cd graph/src/test/resources/golden &amp;&amp; /usr/bin/python3 modularity.py)
 * </pre>
 */
final class LoupePartitions {

  static final String[] GRAPHS = {"karate", "lesmis", "planted"};

  private LoupePartitions() {}

  static Partition detect(Graph g) {
    return CommunityDetection.withDefaults().withSeed(1).detect(g).partition();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (String name : GRAPHS) {
      GraphBuilder b = GraphBuilder.create();
      java.util.List<String> lines = Files.readAllLines(dir.resolve(name + ".csv"));
      for (String line : lines.subList(1, lines.size())) {
        String[] r = line.split(",");
        b.addEdge(r[0], r[1], r.length > 2 ? Double.parseDouble(r[2]) : 1.0);
      }
      Graph g = b.build().graph();
      Partition p = detect(g);
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("loupe_" + name + ".csv")))) {
        w.println("node,cluster");
        for (int i = 0; i < g.nodeCount(); i++) {
          w.println(g.id(i) + "," + p.cluster(i));
        }
      }
    }
  }
}
