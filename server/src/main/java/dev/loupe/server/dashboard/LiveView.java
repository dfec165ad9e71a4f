package dev.loupe.server.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.lake.live.IngestMinute;
import dev.loupe.lake.live.LiveAggregates;
import dev.loupe.lake.live.LiveMetrics;
import dev.loupe.lake.live.MinuteCount;
import dev.loupe.lake.live.UniqueEstimate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code GET /v1/metrics/live} (schema {@code LiveMetrics} in openapi.json): the live
 * aggregates of the last {@code minutes} minutes, today's totals and the ingestion gauges.
 */
final class LiveView {

  static final int DEFAULT_MINUTES = 60;
  static final int MAX_MINUTES = 1440;

  private LiveView() {}

  static int parseMinutes(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_MINUTES;
    }
    int m;
    try {
      m = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("minutes must be an integer from 1 to " + MAX_MINUTES + " but was '" + text + "'");
    }
    if (m < 1 || m > MAX_MINUTES) {
      throw new IllegalArgumentException("minutes must be an integer from 1 to " + MAX_MINUTES + " but was " + m);
    }
    return m;
  }

  /**
   * Builds the response. The window is the {@code minutes} UTC minutes ending with the current
   * (partial) one; {@code flushLag} is the collector's age of the oldest acknowledged event not yet
   * in the lake.
   */
  static ObjectNode build(ObjectMapper json, LiveMetrics live, int minutes, Duration flushLag) {
    Instant now = live.clock().instant();
    Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Instant from = to.minus(Duration.ofMinutes(minutes));
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = dayStart.plus(Duration.ofDays(1));

    record Snapshot(
        List<MinuteCount> series,
        List<IngestMinute> ingest,
        long events,
        UniqueEstimate users,
        long todayEvents,
        UniqueEstimate todayUsers,
        List<String> types) {}
    Snapshot s =
        live.read(
            a ->
                new Snapshot(
                    a.minutes(from, to),
                    a.ingestion(from, to),
                    a.events(from, to, null),
                    a.uniqueUsers(from, to, null),
                    a.events(dayStart, dayEnd, null),
                    a.uniqueUsers(dayStart, dayEnd, null),
                    a.eventTypes()));

    ObjectNode root = json.createObjectNode();
    root.put("generated_at", now.toString());
    ObjectNode window = root.putObject("window");
    window.put("from", from.toString());
    window.put("to", to.toString());
    window.put("minutes", minutes);
    ObjectNode hll = root.putObject("hll");
    hll.put("lg_k", LiveAggregates.LG_K);
    hll.put("relative_standard_error", LiveAggregates.RELATIVE_STANDARD_ERROR);

    ObjectNode totals = root.putObject("totals");
    totals.put("events", s.events());
    users(totals, s.users());
    ObjectNode day = root.putObject("today");
    day.put("date", today.toString());
    day.put("events", s.todayEvents());
    users(day, s.todayUsers());

    long accepted = 0;
    long rejected = 0;
    long lagSum = 0;
    long lagMax = 0;
    Map<String, Long> reasons = new TreeMap<>();
    ArrayNode ingestSeries = json.createArrayNode();
    for (IngestMinute m : s.ingest()) {
      accepted += m.accepted();
      rejected += m.rejected();
      lagSum += m.lagSumMillis();
      lagMax = Math.max(lagMax, m.lagMaxMillis());
      m.rejectedByReason().forEach((r, n) -> reasons.merge(r, n, Long::sum));
      ObjectNode o = ingestSeries.addObject();
      o.put("minute", m.minute().toString());
      o.put("accepted", m.accepted());
      o.put("rejected", m.rejected());
      o.put("event_lag_ms_mean", m.meanLagMillis());
    }
    ObjectNode ingestion = root.putObject("ingestion");
    ingestion.put("events_per_second", live.eventsPerSecond());
    ingestion.put("accepted_in_window", accepted);
    ingestion.put("rejected_in_window", rejected);
    ingestion.put("rejection_rate", accepted + rejected == 0 ? 0.0 : (double) rejected / (accepted + rejected));
    ingestion.put("event_lag_ms_mean", accepted == 0 ? 0.0 : (double) lagSum / accepted);
    ingestion.put("event_lag_ms_max", lagMax);
    ingestion.put("flush_lag_ms", flushLag.toMillis());
    ingestion.put("accepted_since_start", live.acceptedSinceStart());
    ingestion.put("rejected_since_start", live.rejectedSinceStart());

    ArrayNode types = root.putArray("event_types");
    s.types().forEach(types::add);
    ArrayNode series = root.putArray("series");
    for (MinuteCount c : s.series()) {
      ObjectNode o = series.addObject();
      o.put("minute", c.minute().toString());
      o.put("event_type", c.eventType());
      o.put("events", c.events());
      o.put("unique_users", c.uniqueUsers());
    }
    root.set("ingest_series", ingestSeries);
    ArrayNode rej = root.putArray("rejections");
    reasons.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> rej.addObject().put("reason", e.getKey()).put("count", e.getValue()));
    return root;
  }

  private static void users(ObjectNode o, UniqueEstimate u) {
    o.put("unique_users", u.estimate());
    o.put("unique_users_lower", u.lowerBound());
    o.put("unique_users_upper", u.upperBound());
  }
}
