package dev.loupe.sql.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which daily reports to (re)write: a UTC day is due once it has closed and a grace period
 * has passed (so events still in the write-ahead log reach the lake first), and its report is
 * missing or older than the day's newest lake file (late events, compaction). The caller runs
 * {@link #runOnce(Instant)} periodically with the current time.
 *
 * <p>Immutable; {@code runOnce} is safe to call from one thread at a time.
 */
public final class DailyReportScheduler {

  private final DailyReport report;
  private final Duration grace;

  private DailyReportScheduler(DailyReport report, Duration grace) {
    this.report = Objects.requireNonNull(report, "report");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative but was " + grace);
    }
    this.grace = grace;
  }

  /** A scheduler that waits {@code grace} after midnight UTC before writing a day's report. */
  public static DailyReportScheduler of(DailyReport report, Duration grace) {
    return new DailyReportScheduler(report, grace);
  }

  /** The days due at {@code now}, sorted. */
  public List<LocalDate> dueDays(Instant now) {
    List<LocalDate> due = new ArrayList<>();
    for (LocalDate day : report.lakeDates()) {
      Instant closed = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(grace);
      if (closed.isAfter(now)) {
        continue;
      }
      Optional<Instant> written = report.writtenAt(day);
      Optional<Instant> lake = report.lakeModifiedAt(day);
      if (lake.isPresent() && (written.isEmpty() || lake.get().isAfter(written.get()))) {
        due.add(day);
      }
    }
    return due;
  }

  /** Writes every due day's report; returns the days written. */
  public List<LocalDate> runOnce(Instant now) {
    List<LocalDate> due = dueDays(now);
    for (LocalDate day : due) {
      report.write(day);
    }
    return due;
  }
}
