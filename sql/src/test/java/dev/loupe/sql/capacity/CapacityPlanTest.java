package dev.loupe.sql.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.Event;
import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.report.DailyReportTest;
import dev.loupe.sql.report.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityPlanTest {

  @TempDir Path dir;

  @Test
  void plan_seedAssumptions_reproduceSeedStep5() {
    // Seed SD1 step 5: 5B events/day, 500 B, 5x compression, 2 years, $0.023/GB-month:
    // ~58,000 events/s, 2.5 TB/day raw, 500 GB/day compressed, ~365 TB, ~$8,400/month.
    CapacityPlan p = new CapacityPlan(5e9, 500, 730, 0.023, 5, "seed", 250_000, "test", 3);
    assertThat(p.eventsPerSecond()).isCloseTo(57_870.37, within(0.01));
    assertThat(p.rawBytesPerDay()).isEqualTo(2.5e12);
    assertThat(p.storedBytesPerDay()).isEqualTo(5e11);
    assertThat(p.storedBytesTotal()).isEqualTo(3.65e14);
    assertThat(p.monthlyCost()).isCloseTo(8_395.0, within(1e-6));
    assertThat(p.nodes()).isEqualTo(1); // 173,611 events/s at peak < 250,000
    assertThat(new CapacityPlan(5e9, 500, 730, 0.023, 5, "seed", 50_000, "test", 3).nodes()).isEqualTo(4);
  }

  @Test
  void plan_badInputs_nameFieldValueAndRule() {
    assertThatThrownBy(() -> new CapacityPlan(Double.NaN, 500, 730, 0.023, 5, "s", 1, "n", 3))
        .hasMessage("events per day must be a finite number > 0 but was NaN");
    assertThatThrownBy(() -> new CapacityPlan(5e9, -1, 730, 0.023, 5, "s", 1, "n", 3))
        .hasMessage("event bytes must be a finite number > 0 but was -1.0");
    assertThatThrownBy(() -> new CapacityPlan(5e9, 500, 0, 0.023, 5, "s", 1, "n", 3))
        .hasMessage("retention must be at least 1 day but was 0 days");
    assertThatThrownBy(() -> new CapacityPlan(5e9, 500, 730, Double.POSITIVE_INFINITY, 5, "s", 1, "n", 3))
        .hasMessage("price per GB-month must be a finite number >= 0 but was Infinity");
    assertThatThrownBy(() -> new CapacityPlan(5e9, 500, 730, 0.023, 5, "s", 1, "n", 0.5))
        .hasMessage("peak factor must be a finite number >= 1 but was 0.5");
  }

  @Test
  void measure_lake_matchesJsonAndFileSizesComputedInJava() throws Exception {
    LakeLayout layout = LakeLayout.of(dir);
    List<Event> events = DailyReportTest.events(5).subList(0, 5_000);
    TestLake.write(layout, events, "part-0.parquet");

    LakeFootprint f = LakeFootprint.measure(layout, 1_000).orElseThrow();

    ObjectMapper json = new ObjectMapper();
    DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    double raw = 0;
    for (Event e : events) {
      ObjectNode o = json.createObjectNode();
      o.put("event_id", e.eventId());
      o.put("user_id", e.userId());
      o.put("event_type", e.eventType());
      o.put("event_time", iso.format(e.eventTime()));
      o.set("properties", json.readTree(e.properties()));
      raw += json.writeValueAsString(o).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    long bytes;
    try (Stream<Path> s = Files.walk(layout.events())) {
      bytes = s.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(f.events()).isEqualTo(events.size());
    assertThat(f.rawBytesPerEvent()).isCloseTo(raw / events.size(), within(0.01));
    assertThat(f.storedBytesPerEvent()).isCloseTo((double) bytes / events.size(), within(1e-9));
    assertThat(f.compressionRatio()).isGreaterThan(1);
  }

  @Test
  void measure_emptyLake_isEmpty() {
    assertThat(LakeFootprint.measure(LakeLayout.of(dir), 10)).isEmpty();
    assertThatThrownBy(() -> LakeFootprint.measure(LakeLayout.of(dir), 0))
        .hasMessage("maxFiles must be at least 1 but was 0");
  }

  @Test
  void ingestionBenchmark_readsFirstFigureOfIngestionSection() throws Exception {
    String md = "# Benchmarks\n\n## Sessions\n\n900,000 events/s sessionized\n\n"
        + "## Ingestion over HTTP\n\nSustained: **312,400 events/s** (median of 3), Appender 1.2M rows/s\n\n"
        + "## Other\n\n1 events/s\n";
    assertThat(IngestionBenchmark.parse(md)).contains(312_400.0);
    assertThat(IngestionBenchmark.parse("## Ingestion\n\nabout 0.3M events/s\n")).contains(300_000.0);
    assertThat(IngestionBenchmark.parse("## Ingestion\n\n| sustained, before | 92,500 events/s |\n"
        + "Per node, for planning: 236,600 events/s.\n")).contains(236_600.0);
    assertThat(IngestionBenchmark.parse("## Ingestion\n\nTarget: 250,000 events/s.\n\n| max sustained | 181,500 events/s |\n"))
        .contains(181_500.0);
    assertThat(IngestionBenchmark.parse("## Ingestion\n\nnot measured yet\n## Next\n5 events/s")).isEmpty();
    assertThat(IngestionBenchmark.parse("## Sessions\n\n5 events/s")).isEmpty();
    assertThat(IngestionBenchmark.read(dir.resolve("missing.md"))).isEmpty();
  }
}
