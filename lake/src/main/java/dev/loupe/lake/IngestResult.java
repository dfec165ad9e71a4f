package dev.loupe.lake;

import dev.loupe.events.Rejection;
import java.util.List;

/**
 * What happened to a batch: the answer to the client.
 *
 * @param accepted events newly stored
 * @param duplicates events whose event_id was already stored (within the dedup window) or that
 *     appeared earlier in the same batch
 * @param rejected events that failed validation, each with its index, field and reason
 */
public record IngestResult(int accepted, int duplicates, List<Rejection> rejected) {

  public IngestResult {
    rejected = List.copyOf(rejected);
  }
}
