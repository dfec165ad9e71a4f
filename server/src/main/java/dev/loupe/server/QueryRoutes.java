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

/**
 * {@code POST /v1/query} (read key): one read-only SQL query over the lake's views, run in a
 * fresh {@link SqlSandbox} per request.
 *
 * <p>Request: {@code {"sql": "SELECT …", "max_rows": n}} ({@code max_rows} optional, 0 to 10,000,
 * default 10,000), or the SQL itself as {@code text/plain}. Response 200: {@code {"columns": […],
 * "rows": [[…], …], "truncated": bool}}; timestamps are ISO-8601 text, lists are arrays. A
 * refused or failing query is a 400 whose {@code error} says why.
 */
public final class QueryRoutes implements RouteModule {

  @Override
  public void register(RoutesConfig routes, ServerContext context) {
    routes.post("/v1/query", ctx -> query(ctx, context));
  }

  private static void query(Context ctx, ServerContext context) throws IOException {
    context.requireReadKey(ctx);
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
        if (!m.canConvertToInt() || m.asInt() < 0 || m.asInt() > SqlSandbox.DEFAULT_MAX_ROWS) {
          throw new IllegalArgumentException("max_rows must be an integer from 0 to "
              + SqlSandbox.DEFAULT_MAX_ROWS + " but was " + m);
        }
        maxRows = m.asInt();
      }
    }
    QueryResult r;
    try (SqlSandbox sandbox = SqlSandbox.open(context.layout())) {
      r = sandbox.query(sql, maxRows);
    } catch (SQLException e) {
      throw new IllegalArgumentException("query failed: " + e.getMessage().strip(), e);
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
    LoupeServer.json(ctx, 200, out);
  }
}
