package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.lake.IngestService;
import dev.loupe.lake.LakeLayout;
import dev.loupe.lake.LoupeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views over what the collector writes; the escapes are tried in {@link SqlSandboxTest}. */
class SqlSandboxViewsTest {

  @TempDir Path dir;

  @Test
  void open_emptyLakeGivesEmptyViewsWithTheLakeColumns() throws Exception {
    Files.createDirectories(dir);
    try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(dir))) {
      QueryResult events = sql.query("SELECT * FROM events");
      assertThat(events.columns()).containsExactly("event_id", "user_id", "event_type",
          "event_time", "properties", "received_at", "event_date");
      assertThat(events.rows()).isEmpty();
      assertThat(sql.query("SELECT column_type FROM (DESCRIBE events)").rows())
          .extracting(r -> r.get(0))
          .containsExactly("VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP", "VARCHAR", "TIMESTAMP",
              "DATE");
      assertThat(sql.query("SELECT * FROM rejected").columns()).containsExactly("received_at",
          "source", "batch_index", "field", "reason", "raw", "received_date");
    }
  }

  @Test
  void query_readsEventsAndRejectionsWrittenByTheCollector() throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir);
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    try (IngestService s = IngestService.open(config, clock)) {
      s.ingest(("{\"event_id\":\"a\",\"user_id\":\"u\",\"event_type\":\"click\","
          + "\"event_time\":\"2026-11-26T10:00:00Z\",\"properties\":{\"country\":\"DE\"}}\n"
          + "{\"event_id\":\"b\",\"event_type\":\"view\",\"event_time\":\"2026-11-25T10:00:00Z\"}\n"
          + "{\"event_id\":\"c\"}\n").getBytes(StandardCharsets.UTF_8), "http");
    }
    try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(dir))) {
      QueryResult r = sql.query("SELECT event_id, event_type, event_date::VARCHAR,"
          + " properties->>'country' FROM events ORDER BY 1");
      assertThat(r.rows()).containsExactly(List.of("a", "click", "2026-11-26", "DE"),
          java.util.Arrays.asList("b", "view", "2026-11-25", null));
      assertThat(sql.query("SELECT batch_index, field FROM rejected").rows())
          .containsExactly(List.of(2, "event_type"));
    }
  }

  @Test
  void query_seesFilesWrittenAndRemovedAfterOpening() throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir);
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    try (IngestService s = IngestService.open(config, clock)) {
      s.ingest(("{\"event_id\":\"a\",\"event_type\":\"click\",\"event_time\":"
          + "\"2026-11-26T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8), "http");
      s.flush();
      try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(dir))) {
        // another file arrives and the first one goes away after the views were made
        s.ingest(("{\"event_id\":\"b\",\"event_type\":\"click\",\"event_time\":"
            + "\"2026-11-26T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8), "http");
        s.flush();
        Path first;
        try (var files = Files.walk(dir.resolve("events"))) {
          first = files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst()
              .orElseThrow();
        }
        Files.delete(first);
        assertThat(sql.query("SELECT event_id FROM events").rows())
            .containsExactly(List.of("b"));
      }
    }
  }

  @Test
  void refresh_emptyLakeViewsSeeFilesAfterARefresh() throws Exception {
    try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(dir))) {
      try (IngestService s = IngestService.open(LoupeConfig.withDefaults().withDataDir(dir),
          Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC))) {
        s.ingest(("{\"event_id\":\"a\",\"event_type\":\"click\",\"event_time\":"
            + "\"2026-11-26T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8), "http");
      }
      assertThat(sql.query("SELECT count(*) FROM events").rows()).containsExactly(List.of(0L));
      sql.refresh();
      assertThat(sql.query("SELECT count(*) FROM events").rows()).containsExactly(List.of(1L));
    }
  }

  @Test
  void query_cannotReadOutsideTheLakeNorUnlockTheSandbox() throws Exception {
    Path outside = Files.writeString(dir.resolveSibling(dir.getFileName() + "-secret.csv"), "a\n1\n");
    Path lake = Files.createDirectories(dir.resolve("lake"));
    try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(lake))) {
      assertThatThrownBy(() -> sql.query("SELECT * FROM read_csv('" + outside + "')"))
          .isInstanceOf(QueryRefusedException.class)
          .hasMessageStartingWith("the query reaches " + outside + ", outside the lake");
      assertThatThrownBy(() -> sql.query("SET enable_external_access = true"))
          .isInstanceOf(QueryRefusedException.class)
          .hasMessage("SET is refused: the sandbox's settings are fixed");
      assertThatThrownBy(() -> sql.query("COPY (SELECT 1) TO '" + outside + "'"))
          .isInstanceOf(QueryRefusedException.class)
          .hasMessageStartingWith("COPY is refused");
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void open_missingDataDirectory() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> SqlSandbox.open(LakeLayout.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data directory " + missing + " does not exist");
  }

  @Test
  void query_emptyText() throws Exception {
    try (SqlSandbox sql = SqlSandbox.open(LakeLayout.of(dir))) {
      assertThatThrownBy(() -> sql.query("  "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("query is empty");
    }
  }
}
