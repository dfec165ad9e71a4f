package dev.loupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.BodyTooLargeException;
import dev.loupe.events.EventCodec;
import dev.loupe.events.Rejection;
import dev.loupe.lake.IngestResult;
import dev.loupe.lake.IngestStats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /v1/events} (write key) and {@code GET /health}.
 *
 * <p>Response to a readable batch: 200 with {@code {"accepted": n, "duplicates": d,
 * "rejected": [{"index": i, "field": f, "reason": r}, …]}}, sent after the accepted events and
 * the rejections are in the fsync'ed write-ahead log.
 */
final class IngestRoutes implements RouteModule {

  @Override
  public void register(RoutesConfig routes, ServerContext context) {
    routes.post("/v1/events", ctx -> ingest(ctx, context));
    routes.get("/v1/events", ctx -> LoupeServer.postOnly(ctx));
    routes.get("/health", ctx -> health(ctx, context));
  }

  private static void ingest(Context ctx, ServerContext context) throws IOException {
    context.requireWriteKey(ctx);
    byte[] body = readBody(ctx, context.config().maxBodyBytes());
    IngestResult r = context.ingest().ingest(body, "http");
    ObjectNode out = EventCodec.mapper().createObjectNode();
    out.put("accepted", r.accepted());
    out.put("duplicates", r.duplicates());
    ArrayNode rejected = out.putArray("rejected");
    for (Rejection rej : r.rejected()) {
      rejected.addObject().put("index", rej.index()).put("field", rej.field())
          .put("reason", rej.reason());
    }
    LoupeServer.json(ctx, 200, out);
  }

  /** Bytes read and discarded past the limit, so the client gets its 413 instead of a reset. */
  static final long DRAIN_BYTES = 8L << 20;

  private static byte[] readBody(Context ctx, long max) throws IOException {
    String length = ctx.header("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Content-Length '" + length + "' is not a number");
      }
    }
    InputStream in = ctx.req().getInputStream();
    if (declared > max) {
      drain(in, max + DRAIN_BYTES);
      throw new BodyTooLargeException(max);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
    byte[] chunk = new byte[65_536];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) > 0) {
      total += n;
      if (total > max) {
        drain(in, max + DRAIN_BYTES - total);
        throw new BodyTooLargeException(max);
      }
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  private static void drain(InputStream in, long atMost) throws IOException {
    byte[] chunk = new byte[65_536];
    long left = atMost;
    int n;
    while (left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
      left -= n;
    }
  }

  private static void health(Context ctx, ServerContext context) {
    IngestStats s = context.ingest().stats();
    boolean ok = context.ingest().healthy();
    ObjectNode out = EventCodec.mapper().createObjectNode();
    out.put("status", ok ? "ok" : "failing");
    out.put("ingestion_lag_seconds", s.ingestionLag().toMillis() / 1000.0);
    out.put("wal_bytes", s.walBytes());
    out.put("events_accepted", s.accepted());
    LoupeServer.json(ctx, ok ? 200 : 503, out);
  }
}
