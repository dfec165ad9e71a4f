package dev.loupe.stats.abtest;

import java.util.List;

/**
 * The result of an A/B/n analysis.
 *
 * @param metric what was compared
 * @param comparisons one per treatment arm, in input order
 * @param srm the sample-ratio-mismatch check
 * @param cupedTheta the CUPED coefficient θ, NaN when CUPED was not used
 * @param warnings caveats for the whole analysis (for example a flagged sample-ratio mismatch)
 */
public record AbResult(
    AbTest.Metric metric,
    List<Comparison> comparisons,
    SampleRatio srm,
    double cupedTheta,
    List<String> warnings) {
  public AbResult {
    comparisons = List.copyOf(comparisons);
    warnings = List.copyOf(warnings);
  }
}
