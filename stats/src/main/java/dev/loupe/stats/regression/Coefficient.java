package dev.loupe.stats.regression;

/**
 * One regression coefficient and its inference. A value that cannot be computed (zero residual
 * degrees of freedom, fewer than two clusters, leverage one) is NaN, and the fit's warnings say
 * why.
 *
 * @param name the regressor's name
 * @param estimate the OLS coefficient
 * @param stdError its standard error under the fit's covariance type
 * @param statistic estimate / stdError (Student's t)
 * @param pValue two-sided p-value from t with the fit's inference degrees of freedom
 * @param ciLow lower end of the (1 − α) confidence interval
 * @param ciHigh upper end of that interval
 */
public record Coefficient(
    String name,
    double estimate,
    double stdError,
    double statistic,
    double pValue,
    double ciLow,
    double ciHigh) {}
