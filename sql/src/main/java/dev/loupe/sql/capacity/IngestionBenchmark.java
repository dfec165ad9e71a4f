package dev.loupe.sql.capacity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what one Loupe node sustains from the ingestion section of {@code bench/README.md}: in the
 * first {@code ## } section whose title contains "ingestion" (any case), the first figure written
 * as {@code N events/s} (thousands separators, {@code k} and {@code M} allowed) on a line that
 * says "per node" (the figure the benchmark's authors chose for planning), else on a line that
 * says "sustained" or "max" (so a target quoted earlier is not taken for the measurement), else
 * the first such figure in the section.
 */
public final class IngestionBenchmark {

  /**
   * Used when no benchmark figure is found: the ingestion target of Loupe's embedded runtime on a
   * 2-core machine (250,000 events/s), not a measurement.
   */
  public static final double DEFAULT_EVENTS_PER_SECOND = 250_000;

  private static final Pattern FIGURE =
      Pattern.compile("(\\d{1,3}(?:[,\u00a0\u202f ]\\d{3})+|\\d+(?:\\.\\d+)?)\\s*(k|M)?\\s*events/s", Pattern.CASE_INSENSITIVE);

  private IngestionBenchmark() {}

  /**
   * The sustained events/s from the README's ingestion section; empty when absent.
   *
   * @throws IllegalArgumentException if the file is not UTF-8 text
   */
  public static Optional<Double> read(Path readme) {
    if (!Files.isRegularFile(readme)) {
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(readme);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(
          "--bench-readme " + readme + " must be UTF-8 Markdown but holds bytes that are not UTF-8", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + readme + ": " + e.getMessage(), e);
    }
    return parse(text);
  }

  static Optional<Double> parse(String markdown) {
    String section = null;
    StringBuilder body = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("## ")) {
        if (section != null) {
          break;
        }
        if (line.toLowerCase(Locale.ROOT).contains("ingestion")) {
          section = line;
        }
        continue;
      }
      if (section != null) {
        body.append(line).append('\n');
      }
    }
    if (section == null) {
      return Optional.empty();
    }
    Matcher m = firstFigureOnLineSaying(body, "per node");
    if (m == null) {
      m = firstFigureOnLineSaying(body, "sustain", "max");
    }
    if (m == null) {
      m = FIGURE.matcher(body);
      if (!m.find()) {
        return Optional.empty();
      }
    }
    double v = Double.parseDouble(m.group(1).replaceAll("[,\u00a0\u202f ]", ""));
    if (m.group(2) != null) {
      v *= m.group(2).equalsIgnoreCase("k") ? 1e3 : 1e6;
    }
    return v > 0 ? Optional.of(v) : Optional.empty();
  }

  private static Matcher firstFigureOnLineSaying(CharSequence body, String... words) {
    for (String line : body.toString().split("\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      for (String w : words) {
        Matcher lm = FIGURE.matcher(line);
        if (lower.contains(w) && lm.find()) {
          return lm;
        }
      }
    }
    return null;
  }
}
