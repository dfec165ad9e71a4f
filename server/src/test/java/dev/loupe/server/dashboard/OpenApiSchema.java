package dev.loupe.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks JSON values against the schemas of openapi.json: the subset of OpenAPI 3.0 schema
 * objects the file uses ($ref, allOf, type, nullable, required, properties,
 * additionalProperties: false, items, enum, format date and date-time, minimum, maximum,
 * minLength, pattern). A keyword the file uses but this class does not know fails the check, so
 * the file cannot silently outgrow its validator.
 */
final class OpenApiSchema {

  private static final java.util.Set<String> KNOWN =
      java.util.Set.of("$ref", "allOf", "type", "nullable", "required", "properties", "additionalProperties",
          "items", "enum", "format", "minimum", "maximum", "minLength", "pattern", "description", "default", "example");

  private final JsonNode root;

  private OpenApiSchema(JsonNode root) {
    this.root = root;
  }

  static OpenApiSchema load() throws IOException {
    try (InputStream in = OpenApiSchema.class.getResourceAsStream("/dev/loupe/server/dashboard/openapi.json")) {
      return new OpenApiSchema(new ObjectMapper().readTree(in));
    }
  }

  static OpenApiSchema of(JsonNode root) {
    return new OpenApiSchema(root);
  }

  JsonNode root() {
    return root;
  }

  /** Errors of {@code value} against components/schemas/{@code name}; empty when valid. */
  List<String> validate(JsonNode value, String name) {
    List<String> errors = new ArrayList<>();
    JsonNode schema = root.path("components").path("schemas").path(name);
    if (schema.isMissingNode()) {
      errors.add("no schema " + name);
      return errors;
    }
    check(value, schema, "$", errors);
    return errors;
  }

  /** Problems of the file itself: unknown schema keywords, dangling $refs anywhere. */
  List<String> lint() {
    List<String> errors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("components").path("schemas").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      lintSchema(e.getValue(), e.getKey(), errors);
    }
    lintRefs(root, "$", errors);
    return errors;
  }

  private void lintSchema(JsonNode s, String path, List<String> errors) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k)) {
        errors.add(path + ": unknown keyword " + k);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      lintSchema(e.getValue(), path + "." + e.getKey(), errors);
    }
    if (s.has("items")) {
      lintSchema(s.get("items"), path + "[]", errors);
    }
    for (JsonNode sub : s.path("allOf")) {
      lintSchema(sub, path + "(allOf)", errors);
    }
  }

  private void lintRefs(JsonNode n, String path, List<String> errors) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("$ref")) {
          try {
            resolve(e.getValue().asText());
          } catch (IllegalArgumentException ex) {
            errors.add(path + ": " + ex.getMessage());
          }
        } else {
          lintRefs(e.getValue(), path + "." + e.getKey(), errors);
        }
      }
    } else if (n.isArray()) {
      int i = 0;
      for (JsonNode c : n) {
        lintRefs(c, path + "[" + i++ + "]", errors);
      }
    }
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local $ref supported: " + ref);
    }
    JsonNode n = root;
    for (String part : ref.substring(2).split("/")) {
      n = n.path(part);
    }
    if (n.isMissingNode()) {
      throw new IllegalArgumentException("dangling $ref " + ref);
    }
    return n;
  }

  private void check(JsonNode v, JsonNode s, String path, List<String> errors) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k)) {
        errors.add(path + ": schema keyword '" + k + "' is not supported by this validator");
      }
    }
    if (s.has("$ref")) {
      check(v, resolve(s.get("$ref").asText()), path, errors);
      return;
    }
    if (s.has("allOf")) {
      for (JsonNode sub : s.get("allOf")) {
        check(v, sub, path, errors);
      }
    }
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean(false) && s.has("type")) {
        errors.add(path + ": null but not nullable");
      }
      return;
    }
    if (s.has("type") && !typeMatches(v, s.get("type").asText())) {
      errors.add(path + ": expected " + s.get("type").asText() + " but was " + v.getNodeType() + " " + v);
      return;
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v);
      }
      if (!found) {
        errors.add(path + ": " + v + " not in " + s.get("enum"));
      }
    }
    if (s.has("format") && v.isTextual()) {
      String f = s.get("format").asText();
      try {
        switch (f) {
          case "date" -> LocalDate.parse(v.asText());
          case "date-time" -> Instant.parse(v.asText());
          default -> errors.add(path + ": unknown format " + f);
        }
      } catch (DateTimeParseException e) {
        errors.add(path + ": '" + v.asText() + "' is not a " + f);
      }
    }
    if (s.has("minimum") && v.isNumber() && v.asDouble() < s.get("minimum").asDouble()) {
      errors.add(path + ": " + v + " < minimum " + s.get("minimum"));
    }
    if (s.has("maximum") && v.isNumber() && v.asDouble() > s.get("maximum").asDouble()) {
      errors.add(path + ": " + v + " > maximum " + s.get("maximum"));
    }
    if (s.has("minLength") && v.isTextual() && v.asText().length() < s.get("minLength").asInt()) {
      errors.add(path + ": shorter than " + s.get("minLength"));
    }
    if (s.has("pattern") && v.isTextual() && !Pattern.compile(s.get("pattern").asText()).matcher(v.asText()).find()) {
      errors.add(path + ": '" + v.asText() + "' does not match " + s.get("pattern").asText());
    }
    if (v.isObject()) {
      for (JsonNode r : s.path("required")) {
        if (!v.has(r.asText())) {
          errors.add(path + ": missing required property " + r.asText());
        }
      }
      JsonNode props = s.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (props.has(e.getKey())) {
          check(e.getValue(), props.get(e.getKey()), path + "." + e.getKey(), errors);
        } else if (s.has("additionalProperties") && !s.get("additionalProperties").asBoolean(true)) {
          errors.add(path + ": unexpected property " + e.getKey());
        }
      }
    }
    if (v.isArray() && s.has("items")) {
      int i = 0;
      for (JsonNode item : v) {
        check(item, s.get("items"), path + "[" + i++ + "]", errors);
      }
    }
  }

  private static boolean typeMatches(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> false;
    };
  }
}
