package dev.loupe.sql.capacity;

import dev.loupe.lake.LakeLayout;
import dev.loupe.sql.FileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What events cost on disk, measured on a lake: Parquet bytes per event and the compression
 * ratio against the events' JSON form.
 *
 * <p>Raw size of an event: the UTF-8 length of its JSON object as a client sends it, {@code
 * {"event_id":…,"user_id":…,"event_type":…,"event_time":"…Z","properties":{…}}} (without the
 * server's {@code received_at}). Stored size: the Parquet files' bytes on disk divided by their
 * rows. Ratio = raw / stored. Measured on at most {@code maxFiles} files (the newest), so a big
 * lake is sampled, not scanned.
 *
 * @param events rows in the measured files
 * @param files files measured
 * @param rawBytesPerEvent mean JSON bytes per event
 * @param storedBytesPerEvent mean Parquet bytes per event
 */
public record LakeFootprint(long events, int files, double rawBytesPerEvent, double storedBytesPerEvent) {

  /** Raw JSON bytes per stored Parquet byte. */
  public double compressionRatio() {
    return rawBytesPerEvent / storedBytesPerEvent;
  }

  /** Measures the lake's events; empty when it has no event with data. */
  public static Optional<LakeFootprint> measure(LakeLayout layout, int maxFiles) {
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be at least 1 but was " + maxFiles);
    }
    if (!Files.isDirectory(layout.events())) {
      return Optional.empty();
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(layout.events())) {
      files =
          all.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p))
              .sorted((a, b) -> b.toString().compareTo(a.toString()))
              .limit(maxFiles)
              .collect(Collectors.toCollection(ArrayList::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + layout.events() + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    long bytes = 0;
    for (Path f : files) {
      try {
        bytes += Files.size(f);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String list = files.stream().map(f -> FileSource.quote(f.toString())).collect(Collectors.joining(", ", "[", "]"));
    String sql =
        "SELECT count(*), sum(strlen(json_object('event_id', event_id, 'user_id', user_id,"
            + " 'event_type', event_type, 'event_time', strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ'),"
            + " 'properties', json(properties))::VARCHAR)) FROM read_parquet(" + list
            + ", hive_partitioning = true, union_by_name = true,"
            + " hive_types = {'event_date': DATE, 'event_type': VARCHAR})";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      if (n == 0) {
        return Optional.empty();
      }
      return Optional.of(new LakeFootprint(n, files.size(), rs.getDouble(2) / n, (double) bytes / n));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot measure the lake at " + layout.events() + ": " + e.getMessage(), e);
    }
  }
}
