package dev.loupe.server.dashboard;

import dev.loupe.server.QueryRoutes;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.lake.live.LiveMetrics;
import dev.loupe.server.LoupeServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link DashboardCrashTest}: a server with the dashboard that saves its live
 * aggregates only every 10 minutes (so a kill loses them), on a free port, until killed.
 */
public final class DashboardCrashServer {

  private DashboardCrashServer() {}

  public static void main(String[] args) throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(Path.of(args[0])).withPort(0)
        .withFlushInterval(Duration.ofMillis(300));
    DashboardRoutes dashboard = DashboardRoutes.create(new DashboardRoutes.Settings(
        new LiveMetrics.Config(3, 90, Duration.ofMinutes(10)), "platform", Duration.ofMinutes(5), Duration.ofMinutes(10)));
    LoupeServer server = LoupeServer.builder(config).module(new QueryRoutes()).module(dashboard).start();
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
