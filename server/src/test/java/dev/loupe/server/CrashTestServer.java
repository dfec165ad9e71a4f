package dev.loupe.server;

import dev.loupe.lake.LoupeConfig;
import java.nio.file.Path;
import java.time.Duration;

/** The child process of {@link CrashRecoveryTest}: a server on a free port until killed. */
public final class CrashTestServer {

  private CrashTestServer() {}

  public static void main(String[] args) throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(Path.of(args[0])).withPort(0)
        .withFlushInterval(Duration.ofMillis(300));
    LoupeServer server = LoupeServer.builder(config).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
