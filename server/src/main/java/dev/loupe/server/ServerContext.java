package dev.loupe.server;

import dev.loupe.lake.IngestService;
import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.LoupeConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * What route modules get from the server: configuration, the collector, the clock, the metric
 * registry, and the key checks.
 */
public record ServerContext(
    LoupeConfig config, IngestService ingest, Clock clock, MeterRegistry metrics) {

  /** Header carrying the write key (posting events). */
  public static final String WRITE_KEY_HEADER = "X-Loupe-Write-Key";
  /** Header carrying the read key (queries, dashboards). */
  public static final String READ_KEY_HEADER = "X-Loupe-Read-Key";

  public LakeLayout layout() {
    return config.layout();
  }

  /** Throws {@link UnauthorizedException} unless the request carries the write key. */
  public void requireWriteKey(Context ctx) {
    require(ctx, WRITE_KEY_HEADER, config.writeKey(), "write");
  }

  /** Throws {@link UnauthorizedException} unless the request carries the read key. */
  public void requireReadKey(Context ctx) {
    require(ctx, READ_KEY_HEADER, config.readKey(), "read");
  }

  private static void require(Context ctx, String header, String key, String what) {
    String given = ctx.header(header);
    if (given == null) {
      String auth = ctx.header("Authorization");
      if (auth != null && auth.startsWith("Bearer ")) {
        given = auth.substring(7).trim();
      }
    }
    if (given == null || given.isEmpty()) {
      throw new UnauthorizedException("the " + what + " key is missing: send it in the "
          + header + " header");
    }
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        key.getBytes(StandardCharsets.UTF_8))) {
      throw new UnauthorizedException("the " + header + " header does not hold the " + what
          + " key");
    }
  }
}
