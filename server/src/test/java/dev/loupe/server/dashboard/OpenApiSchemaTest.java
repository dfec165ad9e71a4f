package dev.loupe.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The validator the API tests rely on must reject what the schema forbids. */
class OpenApiSchemaTest {

  final ObjectMapper json = new ObjectMapper();

  @Test
  void validate_wrongValues_areReported() throws Exception {
    OpenApiSchema s = OpenApiSchema.load();
    JsonNode ok = json.readTree("{\"metric_date\":\"2026-11-25\",\"user_segment\":\"ios\",\"event_type\":\"click\",\"total_events\":3,\"unique_users\":2}");
    assertThat(s.validate(ok, "DailyReportRow")).isEmpty();

    JsonNode bad = json.readTree("{\"metric_date\":\"25.11.2026\",\"user_segment\":null,\"event_type\":\"click\",\"total_events\":0,\"extra\":1}");
    assertThat(s.validate(bad, "DailyReportRow"))
        .containsExactlyInAnyOrder(
            "$: missing required property unique_users",
            "$.metric_date: '25.11.2026' is not a date",
            "$.user_segment: null but not nullable",
            "$.total_events: 0 < minimum 1",
            "$: unexpected property extra");
    assertThat(s.validate(json.readTree("{\"status\":\"maybe\"}"), "DailyReport"))
        .contains("$.status: \"maybe\" not in [\"written\",\"computed\",\"no_data\"]");
  }

  @Test
  void openApiFile_everyRefResolvesAndEveryKeywordIsKnown() throws Exception {
    OpenApiSchema s = OpenApiSchema.load();
    assertThat(s.root().path("openapi").asText()).startsWith("3.");
    assertThat(s.lint()).isEmpty();
    assertThat(s.root().path("paths").has("/v1/metrics/live")).isTrue();
    assertThat(s.root().path("paths").has("/v1/reports/daily")).isTrue();
  }

  @Test
  void lint_unknownKeywordAndDanglingRef_areReported() throws Exception {
    OpenApiSchema s = OpenApiSchema.of(json.readTree(
        "{\"components\":{\"schemas\":{\"A\":{\"type\":\"object\",\"properties\":{\"x\":{\"oneOf\":[]},\"y\":{\"$ref\":\"#/components/schemas/Nope\"}}}}}}"));
    assertThat(s.lint()).containsExactlyInAnyOrder(
        "A.x: unknown keyword oneOf",
        "$.components.schemas.A.properties.y: dangling $ref #/components/schemas/Nope");
  }
}
