package dev.loupe.cli.network;

import dev.loupe.cli.FormatOption;
import dev.loupe.graph.CommunityDetection;
import dev.loupe.graph.CommunityDetection.Algorithm;
import dev.loupe.graph.CommunityDetection.Communities;
import dev.loupe.graph.Graph;
import dev.loupe.graph.GraphLoad;
import dev.loupe.graph.GraphSummary;
import dev.loupe.graph.Partition;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loupe network cluster}: communities of a friendship graph by modularity. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Finds communities (Leiden or Louvain, optimizing modularity) in a friendship graph.",
      "Prints the graph's summary and the partition's modularity, clusters and share of edges cut;",
      "--output writes user,cluster (clusters numbered by decreasing size)."
    })
public final class ClusterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin FormatOption fmt;
  @Mixin EdgeOptions edges;

  @Option(names = "--algorithm", defaultValue = "leiden", description = "leiden or louvain (default: ${DEFAULT-VALUE}).")
  Algorithm algorithm;

  @Option(names = "--resolution", defaultValue = "1.0", description = "Modularity resolution γ > 0 (default: ${DEFAULT-VALUE}).")
  double resolution;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed; the same seed gives the same clusters (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--iterations", defaultValue = "10", description = "Iterations; 0 = until stable (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--output", paramLabel = "FILE", description = "Write user,cluster to this CSV file.")
  Path output;

  @Override
  public Integer call() {
    CommunityDetection detection =
        CommunityDetection.withDefaults()
            .withAlgorithm(algorithm)
            .withResolution(resolution)
            .withIterations(iterations)
            .withSeed(seed);
    GraphLoad load = edges.load();
    Graph g = load.graph();
    long t0 = System.nanoTime();
    Communities c = detection.detect(g);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> report = Report.graphSummary(GraphSummary.of(load));
    report.putAll(partitionReport(detection, c));
    report.put("seconds", Math.round(seconds * 1000) / 1000.0);
    if (output != null) {
      Partition p = c.partition();
      Report.writeCsv(output, List.of("user", "cluster"), new AbstractList<List<?>>() {
        @Override
        public List<?> get(int i) {
          return List.of(g.id(i), p.cluster(i));
        }

        @Override
        public int size() {
          return g.nodeCount();
        }
      });
      report.put("output", output.toString());
    }
    Report.print(spec.commandLine().getOut(), fmt.format(), report);
    return 0;
  }

  static Map<String, Object> partitionReport(CommunityDetection d, Communities c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", d.algorithm().name().toLowerCase(java.util.Locale.ROOT));
    m.put("resolution", d.resolution());
    m.put("iterations", d.iterations());
    m.put("seed", d.seed());
    m.put("modularity", c.modularity());
    m.put("clusters", c.clusters());
    m.put("largest_cluster", c.largestCluster());
    int[] sizes = c.partition().sizes(); // largest first
    m.put("median_cluster", sizes[sizes.length / 2]);
    int singletons = 0;
    for (int s : sizes) {
      if (s == 1) {
        singletons++;
      }
    }
    m.put("singleton_clusters", singletons);
    m.put("cluster_size_histogram", sizeHistogram(sizes));
    m.put("edges_cut_fraction", c.edgesCutFraction());
    return m;
  }

  /** Clusters by size in power-of-two bins [1], [2,3], [4,7], …; sizes sorted largest first. */
  static List<Map<String, Object>> sizeHistogram(int[] sizes) {
    List<Map<String, Object>> bins = new java.util.ArrayList<>();
    int low = 1;
    int at = sizes.length - 1;
    while (at >= 0) {
      int high = 2 * low - 1;
      int count = 0;
      while (at >= 0 && sizes[at] <= high) {
        count++;
        at--;
      }
      if (count > 0) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("low", low);
        b.put("high", high);
        b.put("count", count);
        bins.add(b);
      }
      low = high + 1;
    }
    return bins;
  }
}
