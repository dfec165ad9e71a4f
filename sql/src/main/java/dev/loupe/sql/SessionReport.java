package dev.loupe.sql;

import java.util.List;

/**
 * Sessions and the events that could not be placed in one.
 *
 * @param sessions ordered by user (byte order of its text), then session number
 * @param eventsWithoutTime events whose event_time is NULL: counted here, never sessionized
 * @param eventsWithoutUser events with a time but a NULL user_id (anonymous): counted here, never
 *     sessionized, since they cannot be attributed to one person
 */
public record SessionReport(List<Session> sessions, long eventsWithoutTime, long eventsWithoutUser) {

  public SessionReport {
    sessions = sessions instanceof SessionColumns ? sessions : List.copyOf(sessions);
  }
}
