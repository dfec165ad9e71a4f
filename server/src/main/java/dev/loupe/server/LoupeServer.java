package dev.loupe.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.events.BodyTooLargeException;
import dev.loupe.events.EventCodec;
import dev.loupe.lake.IngestService;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.lake.OverloadedException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Loupe HTTP server: a Javalin app around one {@link IngestService}.
 *
 * <p>Core routes: {@code POST /v1/events} (write key), {@code GET /health}, {@code GET
 * /metrics} (Prometheus text). Features add theirs as {@link RouteModule}s; those that
 * {@code loupe serve} mounts are listed in {@link #standardModules()}.
 *
 * <p>Exceptions become statuses here and nowhere else: {@link IllegalArgumentException} 400
 * (including malformed bodies), {@link BodyTooLargeException} 413, {@link UnauthorizedException}
 * 401, {@link OverloadedException} 503 with Retry-After, a failed write-ahead log 503, anything
 * else 500, an unknown endpoint 404. Error bodies are {@code {"error": "…", "status": n}}, also for
 * requests Jetty refuses before any route sees them ({@link JsonErrorHandler}).
 */
public final class LoupeServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LoupeServer.class.getName());

  private final Javalin app;
  private final ServerContext context;
  private final List<RouteModule> modules;

  private LoupeServer(Javalin app, ServerContext context, List<RouteModule> modules) {
    this.app = app;
    this.context = context;
    this.modules = List.copyOf(modules);
  }

  /** A builder for a server over {@code config}'s data directory. */
  public static Builder builder(LoupeConfig config) {
    return new Builder(config);
  }

  /**
   * The route modules {@code loupe serve} mounts besides the core routes. Each feature adds its
   * module here, one per line.
   */
  public static List<RouteModule> standardModules() {
    return List.of(
        new QueryRoutes(),
        dev.loupe.server.dashboard.DashboardRoutes.withDefaults());
  }

  /** Builds and starts a server. */
  public static final class Builder {
    private final LoupeConfig config;
    private Clock clock = Clock.systemUTC();
    private final List<RouteModule> modules = new ArrayList<>();

    private Builder(LoupeConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Builder module(RouteModule m) {
      modules.add(Objects.requireNonNull(m, "module"));
      return this;
    }

    public Builder modules(List<RouteModule> ms) {
      ms.forEach(this::module);
      return this;
    }

    /**
     * Opens the collector (replaying any write-ahead log left by a killed process) and starts
     * listening.
     */
    public LoupeServer start() throws IOException {
      IngestService ingest = IngestService.open(config, clock);
      try {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.bind(registry, ingest);
        ServerContext context = new ServerContext(config, ingest, clock, registry);
        Javalin app = Javalin.create(cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.jetty.port = config.port();
          cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
          errors(cfg.routes);
          new IngestRoutes().register(cfg.routes, context);
          cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4")
              .result(registry.scrape()));
          for (RouteModule m : modules) {
            m.register(cfg.routes, context);
          }
        });
        app.start(config.port());
        return new LoupeServer(app, context, modules);
      } catch (RuntimeException e) {
        ingest.close();
        closeModules(modules);
        throw e;
      }
    }
  }

  private static void errors(io.javalin.config.RoutesConfig routes) {
    routes.exception(BodyTooLargeException.class, (e, ctx) -> error(ctx, 413, e.getMessage()));
    routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    routes.exception(UnauthorizedException.class, (e, ctx) -> error(ctx, 401, e.getMessage()));
    routes.exception(OverloadedException.class, (e, ctx) -> {
      ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
      error(ctx, 503, e.getMessage());
    });
    routes.exception(UncheckedIOException.class, (e, ctx) -> {
      ctx.header("Retry-After", "5");
      error(ctx, 503, e.getMessage());
    });
    routes.exception(NotFoundResponse.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.log(Level.WARNING, "request " + ctx.method() + " " + ctx.path() + " failed", e);
      error(ctx, 500, "internal error: " + e);
    });
  }

  /** 405 for a GET of an endpoint that takes POST only, with {@code Allow: POST}. */
  static void postOnly(Context ctx) {
    ctx.header("Allow", "POST");
    error(ctx, 405, ctx.path() + " takes POST (with the body described in /openapi.json), not GET");
  }

  static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(JsonErrorHandler.body(status, message));
  }

  /** Writes a JSON response. */
  public static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(EventCodec.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return app.port();
  }

  public URI uri() {
    return URI.create("http://localhost:" + port());
  }

  public ServerContext context() {
    return context;
  }

  public IngestService ingest() {
    return context.ingest();
  }

  /** Stops serving, then writes every acknowledged event to the lake and releases the data. */
  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      try {
        context.ingest().close();
      } finally {
        closeModules(modules);
      }
    }
  }

  private static void closeModules(List<RouteModule> modules) {
    for (int i = modules.size() - 1; i >= 0; i--) {
      try {
        modules.get(i).close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing route module " + modules.get(i).getClass().getName() + " failed", e);
      }
    }
  }
}
