package dev.loupe.cli.network;

import dev.loupe.cli.FormatOption;
import dev.loupe.graph.BiasSimulation;
import dev.loupe.graph.Graph;
import dev.loupe.graph.GraphLoad;
import dev.loupe.graph.GraphSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe network simulate}: what each design would estimate, before launch. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, before launch, what each design would estimate on your own graph.",
      "Simulates a feature with a direct effect and a spillover on your own graph, and shows what",
      "individual, cluster and two-stage randomization would estimate of the launch effect.",
      "Model: y = baseline * (1 + direct*T + spillover*share_of_treated_friends) + noise."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin FormatOption fmt;
  @Mixin EdgeOptions edges;
  @Mixin ClusterSource clusterSource;

  @Option(names = "--direct", required = true, description = "Relative direct effect on a treated user, e.g. 0.07.")
  double direct;

  @Option(names = "--spillover", required = true, description = "Relative effect on a user all of whose friends are treated, e.g. 0.06.")
  double spillover;

  @Option(names = "--baseline", defaultValue = "1.0", description = "Baseline mean of the outcome (default: ${DEFAULT-VALUE}).")
  double baseline;

  @Option(names = "--noise-sd", defaultValue = "0", description = "Standard deviation of the outcome noise (default: ${DEFAULT-VALUE}).")
  double noiseSd;

  @Option(names = "--replications", defaultValue = "100", description = "Draws of each design (default: ${DEFAULT-VALUE}).")
  int replications;

  @Option(names = "--treat-share", defaultValue = "0.5", description = "Share treated (default: ${DEFAULT-VALUE}).")
  double treatShare;

  @Option(names = "--within-share", defaultValue = "0.5", description = "two-stage: share treated within treated clusters (default: ${DEFAULT-VALUE}).")
  double withinShare;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    BiasSimulation sim = BiasSimulation.of(direct, spillover).withBaseline(baseline).withNoise(noiseSd)
        .withReplications(replications).withShares(treatShare, withinShare).withSeed(seed);
    GraphLoad load = edges.load();
    Graph g = load.graph();
    if (g.edgeCount() == 0) {
      throw new IllegalArgumentException("--edges " + edges.edges + " must contain at least one edge but the graph is empty");
    }
    BiasSimulation.Result r = sim.run(g, clusterSource.partition(g, seed));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("graph", Report.graphSummary(GraphSummary.of(load)));
    out.put("launch_effect", r.launchEffect());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (BiasSimulation.DesignBias b : r.designs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("design", b.design());
      m.put("mean_estimate", b.mean());
      m.put("bias", b.bias());
      m.put("sd", b.sd());
      rows.add(m);
    }
    out.put("designs", rows);
    out.put("individual_contamination", r.contaminationIndividual());
    out.put("replications", replications);
    out.put("seed", seed);
    Report.print(spec.commandLine().getOut(), fmt.format(), out);
    return 0;
  }
}
