package dev.loupe.sql;

import dev.loupe.lake.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

/** DuckDB table expressions over the lake's Parquet files (see {@link LakeLayout}). */
public final class LakeTables {

  private LakeTables() {}

  /**
   * {@code read_parquet(…)} over {@code events/event_date=…/event_type=…/*.parquet} with the hive
   * columns {@code event_date} (DATE) and {@code event_type}.
   *
   * @throws IllegalArgumentException if the lake holds no event files yet
   */
  public static String events(LakeLayout lake) {
    if (days(lake.events(), "event_date=").isEmpty()) {
      throw new IllegalArgumentException(
          "the lake at " + lake.root() + " has no events yet (no " + lake.events()
              + "/event_date=YYYY-MM-DD/event_type=NAME/*.parquet files): collect some, or give --input FILE");
    }
    return parquet(lake.events().resolve("*/*/*.parquet"));
  }

  /** {@code read_parquet(…)} over {@code sessions/session_date=…/*.parquet}, or null if none. */
  public static String sessions(LakeLayout lake) {
    return days(lake.sessions(), "session_date=").isEmpty()
        ? null
        : parquet(lake.sessions().resolve("*/*.parquet"));
  }

  static String parquet(Path glob) {
    return "read_parquet(" + FileSource.quote(glob.toString())
        + ", hive_partitioning = true, union_by_name = true)";
  }

  /** The days of the {@code prefix}YYYY-MM-DD directories under dir that hold a Parquet file. */
  static List<LocalDate> days(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(LakeTables::holdsParquet)
          .map(p -> LocalDate.parse(p.getFileName().toString().substring(prefix.length())))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean holdsParquet(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
