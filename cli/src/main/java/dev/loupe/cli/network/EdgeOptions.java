package dev.loupe.cli.network;

import dev.loupe.graph.GraphLoad;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The edge-list options shared by the network commands. */
public final class EdgeOptions {

  @Option(names = "--edges", required = true, paramLabel = "FILE",
      description = "Friendship edge list, CSV or Parquet: source, target[, weight]; undirected.")
  Path edges;

  @Option(names = "--source-column", paramLabel = "COL", description = "Column of one end (default: source, else the first column).")
  String source;

  @Option(names = "--target-column", paramLabel = "COL", description = "Column of the other end (default: target, else the second column).")
  String target;

  @Option(names = "--weight-column", paramLabel = "COL", description = "Column of edge weights (default: weight if present, else unweighted).")
  String weight;

  GraphLoad load() {
    return NetworkFiles.readEdges(edges, source, target, weight);
  }
}
