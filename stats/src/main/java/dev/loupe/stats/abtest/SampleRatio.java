package dev.loupe.stats.abtest;

/**
 * The sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit of the observed units per
 * arm against the planned split, χ² = Σ (oᵢ − N·wᵢ)² / (N·wᵢ) with K − 1 degrees of freedom (as
 * scipy's {@code chisquare}). A mismatch ({@code flagged}) means assignment or logging is broken
 * and the comparison should not be trusted.
 *
 * @param chi2 the statistic
 * @param df K − 1
 * @param pValue upper-tail chi-square probability
 * @param threshold the p-value below which the test is flagged (0.001 by default)
 * @param flagged pValue &lt; threshold
 */
public record SampleRatio(double chi2, int df, double pValue, double threshold, boolean flagged) {}
