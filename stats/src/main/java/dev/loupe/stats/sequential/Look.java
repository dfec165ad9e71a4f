package dev.loupe.stats.sequential;

/**
 * The boundary at one planned look.
 *
 * @param look 1-based look number
 * @param informationFraction share of the planned sample observed at this look
 * @param criticalZ stop and reject H₀ when |z| ≥ criticalZ
 * @param nominalAlpha the equivalent two-sided p-value threshold, 2(1 − Φ(criticalZ))
 * @param alphaSpent α spent at this look, α*(t_k) − α*(t_{k−1})
 * @param cumulativeAlpha α*(t_k)
 */
public record Look(
    int look,
    double informationFraction,
    double criticalZ,
    double nominalAlpha,
    double alphaSpent,
    double cumulativeAlpha) {}
