/**
 * Sequential testing: Lan–DeMets group-sequential boundaries for planned looks ({@link
 * dev.loupe.stats.sequential.GroupSequential}) and the always-valid mixture SPRT for continuous
 * monitoring ({@link dev.loupe.stats.sequential.MixtureSprt}).
 */
package dev.loupe.stats.sequential;
