package dev.loupe.cli;

import dev.loupe.lake.LoupeConfig;
import dev.loupe.server.DemoStream;
import dev.loupe.server.LoupeServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loupe serve}: the collector and the HTTP API, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the Loupe server: POST /v1/events, GET /metrics, GET /health, and every feature's"
          + " routes. Events are acknowledged once in the fsync'ed write-ahead log and reach the"
          + " Parquet lake under DIR/events within the flush interval.",
      "Stop with Ctrl-C: acknowledged events are flushed to the lake first."
    })
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
  int port;

  @Option(names = "--demo",
      description = "Feed the server a synthetic stream of product events (history, then live).")
  boolean demo;

  @Option(names = "--write-key", defaultValue = "${env:LOUPE_WRITE_KEY:-loupe-dev-write-key}",
      description = "Key for X-Loupe-Write-Key (default: $LOUPE_WRITE_KEY or loupe-dev-write-key).")
  String writeKey;

  @Option(names = "--read-key", defaultValue = "${env:LOUPE_READ_KEY:-loupe-dev-read-key}",
      description = "Key for X-Loupe-Read-Key (default: $LOUPE_READ_KEY or loupe-dev-read-key).")
  String readKey;

  @Option(names = "--flush-interval", defaultValue = "PT2S",
      description = "Longest wait before acknowledged events are in Parquet, ISO-8601 duration"
          + " (default: ${DEFAULT-VALUE}).")
  Duration flushInterval;

  @Option(names = "--dedup-window", defaultValue = "P7D",
      description = "How long event ids are remembered (default: ${DEFAULT-VALUE}).")
  Duration dedupWindow;

  @Option(names = "--retention", defaultValue = "P730D",
      description = "How long events are kept (default: ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(names = "--max-event-types", defaultValue = "1000",
      description = "Most distinct event types the lake takes; an event of a new type beyond it is"
          + " rejected (default: ${DEFAULT-VALUE}).")
  int maxEventTypes;

  @Mixin DataDirOption dataDir;
  @Spec CommandSpec spec;

  /** The configuration these options describe. */
  LoupeConfig config() {
    LoupeConfig d = LoupeConfig.withDefaults();
    try {
      return d.withDataDir(dataDir.path())
          .withPort(port)
          .withKeys(writeKey, readKey)
          .withFlushInterval(flushInterval)
          .withRetention(retention)
          .withDedup(dedupWindow, d.dedupMaxIds())
          .withMaxEventTypes(maxEventTypes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(optionNames(e.getMessage()), e);
    }
  }

  /** LoupeConfig names its settings (flushInterval); the user typed options (--flush-interval). */
  static String optionNames(String message) {
    // LoupeConfig's messages start with the setting's name; only that word is the user's option
    // (the rest may quote the value given, which must stay as it was)
    java.util.Map<String, String> options = java.util.Map.of("flushInterval", "--flush-interval",
        "dedupWindow", "--dedup-window", "writeKey", "--write-key", "readKey", "--read-key",
        "retention", "--retention", "port", "--port", "maxEventTypes", "--max-event-types");
    int space = message.indexOf(' ');
    String first = space < 0 ? message : message.substring(0, space);
    String option = options.get(first);
    return option == null ? message : option + message.substring(first.length());
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoupeConfig config = config();
    LoupeServer server = LoupeServer.builder(config)
        .modules(LoupeServer.standardModules())
        .start();
    DemoStream demoStream = demo ? DemoStream.start(server, Clock.systemUTC(), 42L) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (demoStream != null) {
        demoStream.close();
      }
      server.close();
      stopped.countDown();
    }, "loupe-shutdown"));
    out.println("Loupe is listening on " + server.uri() + " (data: " + config.dataDir() + ")");
    out.println("  dashboard:    " + server.uri() + "/dashboard");
    out.println("  send events:  curl -X POST " + server.uri() + "/v1/events -H '"
        + "X-Loupe-Write-Key: " + config.writeKey() + "' --data-binary @events.ndjson");
    out.println("  query:        ./loupe sql --data-dir " + config.dataDir()
        + " \"SELECT event_type, count(*) FROM events GROUP BY 1\"");
    if (demo) {
      out.println("  demo:         writing a synthetic history, then a live stream");
    }
    if (config.writeKey().equals(LoupeConfig.DEFAULT_WRITE_KEY)
        || config.readKey().equals(LoupeConfig.DEFAULT_READ_KEY)) {
      err.println("loupe: warning: using the default development keys; set --write-key and"
          + " --read-key (or LOUPE_WRITE_KEY, LOUPE_READ_KEY) before exposing this server");
    }
    out.flush();
    err.flush();
    stopped.await();
    return Loupe.EXIT_OK;
  }
}
