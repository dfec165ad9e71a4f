package dev.loupe.lake;

import static dev.loupe.lake.TestLake.body;
import static dev.loupe.lake.TestLake.event;
import static dev.loupe.lake.TestLake.eventIds;
import static dev.loupe.lake.TestLake.parquetFiles;
import static dev.loupe.lake.TestLake.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.events.MalformedBodyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestServiceTest {

  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir Path dir;

  TestLake.MutableClock clock = new TestLake.MutableClock(NOW);

  @Test
  void ingest_newEventTypeBeyondTheLimit_rejectedAndTheLimitSurvivesARestart() throws Exception {
    LoupeConfig config = TestLake.config(dir).withMaxEventTypes(2);
    try (IngestService s = IngestService.open(config, clock)) {
      IngestResult r = s.ingest(body(
          event("a", "click", "2026-11-26T10:00:00Z"),
          event("b", "view", "2026-11-25T10:00:00Z"),
          event("c", "view_item_123", "2026-11-26T10:00:00Z"),
          event("d", "click", "2026-11-24T10:00:00Z")), "test");
      assertThat(r.accepted()).isEqualTo(3);
      assertThat(r.rejected()).singleElement().satisfies(x -> {
        assertThat(x.index()).isEqualTo(2);
        assertThat(x.field()).isEqualTo("event_type");
        assertThat(x.reason()).isEqualTo("event_type 'view_item_123' would be a new event type, but the lake"
            + " already holds 2, the limit (maxEventTypes 2); use one of the existing types and put the detail"
            + " in properties");
      });
      s.flush();
    }
    // the types are read back from the lake's directories
    try (IngestService s = IngestService.open(config, clock)) {
      IngestResult r = s.ingest(body(event("e", "other", "2026-11-26T11:00:00Z"),
          event("f", "view", "2026-11-26T11:00:00Z")), "test");
      assertThat(r.accepted()).isEqualTo(1);
      assertThat(r.rejected()).extracting(x -> x.field()).containsExactly("event_type");
    }
    try (IngestService s = IngestService.open(config.withMaxEventTypes(3), clock)) {
      assertThat(s.ingest(body(event("g", "other", "2026-11-26T12:00:00Z")), "test").accepted()).isEqualTo(1);
    }
  }

  @Test
  void readWhileMaintenancePaused_flushWaitsUntilTheReadEnds() throws Exception {
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      s.ingest(body(event("a", "click", "2026-11-26T10:00:00Z")), "test");
      CountDownLatch reading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> read = CompletableFuture.supplyAsync(
          () -> s.readWhileMaintenancePaused(() -> {
            reading.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return Thread.currentThread().getName();
          }));
      assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> flush = CompletableFuture.runAsync(s::flush);
      Thread.sleep(300);
      Path events = TestLake.config(dir).layout().events();
      // the flush would publish a file: it waits for the read
      assertThat(flush).isNotDone();
      assertThat(Files.exists(events) ? parquetFiles(events) : List.of()).isEmpty();
      release.countDown();
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("loupe-lake-maintenance");
      flush.get(10, TimeUnit.SECONDS);
      assertThat(parquetFiles(events)).hasSize(1);
    }
  }

  @Test
  void readWhileMaintenancePaused_holdsTheRewriteLock_andCompactionWaitsForOtherReaders() throws Exception {
    LoupeConfig config = TestLake.config(dir).withCompaction(3, 1L << 20);
    LakeLayout lake = config.layout();
    try (IngestService s = IngestService.open(config, clock)) {
      for (int i = 0; i < 3; i++) {
        s.ingest(body(event("r" + i, "click", "2026-11-26T10:00:0" + i + "Z")), "t");
        s.flush();
      }
      Path partition = lake.events().resolve("event_date=2026-11-26/event_type=click");
      List<Path> files = parquetFiles(partition);
      // a rewrite (dedup --apply here or in another process) cannot commit during the read
      boolean committed = s.readWhileMaintenancePaused(() -> {
        FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", files);
        Files.writeString(r.temp(), "x");
        return commitFromAnotherThread(r);
      });
      assertThat(committed).isFalse();
      assertThat(parquetFiles(partition)).isEqualTo(files);
      // a reader elsewhere (a CLI report) makes compaction wait for its next round, without blocking
      try (FileReplacement.Reading reading = FileReplacement.lockForReading(lake)) {
        CompletableFuture.runAsync(s::compact).get(10, TimeUnit.SECONDS);
        assertThat(parquetFiles(partition)).isEqualTo(files);
        assertThat(s.stats().compactions()).isZero();
      }
      s.compact();
      assertThat(parquetFiles(partition)).hasSize(1);
      assertThat(s.stats().compactions()).isEqualTo(1);
    }
    assertThat(eventIds(lake)).containsExactly("r0", "r1", "r2");
  }

  private static boolean commitFromAnotherThread(FileReplacement.Replacement r) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return r.commitUnlessBusy();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readWhileMaintenancePaused_readFailure_reachesTheCaller() throws Exception {
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      assertThatThrownBy(() -> s.readWhileMaintenancePaused(() -> {
        throw new SQLException("no such table: t");
      })).hasMessageContaining("no such table: t");
      assertThatThrownBy(() -> s.readWhileMaintenancePaused(() -> {
        throw new IllegalArgumentException("date must be a closed UTC day");
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("date must be a closed UTC day");
    }
  }

  @Test
  void ingest_writesHivePartitionsReadableByDuckDb() throws Exception {
    LoupeConfig config = TestLake.config(dir);
    try (IngestService s = IngestService.open(config, clock)) {
      IngestResult r = s.ingest(body(
          event("a", "click", "2026-11-26T10:00:00Z"),
          event("b", "page_view", "2026-11-25T23:59:59.999999+00:00"),
          event("c", "click", "2026-11-26T00:30:00+01:00")), "test");
      assertThat(r).isEqualTo(new IngestResult(3, 0, List.of()));
      s.flush();
    }
    LakeLayout lake = config.layout();
    List<String> rel = parquetFiles(lake.events()).stream()
        .map(p -> lake.events().relativize(p.getParent()).toString()).toList();
    assertThat(rel).containsExactlyInAnyOrder(
        "event_date=2026-11-26/event_type=click",
        "event_date=2026-11-25/event_type=page_view",
        "event_date=2026-11-25/event_type=click");
    // event c happened at 2026-11-25T23:30Z: its partition follows the UTC date
    List<List<Object>> rows = query("SELECT event_id, user_id, event_type,"
        + " strftime(event_time, '%Y-%m-%dT%H:%M:%S.%f'), properties, received_at = TIMESTAMP"
        + " '2026-11-26 12:00:00', event_date::VARCHAR FROM " + TestLake.events(lake)
        + " ORDER BY 1");
    assertThat(rows).containsExactly(
        List.of("a", "u-a", "click", "2026-11-26T10:00:00.000000", "{\"n\":\"a\"}", true,
            "2026-11-26"),
        List.of("b", "u-b", "page_view", "2026-11-25T23:59:59.999999", "{\"n\":\"b\"}", true,
            "2026-11-25"),
        List.of("c", "u-c", "click", "2026-11-25T23:30:00.000000", "{\"n\":\"c\"}", true,
            "2026-11-25"));
    List<List<Object>> types = query("SELECT column_name, column_type FROM (DESCRIBE SELECT *"
        + " FROM read_parquet('" + parquetFiles(lake.events()).get(0) + "',"
        + " hive_partitioning = false))");
    assertThat(types).containsExactly(
        List.of("event_id", "VARCHAR"), List.of("user_id", "VARCHAR"),
        List.of("event_time", "TIMESTAMP"), List.of("properties", "VARCHAR"),
        List.of("received_at", "TIMESTAMP"));
    List<List<Object>> codec = query("SELECT DISTINCT compression FROM parquet_metadata('"
        + lake.events() + "/*/*/*.parquet')");
    assertThat(codec).containsExactly(List.of("ZSTD"));
  }

  @Test
  void ingest_duplicatesWithinAndAcrossBatches() throws Exception {
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      IngestResult first = s.ingest(body(event("a", "click", "2026-11-26T10:00:00Z"),
          event("a", "click", "2026-11-26T10:00:00Z"),
          event("b", "click", "2026-11-26T10:00:00Z")), "test");
      assertThat(first.accepted()).isEqualTo(2);
      assertThat(first.duplicates()).isEqualTo(1);
      IngestResult retry = s.ingest(body(event("b", "click", "2026-11-26T10:00:00Z"),
          event("c", "click", "2026-11-26T10:00:00Z")), "test");
      assertThat(retry.accepted()).isEqualTo(1);
      assertThat(retry.duplicates()).isEqualTo(1);
      s.flush();
      assertThat(s.stats().deduplicated()).isEqualTo(2);
    }
    assertThat(eventIds(LakeLayout.of(dir))).containsExactly("a", "b", "c");
  }

  @Test
  void ingest_retryAfterRestartAddsNothing() throws Exception {
    byte[] batch = body(event("r1", "click", "2026-11-26T10:00:00Z"),
        event("r2", "purchase", "2026-11-26T10:00:01Z"));
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      assertThat(s.ingest(batch, "test").accepted()).isEqualTo(2);
    }
    clock.set(NOW.plus(Duration.ofDays(6)));
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      IngestResult again = s.ingest(batch, "test");
      assertThat(again.accepted()).isZero();
      assertThat(again.duplicates()).isEqualTo(2);
    }
    assertThat(eventIds(LakeLayout.of(dir))).containsExactly("r1", "r2");
  }

  @Test
  void ingest_retryAfterTheDedupWindowIsNew() throws Exception {
    LoupeConfig config = TestLake.config(dir).withDedup(Duration.ofDays(7), 1_000_000);
    byte[] batch = body(event("w1", "click", "2026-11-26T10:00:00Z"));
    try (IngestService s = IngestService.open(config, clock)) {
      s.ingest(batch, "test");
    }
    // remembered for at least 7 days and at most 7 + 1 days
    clock.set(NOW.plus(Duration.ofDays(8)).plusSeconds(1));
    try (IngestService s = IngestService.open(config, clock)) {
      s.enforceRetention();
      assertThat(s.ingest(body(event("w1", "click", "2026-12-04T10:00:00Z")), "test").accepted())
          .isEqualTo(1);
    }
  }

  @Test
  void ingest_rejectionsGoToTheRejectedStore() throws Exception {
    LoupeConfig config = TestLake.config(dir);
    try (IngestService s = IngestService.open(config, clock)) {
      IngestResult r = s.ingest(body(event("ok", "click", "2026-11-26T10:00:00Z"),
          "{\"event_id\":\"x\",\"event_type\":\"click\",\"event_time\":\"2031-01-01T00:00:00Z\"}",
          "{nope"), "http");
      assertThat(r.accepted()).isEqualTo(1);
      assertThat(r.rejected()).extracting(x -> x.index() + ":" + x.field())
          .containsExactly("1:event_time", "2:(event)");
      s.flush();
    }
    LakeLayout lake = LakeLayout.of(dir);
    List<List<Object>> rows = query("SELECT batch_index, field, reason, raw, source,"
        + " received_date::VARCHAR FROM " + TestLake.rejected(lake) + " ORDER BY 1");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get(1)).isEqualTo("event_time");
    assertThat((String) rows.get(0).get(2)).contains("'2031-01-01T00:00:00Z' is more than 1 day");
    assertThat(rows.get(0).get(3)).isEqualTo(
        "{\"event_id\":\"x\",\"event_type\":\"click\",\"event_time\":\"2031-01-01T00:00:00Z\"}");
    assertThat(rows.get(1).subList(0, 2)).containsExactly(2, "(event)");
    assertThat(rows.get(1).get(3)).isEqualTo("{nope");
    assertThat(rows.get(1).subList(4, 6)).containsExactly("http", "2026-11-26");
  }

  @Test
  void ingest_malformedBodyStoresNothing() throws Exception {
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      assertThatThrownBy(() -> s.ingest("[{".getBytes(), "test"))
          .isInstanceOf(MalformedBodyException.class);
      assertThat(s.stats().received()).isZero();
    }
  }

  @Test
  void flush_happensWithinTheFlushInterval() throws Exception {
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir)
        .withFlushInterval(Duration.ofMillis(200));
    try (IngestService s = IngestService.open(config, java.time.Clock.systemUTC())) {
      String today = Instant.now().toString();
      s.ingest(body(event("f1", "click", today)), "test");
      assertThat(s.ingestionLag()).isPositive();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (eventIds(config.layout()).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(eventIds(config.layout())).containsExactly("f1");
      assertThat(s.ingestionLag()).isEqualTo(Duration.ZERO);
      assertThat(Files.list(config.layout().wal()).count()).isEqualTo(1); // the open segment
    }
  }

  @Test
  void ingest_overloadRejectsTheWholeBatchWithRetryAfter() throws Exception {
    LoupeConfig config = TestLake.config(dir).withLimits(4_096, 4_096);
    try (IngestService s = IngestService.open(config, clock)) {
      List<String> lines = new ArrayList<>();
      int accepted = 0;
      OverloadedException overloaded = null;
      for (int i = 0; i < 100 && overloaded == null; i++) {
        try {
          accepted += s.ingest(body(event("o" + i, "click", "2026-11-26T10:00:00Z")), "t").accepted();
          lines.add("o" + i);
        } catch (OverloadedException e) {
          overloaded = e;
        }
      }
      assertThat(overloaded).isNotNull();
      assertThat(overloaded.retryAfter()).isPositive();
      assertThat(overloaded.getMessage()).contains("over the limit of 4096");
      s.flush();
      assertThat(eventIds(config.layout())).hasSize(accepted);
      // after the flush the backlog is gone and the refused event is accepted
      assertThat(s.ingest(body(event("o-late", "click", "2026-11-26T10:00:00Z")), "t").accepted())
          .isEqualTo(1);
    }
  }

  @Test
  void addListener_seesEveryAcceptedBatch() throws Exception {
    List<IngestedBatch> seen = new CopyOnWriteArrayList<>();
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      s.addListener(seen::add);
      s.addListener(b -> {
        throw new IllegalStateException("a broken listener never fails the batch");
      });
      s.ingest(body(event("l1", "click", "2026-11-26T10:00:00Z"),
          event("l1", "click", "2026-11-26T10:00:00Z"), "{}"), "http");
    }
    assertThat(seen).hasSize(1);
    IngestedBatch b = seen.get(0);
    assertThat(b.accepted()).extracting(e -> e.eventId()).containsExactly("l1");
    assertThat(b.duplicates()).isEqualTo(1);
    assertThat(b.rejections()).extracting(r -> r.field()).containsExactly("event_id");
    assertThat(b.receivedAt()).isEqualTo(NOW);
    assertThat(b.source()).isEqualTo("http");
  }

  @Test
  void open_twiceOnOneDataDirectory() throws Exception {
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      assertThatThrownBy(() -> IngestService.open(TestLake.config(dir), clock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by another Loupe process");
    }
  }

  @Test
  void open_replaysASegmentWhoseFlushWasInterrupted() throws Exception {
    LakeLayout lake = LakeLayout.of(dir);
    Files.createDirectories(lake.wal());
    Instant at = NOW;
    var batch = new WalBatch(at, "http", List.of(
        new dev.loupe.events.Event("p1", null, "click", at, "{}", at),
        new dev.loupe.events.Event("p2", "u", "view", at, "{}", at)), List.of());
    Path segment = lake.wal().resolve("00000000000000000001.wal");
    Files.write(segment, WalCodec.encode(batch));
    // a previous process wrote the segment's Parquet but died before deleting the segment
    try (LakeWriter w = new LakeWriter(lake)) {
      w.write("00000000000000000001", List.of(batch));
    }
    assertThat(eventIds(lake)).containsExactly("p1", "p2");
    // and a torn record at the end of the segment (never acknowledged)
    Files.write(segment, new byte[] {0, 0, 1, 0, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
    try (IngestService s = IngestService.open(TestLake.config(dir), clock)) {
      assertThat(Files.exists(segment)).isFalse();
      assertThat(s.ingest(body(event("p1", "click", "2026-11-26T10:00:00Z")), "t").duplicates())
          .isEqualTo(1);
    }
    assertThat(eventIds(lake)).containsExactly("p1", "p2");
  }

  @Test
  void compact_mergesSmallFilesWithoutLosingOrDoublingRows() throws Exception {
    LoupeConfig config = TestLake.config(dir).withCompaction(3, 1L << 20);
    LakeLayout lake = config.layout();
    try (IngestService s = IngestService.open(config, clock)) {
      for (int i = 0; i < 5; i++) {
        s.ingest(body(event("k" + i, "click", "2026-11-26T10:00:0" + i + "Z"),
            event("q" + i, "click", "2026-11-24T10:00:00Z")), "t");
        s.flush();
      }
      Path partition = lake.events().resolve("event_date=2026-11-26/event_type=click");
      assertThat(parquetFiles(partition)).hasSize(5);
      s.compact();
      List<Path> after = parquetFiles(partition);
      assertThat(after).hasSize(1);
      assertThat(after.get(0).getFileName().toString()).startsWith("c-");
      assertThat(s.stats().compactions()).isEqualTo(2);
    }
    List<String> ids = eventIds(lake);
    assertThat(ids).hasSize(10).doesNotHaveDuplicates();
    assertThat(query("SELECT list(event_id ORDER BY event_time) FROM " + TestLake.events(lake)
        + " WHERE event_date = DATE '2026-11-26'").get(0).get(0).toString())
        .isEqualTo("[k0, k1, k2, k3, k4]");
  }

  @Test
  void open_finishesAnInterruptedCompaction() throws Exception {
    LoupeConfig config = TestLake.config(dir);
    LakeLayout lake = config.layout();
    try (IngestService s = IngestService.open(config, clock)) {
      s.ingest(body(event("m1", "click", "2026-11-26T10:00:00Z")), "t");
      s.flush();
      s.ingest(body(event("m2", "click", "2026-11-26T10:00:00Z")), "t");
      s.flush();
    }
    Path partition = lake.events().resolve("event_date=2026-11-26/event_type=click");
    List<Path> sources = parquetFiles(partition);
    // simulate a crash after the merged file was renamed, before the sources were deleted
    Path target = partition.resolve("c-test.parquet");
    TestLake.execute("COPY (SELECT * FROM read_parquet(['" + sources.get(0) + "', '" + sources.get(1)
        + "'], hive_partitioning = false)) TO '" + target + "' (FORMAT parquet)");
    Path intents = lake.state().resolve("compaction");
    Files.createDirectories(intents);
    Files.write(intents.resolve("test.intent"), List.of(target.toString(),
        partition.resolve(".c-test.parquet.tmp").toString(), sources.get(0).toString(),
        sources.get(1).toString(), "end"));
    assertThat(eventIds(lake)).containsExactly("m1", "m1", "m2", "m2");
    try (IngestService s = IngestService.open(config, clock)) {
      assertThat(parquetFiles(partition)).containsExactly(target);
    }
    assertThat(eventIds(lake)).containsExactly("m1", "m2");
    assertThat(Files.list(intents).count()).isZero();
  }

  @Test
  void enforceRetention_deletesPartitionsOlderThanTheRetention() throws Exception {
    LoupeConfig config = TestLake.config(dir).withRetention(Duration.ofDays(30))
        .withDedup(Duration.ofDays(7), 1_000_000);
    LakeLayout lake = config.layout();
    try (IngestService s = IngestService.open(config, clock)) {
      s.ingest(body(event("old", "click", "2026-11-01T10:00:00Z"),
          event("mid", "click", "2026-11-10T10:00:00Z"),
          event("new", "click", "2026-11-26T10:00:00Z"), "{bad"), "t");
      s.flush();
    }
    clock.set(Instant.parse("2026-12-05T12:00:00Z")); // oldest kept date: 2026-11-05
    try (IngestService s = IngestService.open(config, clock)) {
      s.enforceRetention();
      assertThat(s.ingest(body(event("late", "click", "2026-11-04T10:00:00Z")), "t").rejected())
          .extracting(r -> r.field()).containsExactly("event_time");
      s.flush();
    }
    assertThat(eventIds(lake)).containsExactly("mid", "new");
    assertThat(Files.exists(lake.events().resolve("event_date=2026-11-01"))).isFalse();
    assertThat(query("SELECT count(*) FROM " + TestLake.rejected(lake)).get(0).get(0))
        .isEqualTo(2L);
    clock.set(Instant.parse("2026-12-27T00:00:00Z")); // oldest kept date: 2026-11-27
    try (IngestService s = IngestService.open(config, clock)) {
      s.enforceRetention();
    }
    // the rejections received on 2026-11-26 expire, those of 2026-12-05 stay
    assertThat(parquetFiles(lake.rejected()))
        .extracting(p -> p.getParent().getFileName().toString())
        .containsExactly("received_date=2026-12-05");
  }
}
