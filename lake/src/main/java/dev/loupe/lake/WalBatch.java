package dev.loupe.lake;

import dev.loupe.events.Event;
import dev.loupe.events.Rejection;
import java.time.Instant;
import java.util.List;

/** One write-ahead log record: a batch's accepted events and its rejections. */
record WalBatch(Instant receivedAt, String source, List<Event> events, List<Rejection> rejections) {}
