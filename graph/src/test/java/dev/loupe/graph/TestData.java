package dev.loupe.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the small CSV golden files under src/test/resources/golden (no quoting in them). */
final class TestData {

  private TestData() {}

  static Path golden(String name) {
    try {
      return Path.of(TestData.class.getResource("/golden/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows without the header. */
  static List<String[]> rows(String name) {
    try {
      List<String> lines = Files.readAllLines(golden(name));
      List<String[]> out = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        if (!l.isBlank()) {
          out.add(l.split(",", -1));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String[] header(String name) {
    try {
      return Files.readAllLines(golden(name)).get(0).split(",", -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An edge list CSV: source,target[,weight]. */
  static Graph graph(String name) {
    GraphBuilder b = GraphBuilder.create();
    for (String[] r : rows(name)) {
      b.addEdge(r[0], r[1], r.length > 2 ? Double.parseDouble(r[2]) : 1.0);
    }
    return b.build().graph();
  }

  /** A partition from a labels column of partitions_&lt;graph&gt;.csv, in the graph's node order. */
  static Partition partition(Graph g, String file, String column) {
    String[] h = header(file);
    int col = List.of(h).indexOf(column);
    if (col < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + file);
    }
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    int[] labels = new int[g.nodeCount()];
    java.util.Arrays.fill(labels, -1);
    for (String[] r : rows(file)) {
      labels[g.indexOf(r[0])] = ids.computeIfAbsent(r[col], k -> ids.size());
    }
    return Partition.of(labels);
  }
}
