package dev.loupe.stats.regression;

/**
 * A joint Wald test that q coefficients are all zero: W = b_R' V_R⁻¹ b_R with V_R their covariance
 * block under the fit's covariance type; F = W/q is referred to F(q, df) with df the fit's
 * inference degrees of freedom (statsmodels {@code wald_test(use_f=True)}). NaN when the covariance
 * is not computable.
 *
 * @param f the F statistic W/q
 * @param chi2 the Wald statistic W
 * @param df1 q
 * @param df2 the denominator degrees of freedom (n − K, or G − 1 when cluster-robust)
 * @param pValue upper-tail probability of F(q, df2)
 */
public record WaldTest(double f, double chi2, int df1, double df2, double pValue) {}
