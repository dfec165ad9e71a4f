package dev.loupe.stats.did;

import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.OlsFit;
import dev.loupe.stats.regression.WaldTest;
import java.util.List;

/**
 * An event study: effects by period relative to treatment start, relative to period −1, with the
 * joint test of the leads (periods ≤ −2) as the parallel-trends check.
 *
 * @param coefficients one per relative period, in order, the reference period −1 included with
 *     estimate 0 and NaN standard error
 * @param pretrend the joint Wald test that all leads are zero (NaN fields when there are none)
 * @param verdict the pre-trend check in plain language
 * @param nObs observations used
 * @param nClusters clusters (cluster-robust covariance) or 0
 * @param dfResid n − K
 * @param covType the covariance type
 * @param regression the underlying regression
 * @param warnings caveats
 */
public record EventStudy(
    List<Period> coefficients,
    WaldTest pretrend,
    String verdict,
    long nObs,
    int nClusters,
    long dfResid,
    CovarianceType covType,
    OlsFit regression,
    List<String> warnings) {

  public EventStudy {
    coefficients = List.copyOf(coefficients);
    warnings = List.copyOf(warnings);
  }

  /**
   * The effect at one relative period.
   *
   * @param relTime periods since treatment start (−1 is the reference)
   * @param reference true for the reference period, whose estimate is 0 by construction
   */
  public record Period(
      int relTime,
      boolean reference,
      double estimate,
      double stdError,
      double ciLow,
      double ciHigh,
      double pValue) {}
}
