package dev.loupe.bench;

import dev.loupe.server.QueryRoutes;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.dashboard.DashboardRoutes;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The server side of {@link DashboardBench}, run in its own JVM: {@code DashboardBenchServer
 * DATA_DIR PORT on|off} starts Loupe with (on) or without (off) the dashboard and its live
 * aggregation, prints "ready PORT" and runs until its standard input closes.
 */
public final class DashboardBenchServer {

  private DashboardBenchServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    boolean dashboard = args[2].equals("on");
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir).withPort(port);
    LoupeServer.Builder b = LoupeServer.builder(config);
    if (dashboard) {
      b.module(new QueryRoutes()).module(DashboardRoutes.withDefaults());
    }
    LoupeServer server = b.start();
    System.out.println("ready " + server.port());
    System.out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // wait for the parent to close our input
        }
      } catch (java.io.IOException ignored) {
        // parent gone
      }
      done.countDown();
    });
    watcher.setDaemon(true);
    watcher.start();
    done.await();
    server.close();
  }
}
