package dev.loupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.sql.SqlValues;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * JDBC values as JSON, for every HTTP answer that carries query results: numbers stay numbers
 * (NaN and infinities become null), timestamps become ISO-8601 UTC text ending in Z (the lake's
 * timestamps are UTC), lists become JSON arrays, structs and maps JSON objects, BLOBs and
 * infinite dates text (see {@link SqlValues}), everything else its text.
 */
public final class JsonValues {

  private JsonValues() {}

  public static JsonNode of(ObjectMapper json, Object jdbcValue) {
    return node(json.getNodeFactory(), SqlValues.plain(jdbcValue));
  }

  /** A plain value (see {@link SqlValues#plain}) as JSON. */
  private static JsonNode node(JsonNodeFactory f, Object v) {
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return f.numberNode(((Number) v).longValue());
    }
    if (v instanceof BigInteger b) {
      return f.numberNode(b);
    }
    if (v instanceof BigDecimal b) {
      return f.numberNode(b);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? f.numberNode(d) : f.nullNode();
    }
    if (v instanceof List<?> list) {
      ArrayNode out = f.arrayNode();
      for (Object o : list) {
        out.add(node(f, o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode out = f.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.set(String.valueOf(e.getKey()), node(f, e.getValue()));
      }
      return out;
    }
    return f.textNode(plainText(v));
  }

  /** The text of a value in CSV and in JSON strings. */
  public static String text(Object jdbcValue) {
    return plainText(SqlValues.plain(jdbcValue));
  }

  private static String plainText(Object v) {
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
    }
    if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toString();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    return v.toString();
  }
}
