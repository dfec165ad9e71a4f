package dev.loupe.sql;

/**
 * Totals over all sessions.
 *
 * @param sessions the number of sessions
 * @param meanDurationMin the mean of session_duration_min; NaN when there are no sessions
 * @param meanEventsPerSession events in sessions divided by sessions; NaN when there are none
 * @param eventsWithoutTime see {@link SessionReport#eventsWithoutTime()}
 * @param eventsWithoutUser see {@link SessionReport#eventsWithoutUser()}
 */
public record SessionSummary(
    long sessions,
    double meanDurationMin,
    double meanEventsPerSession,
    long eventsWithoutTime,
    long eventsWithoutUser) {}
