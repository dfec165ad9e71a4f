package dev.loupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.EventCodec;
import dev.loupe.sql.QueryResult;
import dev.loupe.sql.SqlSandbox;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /v1/query[?format=json|csv]} (read key): one read-only SQL query over the lake's
 * views, run in a fresh {@link SqlSandbox} per request. The dashboard's SQL console uses it too.
 *
 * <p>Request: {@code {"sql": "SELECT …", "max_rows": n}} ({@code max_rows} optional, 0 to 10,000,
 * default 10,000), or the SQL itself as {@code text/plain}. Response 200: {@code {"columns": […],
 * "rows": [[…], …], "truncated": bool, "elapsed_ms": n}}; timestamps are ISO-8601 text, lists are
 * arrays. With {@code format=csv} the same rows come as an RFC 4180 CSV attachment. A refused or
 * failing query, or a result over {@link #MAX_RESULT_CHARS}, is a 400 whose {@code error} says why.
 */
public final class QueryRoutes implements RouteModule {

  /**
   * Most characters of one answer (text values by length, other values as 16): a larger result
   * is a 400, so one query cannot exhaust the memory the collector needs.
   */
  static final long MAX_RESULT_CHARS = 32L << 20;

  @Override
  public void register(RoutesConfig routes, ServerContext context) {
    routes.post("/v1/query", ctx -> query(ctx, context));
    routes.get("/v1/query", ctx -> LoupeServer.postOnly(ctx));
  }

  private static void query(Context ctx, ServerContext context) throws IOException {
    context.requireReadKey(ctx);
    String format = Optional.ofNullable(ctx.queryParam("format")).orElse("json").toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("csv")) {
      throw new IllegalArgumentException("format must be json or csv but was '" + ctx.queryParam("format") + "'");
    }
    String sql;
    int maxRows = SqlSandbox.DEFAULT_MAX_ROWS;
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (type.startsWith("text/plain")) {
      sql = ctx.body();
    } else {
      JsonNode body;
      try {
        body = EventCodec.mapper().readTree(ctx.bodyAsBytes());
      } catch (IOException e) {
        throw new IllegalArgumentException("body must be JSON {\"sql\": \"SELECT …\"} or text/plain SQL: " + e.getMessage());
      }
      if (body == null || !body.isObject() || !body.path("sql").isTextual()) {
        throw new IllegalArgumentException("body must be a JSON object with a text field \"sql\"");
      }
      sql = body.get("sql").asText();
      if (body.has("max_rows")) {
        JsonNode m = body.get("max_rows");
        if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 0 || m.asInt() > SqlSandbox.DEFAULT_MAX_ROWS) {
          throw new IllegalArgumentException("max_rows must be an integer from 0 to "
              + SqlSandbox.DEFAULT_MAX_ROWS + " but was " + m);
        }
        maxRows = m.asInt();
      }
    }
    long start = System.nanoTime();
    QueryResult r;
    try (SqlSandbox sandbox = SqlSandbox.open(context.layout())) {
      r = sandbox.query(sql, maxRows, MAX_RESULT_CHARS);
    } catch (SQLException e) {
      throw new IllegalArgumentException("query failed: " + e.getMessage().strip(), e);
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    if (format.equals("csv")) {
      ctx.contentType("text/csv; charset=utf-8");
      ctx.header("Content-Disposition", "attachment; filename=\"loupe-query.csv\"");
      ctx.result(Csv.of(r));
      return;
    }
    ObjectNode out = EventCodec.mapper().createObjectNode();
    ArrayNode columns = out.putArray("columns");
    r.columns().forEach(columns::add);
    ArrayNode rows = out.putArray("rows");
    for (List<Object> row : r.rows()) {
      ArrayNode a = rows.addArray();
      for (Object v : row) {
        a.add(JsonValues.of(EventCodec.mapper(), v));
      }
    }
    out.put("truncated", r.truncated());
    out.put("elapsed_ms", elapsedMs);
    LoupeServer.json(ctx, 200, out);
  }
}
