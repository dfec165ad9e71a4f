package dev.loupe.cli;

import dev.loupe.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir DIR} option, shared by every command that reads or writes the lake. */
public final class DataDirOption {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory: lake, write-ahead log, state (default: ${DEFAULT-VALUE}).",
      defaultValue = "loupe-data")
  Path dataDir = Path.of("loupe-data");

  /**
   * The directory, absolute.
   *
   * @throws IllegalArgumentException if something other than a directory is there, or the path
   *     holds a character DuckDB reads as a file pattern
   */
  public Path path() {
    Path p = dataDir.toAbsolutePath().normalize();
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw new IllegalArgumentException("--data-dir " + dataDir + " is a file, not a directory");
    }
    return dev.loupe.sql.FileSource.requireLiteral("--data-dir", p);
  }

  public LakeLayout layout() {
    return LakeLayout.of(path());
  }
}
