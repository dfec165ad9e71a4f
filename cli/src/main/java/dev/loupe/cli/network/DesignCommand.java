package dev.loupe.cli.network;

import dev.loupe.cli.FormatOption;
import dev.loupe.graph.Assignment;
import dev.loupe.graph.Design;
import dev.loupe.graph.DesignReport;
import dev.loupe.graph.Graph;
import dev.loupe.graph.GraphLoad;
import dev.loupe.graph.GraphSummary;
import dev.loupe.graph.Switchback;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe network design}: draws a randomized design and reports what it will deliver. */
@Command(
    name = "design",
    mixinStandardHelpOptions = true,
    description = {
      "Draws a randomized design on a friendship graph and writes the assignment table.",
      "Methods: " + MethodConverter.METHODS + ".",
      "Prints a design report: clusters, balance, exposure probabilities, contamination, design effect, MDE, warnings."
    })
public final class DesignCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin FormatOption fmt;
  @Mixin EdgeOptions edges;
  @Mixin ClusterSource clusterSource;

  @Option(names = "--method", required = true, converter = MethodConverter.class, description = "One of: " + MethodConverter.METHODS + ".")
  String method;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--treat-share", defaultValue = "0.5", description = "Share of clusters (users, slots) treated (default: ${DEFAULT-VALUE}).")
  double treatShare;

  @Option(names = "--within-share", defaultValue = "0.5", description = "two-stage: share of users treated within treated clusters (default: ${DEFAULT-VALUE}).")
  double withinShare;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Assignment CSV to write.")
  Path output;

  @Option(names = "--attributes", paramLabel = "FILE", description = "Per-user table (CSV/Parquet) with the attribute and covariate columns.")
  Path attributes;

  @Option(names = "--user-column", paramLabel = "COL", description = "User column of --attributes (default: user, else the first column).")
  String userColumn;

  @Option(names = "--attribute", paramLabel = "COL", description = "attribute/switchback: the column whose values are the clusters (regions).")
  String attribute;

  @Option(names = "--covariates", split = ",", paramLabel = "COL", description = "Columns of --attributes to check balance on.")
  List<String> covariates = new ArrayList<>();

  @Option(names = "--outcome-variance", defaultValue = "NaN", description = "Variance of the outcome, for the minimum detectable effect.")
  double outcomeVariance;

  @Option(names = "--icc", defaultValue = "NaN", description = "Intra-cluster correlation of the outcome, for the design effect.")
  double icc;

  @Option(names = "--icc-from", paramLabel = "COL", description = "Estimate the ICC from this covariate (e.g. last month's outcome).")
  String iccFrom;

  @Option(names = "--alpha", defaultValue = "0.05", description = "Two-sided level for the MDE (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--power", defaultValue = "0.8", description = "Power for the MDE (default: ${DEFAULT-VALUE}).")
  double power;

  @Option(names = "--slots", defaultValue = "24", description = "switchback: time slots per region (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--slot-minutes", defaultValue = "60", description = "switchback: slot length in minutes (default: ${DEFAULT-VALUE}).")
  int slotMinutes;

  @Option(names = "--washout-minutes", defaultValue = "0", description = "switchback: buffer after each switch left out of the analysis (default: ${DEFAULT-VALUE}).")
  int washoutMinutes;

  @Override
  public Integer call() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("--alpha must be in (0, 1) but was " + alpha);
    }
    if (!(power > 0 && power < 1)) {
      throw new IllegalArgumentException("--power must be in (0, 1) but was " + power);
    }
    // NaN is the default ("not given"); a given value must be a correlation, a variance
    if (!Double.isNaN(icc) && !(icc >= -1 && icc <= 1)) {
      throw new IllegalArgumentException("--icc must be a correlation in [-1, 1] but was " + icc);
    }
    if (!Double.isNaN(outcomeVariance) && !(outcomeVariance > 0 && Double.isFinite(outcomeVariance))) {
      throw new IllegalArgumentException(
          "--outcome-variance must be a positive finite number but was " + outcomeVariance);
    }
    if (iccFrom != null && !covariates.contains(iccFrom)) {
      covariates.add(iccFrom);
    }
    List<String> wanted = new ArrayList<>(covariates);
    if (attribute != null) {
      wanted.add(0, attribute);
    }
    if ((method.equals("attribute") || attribute != null || !covariates.isEmpty()) && attributes == null) {
      throw new IllegalArgumentException("--attributes FILE is required with --method attribute, --attribute or --covariates");
    }
    if (method.equals("attribute") && attribute == null) {
      throw new IllegalArgumentException("--method attribute requires --attribute COL (the column whose values are the clusters)");
    }
    GraphLoad load = edges.load();
    Graph g = load.graph();
    if (g.nodeCount() == 0) {
      throw new IllegalArgumentException("--edges " + edges.edges + " must contain at least one edge but the graph is empty");
    }
    NetworkFiles.Table table = attributes == null ? null : NetworkFiles.readTable(attributes, userColumn, wanted);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("graph", Report.graphSummary(GraphSummary.of(load)));
    if (method.equals("switchback")) {
      List<String> regions;
      if (attribute != null) {
        regions = List.copyOf(new TreeSet<>(table.column(attribute).values().stream().filter(v -> v != null).collect(Collectors.toList())));
      } else {
        var p = clusterSource.partition(g, seed);
        regions = new ArrayList<>();
        for (int c = 0; c < p.clusterCount(); c++) {
          regions.add(Integer.toString(c));
        }
      }
      Switchback s = Switchback.of(regions, slots, slotMinutes, washoutMinutes, treatShare, seed);
      List<List<?>> rows = new ArrayList<>();
      for (Switchback.Slot x : s.schedule()) {
        rows.add(List.of(x.region(), x.slot(), x.startMinute(), x.endMinute(), x.treated() ? "treatment" : "control", x.analysisStartMinute()));
      }
      Report.writeCsv(output, List.of("region", "slot", "start_minute", "end_minute", "arm", "analysis_start_minute"), rows);
      Switchback.Report r = s.report();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", "switchback");
      m.put("regions", r.regions());
      m.put("slots", r.slots());
      m.put("treated_slots_per_region", r.treatedSlots());
      m.put("switches", r.switches());
      m.put("washout_share", r.washoutShare());
      m.put("warnings", r.warnings());
      report.put("design", m);
    } else {
      Design d = switch (method) {
        case "individual" -> Design.individual(g, treatShare, seed);
        case "cluster" -> Design.cluster(g, clusterSource.partition(g, seed), treatShare, seed);
        case "attribute" -> Design.attribute(g, attributeOfNodes(g, table), treatShare, seed);
        case "ego" -> Design.ego(g, treatShare, seed);
        case "two-stage" -> Design.twoStage(g, clusterSource.partition(g, seed), treatShare, withinShare, seed);
        case "interference-test" -> Design.interferenceTest(g, clusterSource.partition(g, seed), treatShare, seed);
        default -> throw new IllegalArgumentException("--method must be one of " + MethodConverter.METHODS + " but was " + method);
      };
      Map<String, double[]> cov = new HashMap<>();
      for (String c : covariates) {
        Map<String, Double> values = table.numbers(c);
        double[] x = new double[g.nodeCount()];
        for (int i = 0; i < x.length; i++) {
          Double v = values.get(g.id(i));
          x[i] = v == null ? Double.NaN : v;
        }
        cov.put(c, x);
      }
      DesignReport r = DesignReport.of(d, new DesignReport.Options(cov, outcomeVariance, icc, iccFrom, alpha, power));
      List<List<?>> rows = new ArrayList<>();
      List<Assignment> assignments = d.assignments();
      for (int i = 0; i < assignments.size(); i++) {
        Assignment a = assignments.get(i);
        rows.add(List.of(a.user(), a.cluster(), a.treated() ? "treatment" : "control", a.clusterShare(), a.design(), a.role(),
            d.fullExposureProbability(i, true), d.fullExposureProbability(i, false)));
      }
      List<String> header = new ArrayList<>(AnalyzeCommand.ASSIGNMENT_COLUMNS);
      header.addAll(List.of("p_full_treatment", "p_full_control"));
      Report.writeCsv(output, header, rows);
      report.put("design", r.toMap());
    }
    report.put("seed", seed);
    report.put("output", output.toString());
    Report.print(spec.commandLine().getOut(), fmt.format(), report);
    return 0;
  }

  private String[] attributeOfNodes(Graph g, NetworkFiles.Table table) {
    Map<String, String> values = table.column(attribute);
    String[] out = new String[g.nodeCount()];
    int missing = 0;
    String example = null;
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(g.id(i));
      if (out[i] == null) {
        missing++;
        example = example == null ? g.id(i) : example;
      }
    }
    if (missing > 0) {
      throw new IllegalArgumentException("--attribute " + attribute + " must have a value for every user of the graph but "
          + missing + " users have none, e.g. " + example);
    }
    return out;
  }
}
