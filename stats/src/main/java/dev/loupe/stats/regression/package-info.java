/**
 * Linear regression from sufficient statistics.
 *
 * <p>Design: every estimator here takes aggregates — {@link dev.loupe.stats.regression.CrossProducts}
 * (n, Σx, X'X, X'y, Σy, y'y), design {@link dev.loupe.stats.regression.Cell}s (rows sharing a
 * regressor row) or {@link dev.loupe.stats.regression.AbsorbedCell}s (cross-products per level of an
 * absorbed fixed effect) — never rows. A SQL GROUP BY, a stream operator or a thread pool computes
 * them and merges partial results with {@code combine}; the fit costs O(p³ + cells·p²) whatever the
 * number of rows. Cluster-robust errors need only per-cluster X'X and X'y (the score of cluster g
 * is X_g'y_g − X_g'X_g b); HC0–HC3 need design cells, which carry each row's leverage.
 *
 * <p>Conventions follow statsmodels {@code OLS.fit(cov_type=…, use_t=True)} and are stated in
 * {@link dev.loupe.stats.regression.CovarianceType}. Statistics that cannot be computed are NaN with
 * a warning, never a number that looks fine.
 */
package dev.loupe.stats.regression;
