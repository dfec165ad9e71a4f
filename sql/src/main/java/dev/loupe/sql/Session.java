package dev.loupe.sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One session of one user.
 *
 * @param userId the user (as text, whatever the source column's type)
 * @param sessionNum 1 for the user's first session, then 2, 3, … in time order
 * @param start the time of the session's first event (UTC)
 * @param end the time of its last event (UTC); equal to {@code start} for a single-event session
 * @param durationMin {@code (end - start)} in minutes, fractional; 0 for a single event
 * @param events the number of events in the session
 * @param eventSequence the event types in order of (event_time, event_id); {@code null} for an
 *     event without a type, as the SQL paths' ordered list aggregate keeps it
 */
public record Session(
    String userId,
    long sessionNum,
    Instant start,
    Instant end,
    double durationMin,
    long events,
    List<String> eventSequence) {

  public Session {
    eventSequence = Collections.unmodifiableList(new ArrayList<>(eventSequence));
  }

  /** The column names of the CLI's rows, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "user_id",
          "session_num",
          "session_start",
          "session_end",
          "session_duration_min",
          "events_in_session",
          "event_sequence");
}
