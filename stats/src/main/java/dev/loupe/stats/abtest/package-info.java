/**
 * A/B/n tests on per-arm sufficient statistics: two-proportion z-tests, Welch's t-test, CUPED,
 * multiple comparisons against a control and the sample-ratio-mismatch check (see {@link
 * dev.loupe.stats.abtest.AbTest}).
 */
package dev.loupe.stats.abtest;
