package dev.loupe.sql;

import java.time.LocalDate;
import java.util.List;

/**
 * What a refresh of the materialized sessions did.
 *
 * @param newEventDays the event days sessionized for the first time (empty: nothing to do)
 * @param sessionDaysWritten the session_date partitions written or rewritten
 * @param sessionsWritten sessions written into those partitions (new and carried over)
 * @param sessionsExtended sessions from earlier days that continued into the new days and were
 *     rewritten whole in their start day's partition
 */
public record MaterializeReport(
    List<LocalDate> newEventDays,
    List<LocalDate> sessionDaysWritten,
    long sessionsWritten,
    long sessionsExtended) {

  public MaterializeReport {
    newEventDays = List.copyOf(newEventDays);
    sessionDaysWritten = List.copyOf(sessionDaysWritten);
  }
}
