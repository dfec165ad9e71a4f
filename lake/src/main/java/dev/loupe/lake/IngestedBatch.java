package dev.loupe.lake;

import dev.loupe.events.Event;
import dev.loupe.events.Rejection;
import java.time.Instant;
import java.util.List;

/**
 * One batch after it was durably accepted: what {@link IngestListener}s see.
 *
 * @param accepted the new events (duplicates removed), in batch order
 * @param duplicates how many events of the batch were already known (by event_id)
 * @param rejections the events that failed validation, with index, field and reason
 * @param receivedAt when the batch was received (also every accepted event's received_at)
 * @param source where the batch came from: {@code http}, {@code import}, …
 */
public record IngestedBatch(
    List<Event> accepted,
    int duplicates,
    List<Rejection> rejections,
    Instant receivedAt,
    String source) {

  public IngestedBatch {
    accepted = List.copyOf(accepted);
    rejections = List.copyOf(rejections);
  }
}
