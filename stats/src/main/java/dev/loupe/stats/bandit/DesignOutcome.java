package dev.loupe.stats.bandit;

/**
 * One design's measured numbers in an {@link AbVersusBandit} plan. {@code stationary} is the
 * scenario as given; {@code underNovelty} and {@code underSeasonality} are the same design in the
 * planner's stress variants of it (see {@link AbVersusBandit}).
 */
public record DesignOutcome(
    String design,
    String policy,
    SimulationResult stationary,
    SimulationResult underNovelty,
    SimulationResult underSeasonality) {}
