package dev.loupe.bench;

import dev.loupe.stats.bandit.Policy;
import dev.loupe.stats.bandit.Scenario;
import dev.loupe.stats.bandit.SimulationResult;
import dev.loupe.stats.bandit.Simulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bandit simulation throughput: seed exercise S8 (rates 3%, 3%, 3%, 3.5%; 10,000 visitors a week;
 * 4 weeks), 2,000 replications, per-visitor updates: 80 million simulated visitors per policy.
 * Loupe's {@link Simulator} on all cores against the independent numpy implementation (vectorised
 * across replications, one core), both timed in the same run. Each policy is timed in a fresh JVM
 * (as {@code loupe bandit simulate} runs it): one warm-up run, then the median of the timed runs.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am package
 * java -cp "bench/target/classes:bench/target/lib/*" dev.loupe.bench.BanditSimulationBench \
 *     [javaRuns=5] [numpyRuns=3] [replications=2000] [policies=ab,epsilon-greedy:0.1,ucb1,thompson]
 * </pre>
 *
 * Needs Debian's {@code /usr/bin/python3} with python3-numpy.
 */
public final class BanditSimulationBench {

  private static final String SCRIPT = "stats/src/test/resources/golden/bandit_sim.py";
  private static final List<String> POLICIES = List.of("ab", "epsilon-greedy:0.1", "ucb1", "thompson");

  private BanditSimulationBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--one")) {
      one(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int javaRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int numpyRuns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    List<String> policies = args.length > 3 ? List.of(args[3].split(",")) : POLICIES;
    Scenario s = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 10_000, 4, 50);
    long visitors = s.visitors() * reps;
    System.out.printf(
        Locale.ROOT,
        "bandit simulation: %,d replications × %,d visitors = %,d visitors per policy; %d cores%n",
        reps,
        s.visitors(),
        visitors,
        Runtime.getRuntime().availableProcessors());
    List<String> lines = new ArrayList<>();
    for (String name : policies) {
      double[] jr = fork(name, reps, javaRuns);
      double javaRegret = jr[0];
      double[] t = Arrays.copyOfRange(jr, 1, jr.length);
      double java = median(t);
      double javaCpu = median(lastCpu);
      double[] n = new double[numpyRuns];
      double[] nc = new double[numpyRuns];
      double numpyRegret = Double.NaN;
      for (int i = 0; i < numpyRuns; i++) {
        double[] r = numpy(name, reps, 100 + i);
        n[i] = r[0];
        numpyRegret = r[1];
        nc[i] = r[2];
      }
      double numpy = numpyRuns == 0 ? Double.NaN : median(n);
      double numpyCpu = numpyRuns == 0 ? Double.NaN : median(nc);
      String line =
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.1f | %.0f | %.2f | %.1f | %.1f× | %.1f× | %.0f | %.0f |",
              name,
              java,
              javaCpu,
              visitors / java / 1e6,
              numpy,
              numpyCpu,
              numpy / java,
              numpyCpu / javaCpu,
              javaRegret,
              numpyRegret);
      System.out.println(
          line
              + "   java wall "
              + Arrays.toString(t)
              + " cpu "
              + Arrays.toString(lastCpu)
              + ", numpy wall "
              + Arrays.toString(n)
              + " cpu "
              + Arrays.toString(nc));
      lines.add(line);
    }
    System.out.println();
    System.out.println(
        "| policy | Loupe wall (s) | Loupe CPU (s) | Loupe (M visitors/s) | numpy wall (s) | numpy CPU (s) | wall ratio numpy/Loupe | CPU ratio numpy/Loupe | mean regret Loupe ($) | mean regret numpy ($) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    lines.forEach(System.out::println);
  }

  /** In a child JVM: warm-up, then timed runs; prints "regret t1 t2 ...". */
  private static void one(String name, int reps, int runs) {
    Scenario s = Scenario.of(new double[] {0.03, 0.03, 0.03, 0.035}, 10_000, 4, 50);
    Policy p = Policy.parse(name);
    Simulator sim = Simulator.create(s).withReplications(reps).withSeed(1);
    SimulationResult warm = sim.run(p);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    StringBuilder wall = new StringBuilder();
    StringBuilder cpu = new StringBuilder();
    for (int i = 0; i < runs; i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      sim.run(p);
      wall.append(' ').append((System.nanoTime() - t0) / 1e9);
      cpu.append(' ').append((os.getProcessCpuTime() - c0) / 1e9);
    }
    System.out.println("RESULT " + warm.meanRegret() + wall);
    System.out.println("CPU" + cpu);
  }

  private static double[] fork(String name, int reps, int runs) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process pr =
        new ProcessBuilder(
                java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                BanditSimulationBench.class.getName(), "--one", name, Integer.toString(reps),
                Integer.toString(runs))
            .redirectErrorStream(true)
            .start();
    String result = null;
    String cpu = null;
    StringBuilder all = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        all.append(l).append('\n');
        if (l.startsWith("RESULT ")) {
          result = l.substring(7);
        } else if (l.startsWith("CPU ")) {
          cpu = l.substring(4);
        }
      }
    }
    if (pr.waitFor() != 0 || result == null) {
      throw new IllegalStateException("benchmark JVM failed: " + all);
    }
    lastCpu = Arrays.stream(cpu.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    return Arrays.stream(result.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  private static double[] lastCpu = new double[0];

  /** Runs the numpy implementation once; returns {seconds, mean regret} as it reports them. */
  private static double[] numpy(String policy, int reps, int seed) throws IOException, InterruptedException {
    Path script = Path.of(SCRIPT);
    if (!Files.exists(script)) {
      throw new IllegalStateException("run from the repository root: " + SCRIPT + " not found");
    }
    Process pr =
        new ProcessBuilder(
                "/usr/bin/python3", SCRIPT, "bench", "--policy", policy,
                "--replications", Integer.toString(reps), "--seed", Integer.toString(seed))
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        out.append(l).append('\n');
      }
    }
    if (pr.waitFor() != 0) {
      throw new IllegalStateException("numpy benchmark failed: " + out);
    }
    return new double[] {field(out, "seconds"), field(out, "mean_regret"), field(out, "cpu_seconds")};
  }

  private static double field(CharSequence json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": ([0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
