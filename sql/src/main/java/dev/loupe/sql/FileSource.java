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

  /** A SQL string literal, with embedded quotes doubled. */
  public static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
