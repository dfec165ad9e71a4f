package dev.loupe.stats.regression;

/**
 * How coefficient standard errors are computed. With B = (X'X)⁻¹, residuals e, leverages hᵢ =
 * xᵢ'Bxᵢ, n observations and K parameters (absorbed fixed effects included):
 *
 * <ul>
 *   <li>{@link #CLASSICAL}: s²B with s² = e'e/(n − K).
 *   <li>{@link #HC0}: B (Σ eᵢ² xᵢxᵢ') B (White 1980).
 *   <li>{@link #HC1}: HC0 · n/(n − K).
 *   <li>{@link #HC2}: B (Σ eᵢ²/(1 − hᵢ) xᵢxᵢ') B.
 *   <li>{@link #HC3}: B (Σ eᵢ²/(1 − hᵢ)² xᵢxᵢ') B (MacKinnon and White 1985).
 *   <li>{@link #CLUSTER}: one-way cluster-robust, c · B (Σ_g s_g s_g') B with cluster scores s_g =
 *       X_g'y_g − X_g'X_g b and the small-sample factor c = G/(G − 1) · (n − 1)/(n − K), the
 *       convention of statsmodels ({@code cov_type="cluster"}, its default {@code
 *       use_correction=True}) and Stata's {@code vce(cluster)}.
 * </ul>
 *
 * <p>Inference uses Student's t with n − K degrees of freedom, except {@link #CLUSTER}, which uses
 * G − 1 (statsmodels with {@code use_t=True}, Stata).
 */
public enum CovarianceType {
  CLASSICAL,
  HC0,
  HC1,
  HC2,
  HC3,
  CLUSTER
}
