package dev.loupe.stats.did;

/**
 * Observations of one unit in one period (and one treatment value): what {@code SELECT unit, time,
 * treatment, count(*), sum(y), sum(y*y) … GROUP BY ALL} returns.
 *
 * @param unit the unit (absorbed as a fixed effect)
 * @param time the period (a fixed effect with one dummy per period but the first)
 * @param treatment the treatment indicator D (1 when the unit is treated in this period), or for an
 *     event study ignored
 * @param relTime periods since treatment start (0 = first treated period), or null for units never
 *     treated; used by the event study only
 * @param cluster the cluster label (usually the unit), or null
 * @param count number of observations, ≥ 1
 * @param sumY Σy
 * @param sumYY Σy²
 */
public record PanelCell(
    String unit,
    String time,
    double treatment,
    Integer relTime,
    String cluster,
    long count,
    double sumY,
    double sumYY) {}
