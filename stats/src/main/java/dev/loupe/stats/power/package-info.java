/** Power and sample size for comparisons of proportions and means (see {@link dev.loupe.stats.power.Power}). */
package dev.loupe.stats.power;
