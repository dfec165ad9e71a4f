package dev.loupe.server;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP routes. Javalin 7 takes routes while the app is configured, so each feature
 * registers its routes (and, through {@link ServerContext#ingest()}, its ingest listeners) here:
 *
 * <pre>{@code
 * public final class DashboardRoutes implements RouteModule {
 *   public void register(RoutesConfig routes, ServerContext ctx) {
 *     ctx.ingest().addListener(aggregates);
 *     routes.get("/v1/dashboard", c -> { ctx.requireReadKey(c); ... });
 *   }
 * }
 * }</pre>
 *
 * Errors: throw {@link IllegalArgumentException} (400), {@link UnauthorizedException} (401);
 * {@link LoupeServer} maps exceptions to statuses in one place.
 */
@FunctionalInterface
public interface RouteModule {

  void register(RoutesConfig routes, ServerContext context);

  /**
   * Releases what {@link #register} opened (threads, state to save). {@link LoupeServer#close()}
   * calls it after the collector has closed, so no batch arrives any more. Default: nothing.
   */
  default void close() {}
}
