package dev.loupe.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * JDBC values as JSON: numbers stay numbers (NaN and infinities become null), timestamps become
 * ISO-8601 UTC text ending in Z (the lake's timestamps are UTC), everything else its text.
 */
final class JsonValues {

  private JsonValues() {}

  static JsonNode of(ObjectMapper json, Object v) {
    JsonNodeFactory f = json.getNodeFactory();
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
    return f.textNode(text(v));
  }

  static String text(Object v) {
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
