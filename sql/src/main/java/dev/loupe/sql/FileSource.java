package dev.loupe.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns a user's data file (CSV or Parquet) into a DuckDB table expression, so that analyses read
 * it where it lies instead of loading it into Java.
 */
public final class FileSource {

  private FileSource() {}

  /**
   * Returns {@code read_parquet('…')} or {@code read_csv('…', header = true)} for the file.
   *
   * @throws IllegalArgumentException if the file does not exist or its extension is neither
   *     {@code .csv}, {@code .csv.gz}, {@code .tsv} nor {@code .parquet}
   */
  public static String tableExpression(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file " + file + " does not exist or is not a file");
    }
    requireLiteral("file", file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String literal = quote(file.toAbsolutePath().toString());
    if (name.endsWith(".parquet")) {
      return "read_parquet(" + literal + ")";
    }
    if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
      return "read_csv(" + literal + ", header = true)";
    }
    throw new IllegalArgumentException(
        "file " + file + " must end in .csv, .csv.gz, .tsv or .parquet");
  }

  /**
   * Returns {@code path} if DuckDB reads it as the path it is. DuckDB reads {@code *}, {@code ?}
   * and {@code [} in a file name as a pattern (a file {@code y[1].csv} would read {@code y1.csv}),
   * and has no escape for them, so a path holding one is refused.
   *
   * @param what how the user gave the path, for the message (e.g. "--data-dir")
   * @throws IllegalArgumentException naming the path and the character
   */
  public static Path requireLiteral(String what, Path path) {
    String abs = path.toAbsolutePath().toString();
    for (char c : new char[] {'*', '?', '['}) {
      if (abs.indexOf(c) >= 0) {
        throw new IllegalArgumentException(what + " " + path + ": its path holds '" + c + "', which DuckDB reads"
            + " as a file pattern (y[1].csv would read y1.csv); rename it, or copy it to a path without * ? or [");
      }
    }
    return path;
  }

  /** A SQL string literal, with embedded quotes doubled. */
  public static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
