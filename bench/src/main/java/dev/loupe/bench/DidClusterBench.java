package dev.loupe.bench;

import dev.loupe.experiments.analysis.DataSource;
import dev.loupe.experiments.analysis.DidAnalysis;
import dev.loupe.stats.did.DidEstimate;
import dev.loupe.stats.did.DiffInDiff;
import dev.loupe.stats.regression.CovarianceType;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * Difference-in-differences with cluster-robust standard errors on a large file, file to result.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.loupe.bench.DidClusterBench generate FILE ROWS CLUSTERS
 * java -cp "bench/target/classes:bench/target/lib/*" dev.loupe.bench.DidClusterBench run FILE REPEATS
 * </pre>
 *
 * {@code generate} writes a CSV (or Parquet, by extension) with columns cluster, treated, post, y:
 * treated = first half of the clusters, post a deterministic coin per row, y = 10 + cluster effect
 * + 0.5·post + 2·treated·post + N(0, 1) noise from a hash of the row number (reproducible, no
 * seed state), rounded to 4 decimals. {@code run} times {@code y ~ treated * post} with
 * cluster-robust errors by cluster, from opening the file to the result, and prints one line per
 * repeat (wall clock, and the CPU time of the whole process meanwhile, all threads, JIT and GC
 * included) and the median wall clock, with the estimate and standard error to 17 digits.
 * See bench/did/run.sh and bench/README.md.
 */
public final class DidClusterBench {

  private DidClusterBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: generate FILE ROWS CLUSTERS | run FILE REPEATS");
      System.exit(2);
    }
    Path file = Path.of(args[1]);
    if (args[0].equals("generate")) {
      long rows = args.length > 2 ? Long.parseLong(args[2]) : 10_000_000L;
      int clusters = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
      generate(file, rows, clusters);
    } else {
      int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
      run(file, repeats);
    }
  }

  static void generate(Path file, long rows, int clusters) throws Exception {
    Files.deleteIfExists(file);
    String u1 = "((hash(i * 3 + 1) % 1000000007) / 1000000007.0)";
    String u2 = "((hash(i * 3 + 2) % 1000000007) / 1000000007.0)";
    String coin = "CAST(hash(i * 3) % 2 AS INTEGER)";
    String sql =
        "COPY (SELECT c AS cluster, treated, post,"
            + " round(10 + ((hash(c + 7) % 1000) / 1000.0 - 0.5) * 4 + 0.5 * post + 2.0 * treated * post"
            + " + sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2), 4) AS y"
            + " FROM (SELECT i % " + clusters + " AS c, CAST(i % " + clusters + " < " + clusters / 2
            + " AS INTEGER) AS treated, " + coin + " AS post, " + u1 + " AS u1, " + u2 + " AS u2"
            + " FROM range(" + rows + ") t(i)) ORDER BY cluster, post) TO '"
            + file.toAbsolutePath() + "'"
            + (file.toString().endsWith(".parquet") ? " (FORMAT parquet)" : " (HEADER, DELIMITER ',')");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      s.execute(sql);
      System.out.printf(Locale.ROOT, "generated %s: %d rows, %d clusters in %.1f s%n", file, rows,
          clusters, (System.nanoTime() - t0) / 1e9);
    }
  }

  static void run(Path file, int repeats) throws Exception {
    double[] secs = new double[repeats];
    DidEstimate e = null;
    DiffInDiff did = DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < repeats; r++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      try (DataSource src = DataSource.ofFile(file)) {
        e = DidAnalysis.twoByTwo(src, did, "y", "treated", "post", "cluster").result();
      }
      secs[r] = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - c0) / 1e9;
      System.out.printf(Locale.ROOT, "loupe run %d: %.3f s (process CPU %.3f s)%n", r + 1, secs[r],
          cpu);
    }
    double[] sorted = secs.clone();
    Arrays.sort(sorted);
    double median = repeats % 2 == 1 ? sorted[repeats / 2]
        : 0.5 * (sorted[repeats / 2 - 1] + sorted[repeats / 2]);
    System.out.printf(Locale.ROOT, "loupe median_s=%.3f estimate=%.17g std_error=%.17g n_obs=%d"
        + " n_clusters=%d%n", median, e.estimate(), e.stdError(), e.nObs(), e.nClusters());
  }
}
