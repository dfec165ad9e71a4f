package dev.loupe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.cli.network.NetworkFiles;
import dev.loupe.graph.CommunityDetection;
import dev.loupe.graph.CommunityDetection.Communities;
import dev.loupe.graph.GraphLoad;
import dev.loupe.graph.Partition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Community detection on a planted-community graph: Loupe (CWTS Leiden, modularity) against
 * igraph's Leiden (objective modularity, n_iterations=2) on the same file, in the same run.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am package
 * java -Xmx8g -cp "bench/target/classes:bench/target/lib/*" dev.loupe.bench.NetworkClusterBench \
 *     /tmp/loupe-bench/planted-1m-10m.csv 3
 * </pre>
 *
 * The file is generated first if missing: 1,000,000 nodes in 1,000 communities (each node's
 * community drawn uniformly), 10,000,000 distinct edges, each edge inside its first end's
 * community with probability 0.8, else to a uniform node (seed 20261126). Then, for each run:
 * Loupe loads the CSV (DuckDB) and runs Leiden with 2 iterations and seed 1; igraph (via
 * bench/network/igraph_leiden.py) loads the CSV (pandas) and runs its Leiden with 2 iterations.
 */
public final class NetworkClusterBench {

  static final int NODES = 1_000_000;
  static final int EDGES = 10_000_000;
  static final int COMMUNITIES = 1_000;
  static final double INSIDE = 0.8;

  private NetworkClusterBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "/tmp/loupe-bench/planted-1m-10m.csv");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String python = System.getProperty("python", "/usr/bin/python3");
    Path script = Path.of(System.getProperty("script", "bench/network/igraph_leiden.py"));
    if (!Files.exists(file)) {
      long t = System.nanoTime();
      generate(file, 20261126L);
      System.out.printf("generated %s in %.1f s%n", file, (System.nanoTime() - t) / 1e9);
    }
    ObjectMapper json = new ObjectMapper();
    List<double[]> loupe = new ArrayList<>(); // load s, leiden s, modularity, clusters
    List<double[]> igraph = new ArrayList<>();
    Partition first = null;
    boolean identical = true;
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      GraphLoad load = NetworkFiles.readEdges(file, null, null, null);
      double loadS = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      Communities c = CommunityDetection.withDefaults().withIterations(2).withSeed(1).detect(load.graph());
      double leidenS = (System.nanoTime() - t1) / 1e9;
      loupe.add(new double[] {loadS, leidenS, c.modularity(), c.clusters()});
      if (first == null) {
        first = c.partition();
      } else {
        identical &= first.equals(c.partition());
      }
      System.out.printf("run %d loupe:  load %.2f s  leiden %.2f s  modularity %.8f  clusters %d  (nodes %d, edges %d)%n",
          r + 1, loadS, leidenS, c.modularity(), c.clusters(), load.graph().nodeCount(), load.graph().edgeCount());
      load = null;
      c = null;
      System.gc();
      Process p = new ProcessBuilder(python, script.toString(), file.toString(), "1").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("igraph run failed: " + out);
      }
      JsonNode j = json.readTree(out.substring(out.lastIndexOf('\n') + 1));
      igraph.add(new double[] {j.get("load_s").asDouble(), j.get("leiden_s").asDouble(), j.get("modularity").asDouble(), j.get("clusters").asDouble()});
      System.out.printf("run %d igraph: load %.2f s  leiden %.2f s  modularity %.8f  clusters %d%n",
          r + 1, j.get("load_s").asDouble(), j.get("leiden_s").asDouble(), j.get("modularity").asDouble(), j.get("clusters").asInt());
    }
    double lLeiden = median(loupe, 1);
    double iLeiden = median(igraph, 1);
    System.out.printf("%nmedians over %d runs%n", runs);
    System.out.printf("loupe : load %.2f s  leiden %.2f s  modularity %.8f%n", median(loupe, 0), lLeiden, median(loupe, 2));
    System.out.printf("igraph: load %.2f s  leiden %.2f s  modularity %.8f%n", median(igraph, 0), iLeiden, median(igraph, 2));
    System.out.printf("ratio loupe/igraph leiden time: %.2f; load+leiden: %.2f%n", lLeiden / iLeiden,
        (median(loupe, 0) + lLeiden) / (median(igraph, 0) + iLeiden));
    System.out.printf("loupe partitions identical across runs with seed 1: %s%n", identical);
  }

  static double median(List<double[]> rows, int col) {
    double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static void generate(Path file, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] community = new int[NODES];
    int[] count = new int[COMMUNITIES + 1];
    for (int i = 0; i < NODES; i++) {
      community[i] = rnd.nextInt(COMMUNITIES);
      count[community[i] + 1]++;
    }
    for (int c = 0; c < COMMUNITIES; c++) {
      count[c + 1] += count[c];
    }
    int[] members = new int[NODES];
    int[] fill = new int[COMMUNITIES];
    for (int i = 0; i < NODES; i++) {
      members[count[community[i]] + fill[community[i]]++] = i;
    }
    long[] keys = new long[(int) (EDGES * 1.03)];
    int k = 0;
    while (k < keys.length) {
      int u = rnd.nextInt(NODES);
      int v;
      if (rnd.nextDouble() < INSIDE) {
        int c = community[u];
        v = members[count[c] + rnd.nextInt(count[c + 1] - count[c])];
      } else {
        v = rnd.nextInt(NODES);
      }
      if (u != v) {
        keys[k++] = ((long) Math.min(u, v) << 32) | Math.max(u, v);
      }
    }
    Arrays.sort(keys);
    int unique = 0;
    for (int i = 0; i < keys.length; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        keys[unique++] = keys[i];
      }
    }
    if (unique < EDGES) {
      throw new IllegalStateException("only " + unique + " distinct edges generated");
    }
    for (int i = 0; i < EDGES; i++) { // keep a uniform random subset of EDGES distinct edges
      int j = i + rnd.nextInt(unique - i);
      long t = keys[i];
      keys[i] = keys[j];
      keys[j] = t;
    }
    Arrays.sort(keys, 0, EDGES);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("source,target\n");
      StringBuilder sb = new StringBuilder(64);
      for (int i = 0; i < EDGES; i++) {
        sb.setLength(0);
        sb.append(keys[i] >>> 32).append(',').append(keys[i] & 0xffffffffL).append('\n');
        w.write(sb.toString());
      }
    }
  }
}
