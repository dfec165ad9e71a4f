package dev.loupe.cli.network;

import dev.loupe.graph.CommunityDetection;
import dev.loupe.graph.CommunityDetection.Algorithm;
import dev.loupe.graph.Graph;
import dev.loupe.graph.Partition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where a design's graph clusters come from: a file, or community detection now. */
public final class ClusterSource {

  @Option(names = "--clusters", paramLabel = "FILE",
      description = "user,cluster file (e.g. from `loupe network cluster --output`); default: detect communities now.")
  Path clusters;

  @Option(names = "--algorithm", defaultValue = "leiden", description = "Community detection when --clusters is absent: leiden or louvain (default: ${DEFAULT-VALUE}).")
  Algorithm algorithm;

  @Option(names = "--resolution", defaultValue = "1.0", description = "Modularity resolution for detection (default: ${DEFAULT-VALUE}).")
  double resolution;

  @Option(names = "--iterations", defaultValue = "10", description = "Detection iterations; 0 = until stable (default: ${DEFAULT-VALUE}).")
  int iterations;

  Partition partition(Graph g, long seed) {
    if (clusters == null) {
      return CommunityDetection.withDefaults().withAlgorithm(algorithm).withResolution(resolution)
          .withIterations(iterations).withSeed(seed).detect(g).partition();
    }
    Map<String, String> byUser = NetworkFiles.readTable(clusters, null, List.of("cluster")).column("cluster");
    Map<String, Integer> ids = new HashMap<>();
    int[] labels = new int[g.nodeCount()];
    for (int i = 0; i < g.nodeCount(); i++) {
      String c = byUser.get(g.id(i));
      if (c == null) {
        throw new IllegalArgumentException("--clusters " + clusters + " must give a cluster for every user of the graph but has none for user " + g.id(i));
      }
      labels[i] = ids.computeIfAbsent(c, k -> ids.size());
    }
    return Partition.of(labels);
  }
}
