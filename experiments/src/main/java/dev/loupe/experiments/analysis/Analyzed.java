package dev.loupe.experiments.analysis;

import java.util.List;

/**
 * An analysis result with what reading the data found.
 *
 * @param result the statistical result
 * @param rowsRead rows in the data
 * @param rowsUsed rows that entered the analysis
 * @param warnings data warnings (dropped rows) followed by the result's own warnings
 */
public record Analyzed<T>(T result, long rowsRead, long rowsUsed, List<String> warnings) {
  public Analyzed {
    warnings = List.copyOf(warnings);
  }
}
