package dev.loupe.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.cli.Loupe;
import dev.loupe.cli.Output;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code loupe network} commands end to end: real files, real DuckDB. */
class NetworkCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return Output.json().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Loupe.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Zachary's karate club, as written by graph/src/test/resources/golden/modularity.py (networkx). */
  Path karate() throws IOException {
    Path src = Path.of("../graph/src/test/resources/golden/karate.csv");
    Path p = dir.resolve("karate.csv");
    Files.copy(src, p);
    return p;
  }

  /** 40 groups of 25 users, ~8 friends inside and ~1 outside. */
  Path planted() throws IOException {
    SplittableRandom rnd = new SplittableRandom(8);
    StringBuilder sb = new StringBuilder("source,target\n");
    int n = 1000;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double p = i / 25 == j / 25 ? 8.0 / 24 : 1.0 / 975;
        if (rnd.nextDouble() < p) {
          sb.append("u").append(i).append(',').append("u").append(j).append('\n');
        }
      }
    }
    Path p = dir.resolve("planted.csv");
    Files.writeString(p, sb);
    return p;
  }

  @Test
  void cluster_karate_jsonWithModularityAndReproducibleOutput() throws IOException {
    Path k = karate();
    Run r = run("network", "cluster", "--edges", k.toString(), "--format", "json", "--seed", "1", "--output", dir.resolve("c1.csv").toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("nodes").asInt()).isEqualTo(34);
    assertThat(j.get("edges").asInt()).isEqualTo(78);
    // networkx/igraph: the best known modularity of the karate club is 0.41979.
    assertThat(j.get("modularity").asDouble()).isCloseTo(0.41979, within(5e-5));
    assertThat(j.get("clusters").asInt()).isEqualTo(4);
    assertThat(j.get("largest_cluster").asInt()).isPositive();
    int inBins = 0;
    for (JsonNode b : j.get("cluster_size_histogram")) {
      inBins += b.get("count").asInt();
    }
    assertThat(inBins).isEqualTo(4);
    assertThat(j.get("edges_cut_fraction").asDouble()).isBetween(0.0, 1.0);
    run("network", "cluster", "--edges", k.toString(), "--seed", "1", "--output", dir.resolve("c2.csv").toString());
    assertThat(Files.readAllLines(dir.resolve("c1.csv"))).hasSize(35).isEqualTo(Files.readAllLines(dir.resolve("c2.csv")));
  }

  @Test
  void cluster_stringIdsSelfLoopsDuplicatesAndParquet() throws Exception {
    Path csv = dir.resolve("e.csv");
    Files.writeString(csv, "a,b,weight\nann,bob,1\nbob,ann,2\nann,ann,1\nbob,cy,1\ncy,ann,1\ndee,eve,3\n");
    Run r = run("network", "cluster", "--edges", csv.toString(), "--source-column", "a", "--target-column", "b", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("nodes").asInt()).isEqualTo(5);
    assertThat(j.get("edges").asInt()).isEqualTo(4);
    assertThat(j.get("self_loops_dropped").asInt()).isEqualTo(1);
    assertThat(j.get("duplicate_edges_dropped").asInt()).isEqualTo(1);
    assertThat(j.get("components").asInt()).isEqualTo(2);
    assertThat(j.get("clusters").asInt()).isEqualTo(2);
    Path parquet = dir.resolve("e.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '" + parquet + "' (FORMAT parquet)");
    }
    Run p = run("network", "cluster", "--edges", parquet.toString(), "--source-column", "a", "--target-column", "b", "--format", "json");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.json().get("modularity").asDouble()).isEqualTo(j.get("modularity").asDouble());
    // A lake-style table: a directory of hive-partitioned Parquet files.
    Path lake = dir.resolve("friendships");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("COPY (SELECT *, CASE WHEN weight > 1 THEN 'x' ELSE 'y' END AS part FROM read_csv('" + csv
          + "', header = true)) TO '" + lake + "' (FORMAT parquet, PARTITION_BY (part))");
    }
    Run l = run("network", "cluster", "--edges", lake.toString(), "--source-column", "a", "--target-column", "b", "--format", "json");
    assertThat(l.code()).as(l.err()).isZero();
    assertThat(l.json().get("edges").asInt()).isEqualTo(4);
    assertThat(l.json().get("modularity").asDouble()).isEqualTo(j.get("modularity").asDouble());
  }

  @Test
  void cluster_badWeightOrMissingId_exit2NamingTheColumn() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "source,target,weight\na,b,1\nb,c,heavy\n");
    Run r = run("network", "cluster", "--edges", csv.toString());
    assertThat(r.code()).isEqualTo(2);
    // DuckDB's own message names the line, the column and the value.
    assertThat(r.err()).contains("cannot read edge list").contains("Line: 3").contains("\"weight\"").contains("\"heavy\"")
        .doesNotContain("Possible solutions");
    Files.writeString(csv, "source,target\na,b\n,c\n");
    Run m = run("network", "cluster", "--edges", csv.toString());
    assertThat(m.code()).isEqualTo(2);
    assertThat(m.err()).contains("columns source and target must not be empty but 1 rows had a missing id");
    Files.writeString(csv, "source,target,weight\na,b,-2\n");
    Run n = run("network", "cluster", "--edges", csv.toString());
    assertThat(n.code()).isEqualTo(2);
    assertThat(n.err()).contains("weight of edge a — b must be finite and > 0 but was -2.0");
    Run missing = run("network", "cluster", "--edges", dir.resolve("nope.csv").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist");
  }

  @Test
  void cluster_emptyGraph_exit2WithMessage() throws IOException {
    Path csv = dir.resolve("empty.csv");
    Files.writeString(csv, "source,target\n");
    Run r = run("network", "cluster", "--edges", csv.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("graph must have at least one edge for community detection but had 0 nodes and 0 edges");
  }

  @Test
  void designThenAnalyze_twoStage_recoversEffects() throws IOException {
    Path edges = planted();
    Path assignment = dir.resolve("assignment.csv");
    Run d = run("network", "design", "--edges", edges.toString(), "--method", "two-stage", "--seed", "3",
        "--output", assignment.toString(), "--format", "json", "--outcome-variance", "1", "--icc", "0.02");
    assertThat(d.code()).as(d.err()).isZero();
    JsonNode design = d.json().get("design");
    assertThat(design.get("method").asText()).isEqualTo("two-stage");
    assertThat(design.get("clusters").asInt()).isBetween(30, 50);
    assertThat(design.get("mde").get(0).get("contrast").asText()).isEqualTo("total");
    List<String> lines = Files.readAllLines(assignment);
    assertThat(lines.get(0)).isEqualTo("user,cluster,arm,cluster_share,design,role,p_full_treatment,p_full_control");
    assertThat(lines).hasSize(1001);
    // Outcomes with direct 1.0 and spillover 0.5 (at share 0.5): total 1.5.
    SplittableRandom rnd = new SplittableRandom(4);
    StringBuilder y = new StringBuilder("user,outcome\n");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      double v = 5 + (f[2].equals("treatment") ? 1.0 : 0) + Double.parseDouble(f[3]) * 1.0 + 0.5 * rnd.nextGaussian();
      y.append(f[0]).append(',').append(v).append('\n');
    }
    Path outcomes = dir.resolve("y.csv");
    Files.writeString(outcomes, y);
    Run a = run("network", "analyze", "--assignment", assignment.toString(), "--outcomes", outcomes.toString(),
        "--edges", edges.toString(), "--permutations", "200", "--format", "json");
    assertThat(a.code()).as(a.err()).isZero();
    JsonNode j = a.json();
    for (String effect : List.of("direct", "spillover", "total")) {
      for (String field : List.of("estimate", "ci_low", "ci_high", "p_value")) {
        assertThat(j.get(effect).get(field).isNumber()).as(effect + "." + field).isTrue();
      }
    }
    assertThat(j.get("direct").get("estimate").asDouble()).isCloseTo(1.0, within(0.2));
    assertThat(j.get("spillover").get("estimate").asDouble()).isCloseTo(0.5, within(0.3));
    assertThat(j.get("total").get("ci_low").asDouble()).isLessThan(1.5);
    assertThat(j.get("total").get("ci_high").asDouble()).isGreaterThan(1.5);
    assertThat(j.get("direct").get("p_value").asDouble()).isLessThan(0.01);
    assertThat(j.has("interference_test")).isTrue();
    assertThat(j.get("interference_test").get("interference_detected").isNull()).isTrue();
  }

  @Test
  void designThenAnalyze_interferenceTest_detectsSpillover() throws IOException {
    Path edges = planted();
    Path assignment = dir.resolve("it.csv");
    Run d = run("network", "design", "--edges", edges.toString(), "--method", "interference-test", "--seed", "5",
        "--output", assignment.toString());
    assertThat(d.code()).as(d.err()).isZero();
    // Spillover proxy: a user gains 1.0 × the treated share of its cluster (friends are mostly inside).
    SplittableRandom rnd = new SplittableRandom(6);
    StringBuilder y = new StringBuilder("user,outcome\n");
    List<String> lines = Files.readAllLines(assignment);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      double v = (f[2].equals("treatment") ? 1.0 : 0) + Double.parseDouble(f[3]) + 0.3 * rnd.nextGaussian();
      y.append(f[0]).append(',').append(v).append('\n');
    }
    Path outcomes = dir.resolve("y.csv");
    Files.writeString(outcomes, y);
    Run a = run("network", "analyze", "--assignment", assignment.toString(), "--outcomes", outcomes.toString(),
        "--permutations", "0", "--format", "json");
    assertThat(a.code()).as(a.err()).isZero();
    JsonNode t = a.json().get("interference_test");
    // Cluster arm: 1 + 1 − 0 = 2; individual arm: 1 (both sides get the same 0.5).
    assertThat(t.get("cluster_arm_estimate").asDouble()).isCloseTo(2.0, within(0.15));
    assertThat(t.get("individual_arm_estimate").asDouble()).isCloseTo(1.0, within(0.1));
    assertThat(t.get("interference_detected").asBoolean()).isTrue();
    assertThat(t.get("p_value").asDouble()).isLessThan(0.001);
  }

  @Test
  void analyze_unknownUsersInOutcomes_exit2() throws IOException {
    Path edges = planted();
    Path assignment = dir.resolve("a.csv");
    assertThat(run("network", "design", "--edges", edges.toString(), "--method", "cluster", "--output", assignment.toString()).code()).isZero();
    Path outcomes = dir.resolve("y.csv");
    Files.writeString(outcomes, "user,outcome\nu1,1.0\nstranger,2.0\n");
    Run r = run("network", "analyze", "--assignment", assignment.toString(), "--outcomes", outcomes.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("outcomes must be for assigned users but 1 users are not in the assignment, e.g. [stranger]");
  }

  @Test
  void design_attributeWithOneCluster_exit2() throws IOException {
    Path edges = planted();
    StringBuilder attrs = new StringBuilder("user,city,age\n");
    for (int i = 0; i < 1000; i++) {
      attrs.append('u').append(i).append(",Paris,").append(20 + i % 30).append('\n');
    }
    Path a = dir.resolve("attrs.csv");
    Files.writeString(a, attrs);
    Run r = run("network", "design", "--edges", edges.toString(), "--method", "attribute", "--attributes", a.toString(),
        "--attribute", "city", "--output", dir.resolve("out.csv").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("design needs at least 2 clusters to randomize but had 1");
  }

  @Test
  void design_everyMethod_writesAssignmentAndReport() throws IOException {
    Path edges = planted();
    StringBuilder attrs = new StringBuilder("user,city,age\n");
    for (int i = 0; i < 1000; i++) {
      attrs.append('u').append(i).append(",city").append(i % 40).append(',').append(20 + i % 30).append('\n');
    }
    Path a = dir.resolve("attrs.csv");
    Files.writeString(a, attrs);
    List<String> methods = List.of("individual", "cluster", "attribute", "ego", "two-stage", "interference-test", "switchback");
    for (String m : methods) {
      Path out = dir.resolve(m + ".csv");
      List<String> args = new ArrayList<>(List.of("network", "design", "--edges", edges.toString(), "--method", m,
          "--output", out.toString(), "--format", "json", "--attributes", a.toString(), "--covariates", "age"));
      if (m.equals("attribute") || m.equals("switchback")) {
        args.addAll(List.of("--attribute", "city"));
      }
      if (m.equals("switchback")) {
        args.addAll(List.of("--washout-minutes", "10", "--covariates", "age"));
      }
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(m + ": " + r.err()).isZero();
      JsonNode design = r.json().get("design");
      assertThat(design.get("method").asText()).isEqualTo(m);
      if (m.equals("switchback")) {
        assertThat(design.get("regions").asInt()).isEqualTo(40);
        assertThat(Files.readAllLines(out)).hasSize(40 * 24 + 1);
      } else {
        assertThat(design.get("balance").get(0).get("covariate").asText()).isEqualTo("age");
        assertThat(design.get("exposure").get("mean_p_full_control").asDouble()).isBetween(0.0, 1.0);
        assertThat(Files.readAllLines(out)).hasSize(1001);
      }
    }
  }

  @Test
  void design_unknownMethod_exit2() throws IOException {
    Run r = run("network", "design", "--edges", karate().toString(), "--method", "random", "--output", dir.resolve("x.csv").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--method must be one of individual, cluster, attribute, ego, two-stage, interference-test, switchback but was random");
  }

  @Test
  void simulate_individualUnderestimatesLaunchEffect() throws IOException {
    Run r = run("network", "simulate", "--edges", planted().toString(), "--direct", "0.07", "--spillover", "0.06",
        "--replications", "10", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    double launch = j.get("launch_effect").asDouble();
    assertThat(launch).isCloseTo(0.13, within(0.001));
    JsonNode individual = j.get("designs").get(0);
    assertThat(individual.get("design").asText()).isEqualTo("individual");
    assertThat(individual.get("mean_estimate").asDouble()).isCloseTo(0.07 / 1.03, within(0.01));
    assertThat(j.get("designs").get(1).get("bias").asDouble()).isGreaterThan(individual.get("bias").asDouble());
  }
}
