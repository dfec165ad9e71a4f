package dev.loupe.stats.regression;

/**
 * Cross-products of the observations of one fixed-effect level ({@code group}) within one cluster.
 * A fit on absorbed cells sweeps one categorical fixed effect out of the regressors by demeaning
 * within groups (Frisch–Waugh–Lovell), exactly, from these sums alone.
 *
 * @param group the level of the absorbed categorical variable (for example the unit)
 * @param cluster the cluster label, or null when not clustering
 * @param products the cross-products of these observations
 */
public record AbsorbedCell(String group, String cluster, CrossProducts products) {
  public AbsorbedCell {
    if (group == null) {
      throw new IllegalArgumentException("absorbed group label must not be null");
    }
  }
}
