package dev.loupe.cli.network;

import dev.loupe.cli.FormatOption;
import dev.loupe.graph.Assignment;
import dev.loupe.graph.ExperimentData;
import dev.loupe.graph.Graph;
import dev.loupe.graph.NetworkAnalysis;
import dev.loupe.graph.NetworkAnalysis.Effect;
import dev.loupe.graph.NetworkAnalysis.ExposureEstimate;
import dev.loupe.graph.NetworkAnalysis.InterferenceTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe network analyze}: effects of a network experiment from assignments and outcomes. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Estimates the effects of a network experiment from its assignment and outcomes.",
      "Direct, spillover and total effects with cluster-robust intervals and randomization p-values,",
      "exposure-based Horvitz-Thompson and Hajek estimates (with --edges), and the interference test",
      "of Saveski et al. (for the interference-test design)."
    })
public final class AnalyzeCommand implements Callable<Integer> {

  static final List<String> ASSIGNMENT_COLUMNS = List.of("user", "cluster", "arm", "cluster_share", "design", "role");

  @Spec CommandSpec spec;
  @Mixin FormatOption fmt;

  @Option(names = "--assignment", required = true, paramLabel = "FILE", description = "Assignment table from `loupe network design`.")
  Path assignment;

  @Option(names = "--outcomes", required = true, paramLabel = "FILE", description = "Per-user outcomes (CSV/Parquet): user, outcome.")
  Path outcomes;

  @Option(names = "--outcome-column", defaultValue = "outcome", paramLabel = "COL", description = "Outcome column (default: ${DEFAULT-VALUE}).")
  String outcomeColumn;

  @Option(names = "--user-column", paramLabel = "COL", description = "User column of --outcomes (default: user, else the first column).")
  String userColumn;

  @Option(names = "--edges", paramLabel = "FILE", description = "Friendship edge list, for the exposure estimates.")
  Path edges;

  @Option(names = "--permutations", defaultValue = "1000", description = "Redraws of the design for randomization p-values (default: ${DEFAULT-VALUE}).")
  int permutations;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the redraws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--alpha", defaultValue = "0.05", description = "1 - confidence level (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Override
  public Integer call() {
    NetworkAnalysis analysis = NetworkAnalysis.withDefaults().withPermutations(permutations).withSeed(seed).withAlpha(alpha);
    List<String> wanted = new ArrayList<>(List.of("cluster", "arm", "cluster_share", "design"));
    if (NetworkFiles.columnsOf(assignment).contains("role")) {
      wanted.add("role");
    }
    NetworkFiles.Table a = NetworkFiles.readTable(assignment, "user", wanted);
    List<Assignment> rows = new ArrayList<>(a.rows().size());
    for (var e : a.rows().entrySet()) {
      String[] v = e.getValue();
      String user = e.getKey();
      if (v[0] == null) {
        throw new IllegalArgumentException(assignment + ": column cluster must not be empty but was for user " + user);
      }
      String role = v.length > 4 && v[4] != null ? v[4] : "";
      rows.add(new Assignment(user, v[0], treated(v[1], user), share(v[2], user), v[3] == null ? "" : v[3], role));
    }
    Map<String, Double> y = NetworkFiles.readTable(outcomes, userColumn, List.of(outcomeColumn)).numbers(outcomeColumn);
    ExperimentData data = ExperimentData.of(rows, y);
    Graph g = edges == null ? null : NetworkFiles.readEdges(edges, null, null, null).graph();
    NetworkAnalysis.Result r = analysis.analyze(data, g);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("direct", effect(r.direct()));
    out.put("spillover", effect(r.spillover()));
    out.put("total", effect(r.total()));
    Map<String, Object> exposure = new LinkedHashMap<>();
    for (ExposureEstimate x : r.exposure()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("estimate", x.estimate());
      m.put("std_error", x.stdError());
      m.put("ci_low", x.ciLow());
      m.put("ci_high", x.ciHigh());
      m.put("p_value", x.pValue());
      m.put("fully_treated_users", x.fullyTreated());
      m.put("fully_control_users", x.fullyControl());
      m.put("eligible_users", x.eligible());
      m.put("note", x.note());
      exposure.put(x.name(), m);
    }
    out.put("exposure", exposure.isEmpty() ? null : exposure);
    InterferenceTest t = r.interferenceTest();
    Map<String, Object> it = new LinkedHashMap<>();
    it.put("cluster_arm_estimate", t.clusterArmEstimate());
    it.put("cluster_arm_std_error", t.clusterArmStdError());
    it.put("individual_arm_estimate", t.individualArmEstimate());
    it.put("individual_arm_std_error", t.individualArmStdError());
    it.put("difference", t.difference());
    it.put("z", t.z());
    it.put("p_value", t.pValue());
    it.put("interference_detected", Double.isNaN(t.pValue()) ? null : t.rejected());
    it.put("note", t.note());
    out.put("interference_test", it);
    out.put("users", r.users());
    out.put("users_with_outcome", r.usersWithOutcome());
    out.put("clusters", r.clusters());
    out.put("permutations", permutations);
    out.put("seed", seed);
    List<String> warnings = new ArrayList<>(r.warnings());
    if (edges == null) {
      warnings.add("exposure is null: pass --edges for the Horvitz-Thompson and Hajek exposure estimates");
    }
    out.put("warnings", warnings);
    Report.print(spec.commandLine().getOut(), fmt.format(), out);
    return 0;
  }

  private static Map<String, Object> effect(Effect e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimate", e.estimate());
    m.put("std_error", e.stdError());
    m.put("ci_low", e.ciLow());
    m.put("ci_high", e.ciHigh());
    m.put("p_value", e.pValue());
    m.put("cluster_robust_p_value", e.clusterRobustPValue());
    m.put("n_treatment", e.nTreatment());
    m.put("n_control", e.nControl());
    m.put("clusters", e.clusters());
    m.put("note", e.note());
    return m;
  }

  private boolean treated(String arm, String user) {
    String v = arm == null ? "" : arm.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "treatment", "treated", "1", "true" -> true;
      case "control", "0", "false" -> false;
      default -> throw new IllegalArgumentException(assignment + ": column arm must be treatment or control but was '" + arm + "' for user " + user);
    };
  }

  private double share(String s, String user) {
    try {
      double d = Double.parseDouble(s);
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // fall through
    }
    throw new IllegalArgumentException(assignment + ": column cluster_share must be a number in [0, 1] but was '" + s + "' for user " + user);
  }
}
