package dev.loupe.stats.did;

import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.OlsFit;
import java.util.List;

/**
 * A difference-in-differences estimate and its inference. Values that cannot be computed are NaN
 * and {@link #warnings()} says why.
 *
 * @param estimate the DiD effect (the interaction coefficient, or the coefficient of D in two-way
 *     fixed effects)
 * @param stdError its standard error
 * @param ciLow lower end of the (1 − α) interval
 * @param ciHigh upper end
 * @param statistic estimate / stdError
 * @param pValue two-sided p-value (Student's t with dfInference degrees of freedom)
 * @param dfResid residual degrees of freedom n − K
 * @param dfInference n − K, or G − 1 with cluster-robust covariance
 * @param nObs observations used
 * @param nClusters G for cluster-robust covariance, else 0
 * @param covType the covariance type
 * @param means the four group means (2×2 form only; null for panels)
 * @param regression the underlying regression
 * @param warnings reasons for NaN values and caveats
 */
public record DidEstimate(
    double estimate,
    double stdError,
    double ciLow,
    double ciHigh,
    double statistic,
    double pValue,
    long dfResid,
    double dfInference,
    long nObs,
    int nClusters,
    CovarianceType covType,
    GroupMeans means,
    OlsFit regression,
    List<String> warnings) {
  public DidEstimate {
    warnings = List.copyOf(warnings);
  }
}
