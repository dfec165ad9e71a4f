package dev.loupe.lake;

import dev.loupe.events.EventRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of a Loupe process, in one place, with its default and its rule. Immutable: the
 * {@code with…} methods return a validated copy. {@link #settings()} lists the settings with
 * their documentation (docs/ingestion.md shows the same table).
 *
 * @param dataDir the data directory (lake, write-ahead log, state); default {@code ./loupe-data}
 * @param port HTTP port, 0 to 65535 (0 picks a free port); default 8080
 * @param writeKey the key clients send in {@code X-Loupe-Write-Key} to post events
 * @param readKey the key clients send in {@code X-Loupe-Read-Key} to read (query) data
 * @param dedupWindow how long an event_id is remembered: a retry within it adds nothing; default
 *     7 days; at least 1 minute and at most the retention
 * @param dedupMaxIds most event ids held in memory; beyond it the oldest ids are forgotten early
 *     (the effective window shrinks, see {@code loupe_dedup_window_seconds}); default 20 million
 * @param flushInterval longest time an acknowledged event waits before it is written to Parquet;
 *     default 2 s, from 100 ms to 1 min
 * @param retention events whose event_date is older than this are deleted, and new events older
 *     than this are rejected; default 730 days (2 years), at least 1 day
 * @param maxFutureSkew events whose event_time is further in the future are rejected; default 1 day
 * @param maxBodyBytes largest request body (after gzip decompression); default 16 MiB
 * @param maxUnflushedBytes write-ahead log bytes not yet in the lake above which new batches get
 *     503 with Retry-After (back-pressure); default 512 MiB
 * @param compactionMinFiles a partition is compacted when it holds at least this many small
 *     files; default 8, at least 2
 * @param compactionSmallFileBytes files smaller than this count as small; default 32 MiB
 * @param maxEventTypes most distinct event types in the lake (each is a directory per day); an
 *     event of a new type beyond it is rejected; default 1,000, from 1 to 100,000
 */
public record LoupeConfig(
    Path dataDir,
    int port,
    String writeKey,
    String readKey,
    Duration dedupWindow,
    long dedupMaxIds,
    Duration flushInterval,
    Duration retention,
    Duration maxFutureSkew,
    long maxBodyBytes,
    long maxUnflushedBytes,
    int compactionMinFiles,
    long compactionSmallFileBytes,
    int maxEventTypes) {

  /** The development write key; {@code loupe serve} warns when it is in use. */
  public static final String DEFAULT_WRITE_KEY = "loupe-dev-write-key";
  /** The development read key; {@code loupe serve} warns when it is in use. */
  public static final String DEFAULT_READ_KEY = "loupe-dev-read-key";

  /** One documented setting: its name, default and rule. */
  public record Setting(String name, String defaultValue, String rule, String doc) {}

  public LoupeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    check(port >= 0 && port <= 65_535, "port", port, "must be in 0..65535");
    checkKey("writeKey", writeKey);
    checkKey("readKey", readKey);
    check(
        flushInterval != null
            && flushInterval.compareTo(Duration.ofMillis(100)) >= 0
            && flushInterval.compareTo(Duration.ofMinutes(1)) <= 0,
        "flushInterval", flushInterval, "must be between 100 ms and 1 minute");
    check(retention != null && retention.compareTo(Duration.ofDays(1)) >= 0,
        "retention", retention, "must be at least 1 day");
    check(dedupWindow != null && dedupWindow.compareTo(Duration.ofMinutes(1)) >= 0
            && dedupWindow.compareTo(retention) <= 0,
        "dedupWindow", dedupWindow, "must be between 1 minute and the retention (" + retention + ")");
    check(dedupMaxIds >= 1_000, "dedupMaxIds", dedupMaxIds, "must be at least 1000");
    check(maxFutureSkew != null && !maxFutureSkew.isNegative(),
        "maxFutureSkew", maxFutureSkew, "must be >= 0");
    check(maxBodyBytes >= 1_024, "maxBodyBytes", maxBodyBytes, "must be at least 1024");
    check(maxUnflushedBytes >= maxBodyBytes, "maxUnflushedBytes", maxUnflushedBytes,
        "must be at least maxBodyBytes (" + maxBodyBytes + ")");
    check(compactionMinFiles >= 2, "compactionMinFiles", compactionMinFiles, "must be at least 2");
    check(compactionSmallFileBytes >= 1, "compactionSmallFileBytes", compactionSmallFileBytes,
        "must be at least 1");
    check(maxEventTypes >= 1 && maxEventTypes <= 100_000, "maxEventTypes", maxEventTypes,
        "must be between 1 and 100000");
  }

  /** The defaults, with the data directory {@code ./loupe-data}. */
  public static LoupeConfig withDefaults() {
    return new LoupeConfig(
        Path.of("loupe-data"), 8080, DEFAULT_WRITE_KEY, DEFAULT_READ_KEY,
        Duration.ofDays(7), 20_000_000L, Duration.ofSeconds(2), Duration.ofDays(730),
        Duration.ofDays(1), 16L << 20, 512L << 20, 8, 32L << 20, 1_000);
  }

  /** The settings with their defaults and rules, for documentation and {@code --help}. */
  public static List<Setting> settings() {
    return List.of(
        new Setting("dataDir", "./loupe-data", "a directory", "lake, write-ahead log and state"),
        new Setting("port", "8080", "0..65535 (0: any free port)", "HTTP port"),
        new Setting("writeKey", DEFAULT_WRITE_KEY, "8 to 256 printable characters",
            "sent by clients in X-Loupe-Write-Key to post events"),
        new Setting("readKey", DEFAULT_READ_KEY, "8 to 256 printable characters",
            "sent by clients in X-Loupe-Read-Key to read data"),
        new Setting("dedupWindow", "7 days", "1 minute .. retention",
            "a retried event_id within this window adds nothing"),
        new Setting("dedupMaxIds", "20000000", ">= 1000",
            "event ids kept in memory; beyond it the oldest are forgotten early"),
        new Setting("flushInterval", "2 s", "100 ms .. 1 min",
            "longest wait between acknowledgement and Parquet"),
        new Setting("retention", "730 days", ">= 1 day",
            "older partitions are deleted and older events rejected"),
        new Setting("maxFutureSkew", "1 day", ">= 0",
            "events further in the future are rejected"),
        new Setting("maxBodyBytes", "16 MiB", ">= 1024",
            "largest request body after decompression (413 above)"),
        new Setting("maxUnflushedBytes", "512 MiB", ">= maxBodyBytes",
            "WAL backlog above which batches get 503 + Retry-After"),
        new Setting("compactionMinFiles", "8", ">= 2",
            "small files in a partition that trigger compaction"),
        new Setting("compactionSmallFileBytes", "32 MiB", ">= 1",
            "files below this size are compacted"),
        new Setting("maxEventTypes", "1000", "1 .. 100000",
            "distinct event types the lake takes; an event of a new type beyond it is rejected"));
  }

  public LakeLayout layout() {
    return LakeLayout.of(dataDir);
  }

  /** The event validation rules these settings imply. */
  public EventRules eventRules() {
    return new EventRules(maxFutureSkew, retention, EventRules.withDefaults().maxPropertiesChars());
  }

  public LoupeConfig withDataDir(Path v) {
    return new LoupeConfig(v, port, writeKey, readKey, dedupWindow, dedupMaxIds, flushInterval,
        retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withPort(int v) {
    return new LoupeConfig(dataDir, v, writeKey, readKey, dedupWindow, dedupMaxIds, flushInterval,
        retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withKeys(String write, String read) {
    return new LoupeConfig(dataDir, port, write, read, dedupWindow, dedupMaxIds, flushInterval,
        retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withDedup(Duration window, long maxIds) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, window, maxIds, flushInterval,
        retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withFlushInterval(Duration v) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds, v,
        retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withRetention(Duration v) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds,
        flushInterval, v, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withMaxFutureSkew(Duration v) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds,
        flushInterval, retention, v, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withLimits(long bodyBytes, long unflushedBytes) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds,
        flushInterval, retention, maxFutureSkew, bodyBytes, unflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, maxEventTypes);
  }

  public LoupeConfig withCompaction(int minFiles, long smallFileBytes) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds,
        flushInterval, retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, minFiles,
        smallFileBytes, maxEventTypes);
  }

  public LoupeConfig withMaxEventTypes(int v) {
    return new LoupeConfig(dataDir, port, writeKey, readKey, dedupWindow, dedupMaxIds,
        flushInterval, retention, maxFutureSkew, maxBodyBytes, maxUnflushedBytes, compactionMinFiles,
        compactionSmallFileBytes, v);
  }

  private static void check(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " " + rule + " but was " + value);
    }
  }

  private static void checkKey(String name, String key) {
    check(key != null && key.length() >= 8 && key.length() <= 256
            && key.chars().allMatch(c -> c > 0x20 && c < 0x7f),
        name, key == null ? null : "'" + key + "'", "must be 8 to 256 printable ASCII characters"
            + " without spaces");
  }
}
