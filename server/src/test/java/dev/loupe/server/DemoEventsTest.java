package dev.loupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.Event;
import dev.loupe.events.EventValidator;
import dev.loupe.events.InvalidEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DemoEventsTest {

  static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  static List<ObjectNode> sessions(long seed, int n) {
    DemoEvents demo = DemoEvents.create(new SplittableRandom(seed), 30_000);
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.addAll(demo.session(T.plusSeconds(60L * i)));
    }
    return out;
  }

  @Test
  void session_isDeterministicForASeed() {
    assertThat(sessions(7, 50)).isEqualTo(sessions(7, 50));
    assertThat(sessions(7, 50)).isNotEqualTo(sessions(8, 50));
  }

  @Test
  void session_eventsAreValidWithSegmentsAndAFunnel() {
    EventValidator v = EventValidator.withDefaults();
    Map<String, Integer> types = new HashMap<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> platformOf = new HashMap<>();
    for (ObjectNode e : sessions(1, 2_000)) {
      Event ev = v.validate(e, T.plus(Duration.ofDays(1)));
      assertThat(ids.add(ev.eventId())).as("unique id %s", ev.eventId()).isTrue();
      types.merge(ev.eventType(), 1, Integer::sum);
      var props = e.get("properties");
      assertThat(DemoEvents.COUNTRIES).contains(props.get("country").asText());
      assertThat(DemoEvents.PLATFORMS).contains(props.get("platform").asText());
      String before = platformOf.putIfAbsent(ev.userId(), props.get("platform").asText());
      assertThat(before == null || before.equals(props.get("platform").asText())).isTrue();
      if (ev.eventType().equals("purchase")) {
        assertThat(props.get("revenue").asDouble()).isPositive();
      }
    }
    assertThat(types.keySet()).contains("page_view", "click", "add_to_cart", "purchase", "share",
        "search");
    assertThat(types.get("page_view")).isGreaterThan(types.get("add_to_cart"));
    assertThat(types.get("add_to_cart")).isGreaterThan(types.get("purchase"));
    assertThat(platformOf).hasSizeGreaterThan(1_000);
  }

  @Test
  void malformed_isRejectedWithAReason() {
    DemoEvents demo = DemoEvents.create(new SplittableRandom(3), 100);
    EventValidator v = EventValidator.withDefaults();
    Set<String> fields = new HashSet<>();
    for (ObjectNode e : demo.session(T)) {
      for (int i = 0; i < 20; i++) {
        try {
          v.validate(demo.malformed(e), T);
        } catch (InvalidEventException x) {
          fields.add(x.field());
          continue;
        }
        throw new AssertionError("malformed event was accepted");
      }
    }
    assertThat(fields).containsExactlyInAnyOrder("event_type", "event_time", "properties");
  }
}
