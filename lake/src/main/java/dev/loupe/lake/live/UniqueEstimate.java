package dev.loupe.lake.live;

/**
 * An HLL estimate of distinct users with bounds at two standard errors (about 95% coverage).
 * Zero for an empty window.
 */
public record UniqueEstimate(double estimate, double lowerBound, double upperBound) {}
