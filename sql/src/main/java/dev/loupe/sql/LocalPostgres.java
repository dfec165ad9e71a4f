package dev.loupe.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server started from the machine's own binaries ({@code initdb}, {@code
 * pg_ctl}) in a temporary directory, listening on a free loopback port. Used by tests and
 * benchmarks to run Loupe's PostgreSQL dialect against a real server.
 *
 * <p>Binaries are looked up in {@code $LOUPE_PG_BIN}, then {@code /usr/lib/postgresql/<newest>/bin}
 * (Debian's {@code postgresql} package), then the {@code PATH}. PostgreSQL refuses to run as root;
 * when the JVM runs as root the server runs as the {@code postgres} system user (created by the
 * Debian package) through {@code runuser}, in a directory owned by that user.
 *
 * <p>The server trusts local connections (user {@code postgres}, database {@code postgres}); never
 * use it for anything but throwaway data. {@link #close()} stops it and deletes its directory.
 */
public final class LocalPostgres implements AutoCloseable {

  private final Path binDir;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final boolean keep;
  private boolean stopped;

  private LocalPostgres(Path binDir, Path dir, int port, boolean asPostgresUser, boolean keep) {
    this.binDir = binDir;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.keep = keep;
  }

  /**
   * Initializes and starts a new server.
   *
   * @throws IllegalStateException if no PostgreSQL binaries exist on this machine (install the
   *     Debian package {@code postgresql}), or the server does not start
   */
  public static LocalPostgres start() {
    try {
      return start(Files.createTempDirectory("loupe-pg-"), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a server whose files live in {@code dir} and are kept when it stops: the first call
   * initializes the directory, later calls start the same server again with its data (benchmarks
   * load large tables once). {@link #close()} stops the server cleanly and leaves the directory.
   *
   * @throws IllegalStateException as {@link #start()}
   */
  public static LocalPostgres startIn(Path dir) {
    try {
      Files.createDirectories(dir);
      return start(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static LocalPostgres start(Path dir, boolean keep) {
    Path bin = findBinaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      if (root) {
        run(List.of("chown", "postgres:postgres", dir.toString()), 30);
      }
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      LocalPostgres pg = new LocalPostgres(bin, dir, port, root, keep);
      if (!keep || !Files.exists(dir.resolve("data").resolve("PG_VERSION"))) {
        pg.exec(
          List.of(
              bin.resolve("initdb").toString(),
              "-D", dir.resolve("data").toString(),
              "-U", "postgres",
              "-A", "trust",
              "-E", "UTF8",
              "--locale=C",
              "--no-sync"),
          120);
      }
      String opts =
          "-p " + port
              + " -h 127.0.0.1 -k " + dir
              + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
              + " -c shared_buffers=256MB -c work_mem=256MB -c max_wal_size=4GB"
              + " -c max_parallel_workers_per_gather=2 -c TimeZone=UTC";
      pg.exec(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D", dir.resolve("data").toString(),
              "-l", dir.resolve("server.log").toString(),
              "-o", opts,
              "-w", "-t", "60",
              "start"),
          90);
      Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly, "loupe-pg-stop"));
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL from " + bin + ": " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of the {@code postgres} database on this server. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /** The directory holding the server's {@code psql} and friends. */
  public Path binDir() {
    return binDir;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  @Override
  public void close() {
    stopQuietly();
  }

  private synchronized void stopQuietly() {
    // once only: with keep, a later server may run in the same directory after this one stopped
    if (stopped || !Files.exists(dir)) {
      return;
    }
    stopped = true;
    try {
      exec(
          List.of(
              binDir.resolve("pg_ctl").toString(),
              "-D", dir.resolve("data").toString(),
              "-m", keep ? "fast" : "immediate",
              "-w",
              "stop"),
          keep ? 600 : 60);
    } catch (RuntimeException | IOException e) {
      // the server may already be gone; the directory is removed below either way
    }
    if (keep) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }

  private void exec(List<String> command, int timeoutSeconds) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, timeoutSeconds);
  }

  private static void run(List<String> command, int timeoutSeconds) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "command failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n"
                + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  static Path findBinaries() {
    return findBinaries(System.getenv("LOUPE_PG_BIN"), Path.of("/usr/lib/postgresql"),
        System.getenv().getOrDefault("PATH", ""));
  }

  /** The first directory holding initdb: {@code env}, the newest {@code debian/<major>/bin}, the path. */
  static Path findBinaries(String env, Path debian, String path) {
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
      return Path.of(env);
    }
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(LocalPostgres::majorVersion))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String p : path.split(":")) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, "initdb"))) {
        return Path.of(p).toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries found (looked in $LOUPE_PG_BIN, " + debian + "/*/bin and"
            + " the PATH for initdb): install the Debian package 'postgresql'");
  }

  private static int majorVersion(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
