package dev.loupe.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  /** An event's JSON up to its properties' value, which a test appends (then the closing brace). */
  private static final String PROPERTIES_AT =
      "{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\","
          + "\"properties\":";

  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  final EventValidator validator = EventValidator.withDefaults();

  static JsonNode json(String s) throws Exception {
    return EventCodec.mapper().readTree(s);
  }

  Event valid(String s) throws Exception {
    return validator.validate(json(s), NOW);
  }

  void rejects(String s, String field, String... messageParts) throws Exception {
    JsonNode node = json(s);
    assertThatThrownBy(() -> validator.validate(node, NOW))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void validate_completeEvent() throws Exception {
    Event e = valid("{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"page.view\","
        + "\"event_time\":\"2026-11-26T13:04:05.1234567+01:00\",\"properties\":{\"a\":[1,2]},"
        + "\"received_at\":\"1999-01-01T00:00:00Z\",\"extra\":1}");
    assertThat(e.eventId()).isEqualTo("e1");
    assertThat(e.userId()).isEqualTo("u1");
    assertThat(e.eventType()).isEqualTo("page.view");
    // UTC, truncated to microseconds
    assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-11-26T12:04:05.123456Z"));
    assertThat(e.properties()).isEqualTo("{\"a\":[1,2]}");
    // received_at comes from the server, never from the client
    assertThat(e.receivedAt()).isEqualTo(NOW);
  }

  @Test
  void validate_optionalFieldsAbsent() throws Exception {
    Event e = valid("{\"event_id\":\"e1\",\"event_type\":\"click\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}");
    assertThat(e.userId()).isNull();
    assertThat(e.properties()).isEqualTo("{}");
  }

  @Test
  void validate_integerUserIdKeptAsText() throws Exception {
    assertThat(valid("{\"event_id\":\"e\",\"user_id\":12345678901234,\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}").userId()).isEqualTo("12345678901234");
  }

  @Test
  void validate_notAnObject() throws Exception {
    rejects("[1,2]", "(event)", "event must be a JSON object but was an array");
    rejects("42", "(event)", "event must be a JSON object but was a number ('42')");
  }

  @Test
  void validate_eventIdRules() throws Exception {
    rejects("{\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"}", "event_id",
        "event_id is required");
    rejects("{\"event_id\":7,\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_id", "event_id must be a string but was a number ('7')");
    rejects("{\"event_id\":\"\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_id", "event_id '' must have 1 to 128 characters but has 0");
    rejects("{\"event_id\":\"" + "x".repeat(129) + "\",\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}", "event_id", "but has 129");
    rejects("{\"event_id\":\"a\\nb\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_id", "event_id 'a\\u000ab' must not contain control characters");
  }

  @Test
  void validate_loneSurrogatesRejected() throws Exception {
    rejects("{\"event_id\":\"a\\ud800\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_id", "must be valid Unicode (it holds a lone surrogate)");
    rejects("{\"event_id\":\"a\",\"user_id\":\"\\udc00x\",\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}", "user_id", "lone surrogate");
    assertThat(valid("{\"event_id\":\"\\ud83d\\ude00\",\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}").eventId()).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void validate_userIdRules() throws Exception {
    rejects("{\"event_id\":\"e\",\"user_id\":1.5,\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}", "user_id",
        "user_id must be a string, an integer or null but was a number ('1.5')");
    rejects("{\"event_id\":\"e\",\"user_id\":\"\",\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}", "user_id", "must have 1 to 256 characters");
  }

  @Test
  void validate_eventTypeRules() throws Exception {
    rejects("{\"event_id\":\"e\",\"event_time\":\"2026-11-26T11:00:00Z\"}", "event_type",
        "event_type is required");
    rejects("{\"event_id\":\"e\",\"event_type\":\"../etc\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_type", "event_type '../etc' must be 1 to 64 characters from [A-Za-z0-9_.-]");
    rejects("{\"event_id\":\"e\",\"event_type\":\"a/b\",\"event_time\":\"2026-11-26T11:00:00Z\"}",
        "event_type", "'a/b'");
    rejects("{\"event_id\":\"e\",\"event_type\":\"" + "a".repeat(65) + "\","
        + "\"event_time\":\"2026-11-26T11:00:00Z\"}", "event_type", "1 to 64 characters");
  }

  @Test
  void validate_eventTimeRules() throws Exception {
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\"}", "event_time", "event_time is required");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":1764158400}", "event_time",
        "must be an ISO-8601 string with offset", "a number ('1764158400')");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00\"}",
        "event_time", "event_time '2026-11-26T11:00:00' is not ISO-8601 with an offset");
    // a right shape with an impossible field says which field
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-02-30T11:00:00Z\"}",
        "event_time", "event_time '2026-02-30T11:00:00Z' is not ISO-8601 with an offset (e.g. 2026-11-26T15:04:05Z"
            + " or 2026-11-26T16:04:05+01:00): Invalid date 'FEBRUARY 30'");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-13-26T11:00:00Z\"}",
        "event_time", "'2026-13-26T11:00:00Z'", "): Invalid value for MonthOfYear (valid values 1 - 12): 13");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00+25:00\"}",
        "event_time", "'2026-11-26T11:00:00+25:00' is not ISO-8601 with an offset (e.g. 2026-11-26T15:04:05Z"
            + " or 2026-11-26T16:04:05+01:00)");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-27T12:00:01Z\"}",
        "event_time", "is more than 1 day after its reception at 2026-11-26T12:00:00Z",
        "event_time <= 2026-11-27T12:00:00Z");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2024-11-26T11:59:59Z\"}",
        "event_time", "is older than the retention of 730 days",
        "event_time >= 2024-11-26T12:00:00Z");
  }

  @Test
  void validate_timeLimitsAreInclusive() throws Exception {
    assertThat(valid("{\"event_id\":\"e\",\"event_type\":\"c\","
        + "\"event_time\":\"2026-11-27T12:00:00Z\"}").eventTime())
        .isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
    assertThat(valid("{\"event_id\":\"e\",\"event_type\":\"c\","
        + "\"event_time\":\"2024-11-26T12:00:00Z\"}").eventTime())
        .isEqualTo(Instant.parse("2024-11-26T12:00:00Z"));
  }

  @Test
  void validate_propertiesRules() throws Exception {
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\","
        + "\"properties\":\"a=b\"}", "properties",
        "properties must be a JSON object but was a string ('a=b')");
    rejects("{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T11:00:00Z\","
        + "\"properties\":{\"k\":\"" + "v".repeat(70_000) + "\"}}", "properties",
        "more than the limit of 65536");
  }

  @Test
  void rules_invalidValuesNamed() {
    assertThatThrownBy(() -> new EventRules(java.time.Duration.ofDays(-1),
        java.time.Duration.ofDays(1), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFutureSkew must be >= 0 but was PT-24H");
  }

  @Test
  void validate_propertiesNumberBeyondDouble_rejectedNotStoredAsInfinity() throws Exception {
    rejects(PROPERTIES_AT + "{\"revenue\":1e400}}", "properties",
        "properties.revenue is a number beyond the range of a double",
        "at most 1.7976931348623157E308");
    rejects(PROPERTIES_AT + "{\"a\":{\"b c\":[1, -1e999]}}}", "properties",
        "properties.a['b c'][1] is a number beyond the range of a double");
    // the streaming path says the same
    List<RawEvent> batch = EventCodec.create(1 << 20).parse(
        (PROPERTIES_AT + "{\"revenue\":1e400}}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> validator.validate(batch.get(0), NOW))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("properties.revenue is a number beyond the range of a double");
    // the largest double and a huge integer are kept as sent
    assertThat(valid(PROPERTIES_AT + "{\"a\":1.7976931348623157E308,\"b\":99999999999999999999}}").properties())
        .isEqualTo("{\"a\":1.7976931348623157E308,\"b\":99999999999999999999}");
  }

  @Test
  void validate_propertiesLoneSurrogate_rejectedNotStoredAsQuestionMark() throws Exception {
    rejects(PROPERTIES_AT + "{\"a\":[\"ok\",\"x\\ud800\"]}}", "properties",
        "properties.a[1] must be valid Unicode (it holds a lone surrogate)");
    rejects(PROPERTIES_AT + "{\"n\":{\"\\udc00\":1}}}", "properties",
        "a key of properties.n must be valid Unicode (it holds a lone surrogate)");
    // a pair is fine
    assertThat(valid(PROPERTIES_AT + "{\"a\":\"\\ud83d\\ude00\"}}").properties()).isEqualTo("{\"a\":\"\ud83d\ude00\"}");
  }
}
