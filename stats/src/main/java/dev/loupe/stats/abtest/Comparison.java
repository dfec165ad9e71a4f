package dev.loupe.stats.abtest;

import java.util.List;

/**
 * One treatment arm compared with the control. Differences are treatment − control. A value that
 * cannot be computed is NaN and {@link #warnings()} says why.
 *
 * @param arm the treatment arm
 * @param control the control arm
 * @param controlValue the control's rate or mean (CUPED-adjusted for CUPED)
 * @param armValue the treatment's rate or mean (CUPED-adjusted for CUPED)
 * @param difference armValue − controlValue
 * @param ciLow lower end of the (1 − α) confidence interval for the difference (not adjusted for
 *     multiplicity)
 * @param ciHigh upper end of that interval
 * @param statistic z (proportions) or Welch t (means)
 * @param df Welch–Satterthwaite degrees of freedom; NaN for z-tests
 * @param pValue two-sided p-value
 * @param pAdjusted p-value after the multiple-comparison correction
 * @param relativeLift armValue / controlValue − 1
 * @param relativeCiLow lower end of the interval for the relative lift
 * @param relativeCiHigh upper end of that interval
 * @param warnings why a value is NaN, or other caveats
 */
public record Comparison(
    String arm,
    String control,
    double controlValue,
    double armValue,
    double difference,
    double ciLow,
    double ciHigh,
    double statistic,
    double df,
    double pValue,
    double pAdjusted,
    double relativeLift,
    double relativeCiLow,
    double relativeCiHigh,
    List<String> warnings) {

  public Comparison {
    warnings = List.copyOf(warnings);
  }

  Comparison withAdjusted(double p) {
    return new Comparison(
        arm, control, controlValue, armValue, difference, ciLow, ciHigh, statistic, df, pValue, p,
        relativeLift, relativeCiLow, relativeCiHigh, warnings);
  }
}
