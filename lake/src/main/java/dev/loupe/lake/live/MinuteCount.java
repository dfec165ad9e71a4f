package dev.loupe.lake.live;

import java.time.Instant;

/**
 * One live bucket: events of one type whose event time falls in one UTC minute.
 *
 * @param minute start of the minute (UTC)
 * @param uniqueUsers HLL estimate of distinct user ids in the bucket (see the package
 *     documentation for its error)
 */
public record MinuteCount(Instant minute, String eventType, long events, double uniqueUsers) {}
