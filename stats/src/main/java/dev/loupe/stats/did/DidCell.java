package dev.loupe.stats.did;

/**
 * Observations of one (group, period, cluster) combination in a 2×2 difference-in-differences:
 * what {@code SELECT treated, post, cluster, count(*), sum(y), sum(y*y) … GROUP BY ALL} returns.
 *
 * @param treated whether these observations belong to the treated group
 * @param post whether they are observed after the treatment started
 * @param cluster the cluster label (for example the store or city), or null
 * @param count number of observations, ≥ 1
 * @param sumY Σy
 * @param sumYY Σy²
 */
public record DidCell(
    boolean treated, boolean post, String cluster, long count, double sumY, double sumYY) {}
