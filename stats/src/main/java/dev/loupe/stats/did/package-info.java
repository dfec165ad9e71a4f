/**
 * Difference-in-differences: the 2×2 design, two-way fixed effects and the event study with its
 * pre-trend test, all as regressions on aggregated cells (see {@link dev.loupe.stats.did.DiffInDiff}).
 */
package dev.loupe.stats.did;
