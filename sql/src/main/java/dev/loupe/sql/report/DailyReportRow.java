package dev.loupe.sql.report;

import java.time.LocalDate;

/**
 * One row of the daily report (the seed's DWH table, SD1 step 4).
 *
 * @param userSegment the value of the segment property, or {@code unknown} when absent
 * @param totalEvents events of this type and segment on this UTC day
 * @param uniqueUsers exact number of distinct non-null user ids among them
 */
public record DailyReportRow(
    LocalDate metricDate, String userSegment, String eventType, long totalEvents, long uniqueUsers) {}
