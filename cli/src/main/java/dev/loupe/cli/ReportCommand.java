package dev.loupe.cli;

import dev.loupe.sql.report.DailyReport;
import dev.loupe.sql.report.DailyReportRow;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loupe report …}: reports computed from the lake. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Reports computed from the lake.",
    subcommands = {ReportCommand.Daily.class})
public final class ReportCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a report command is required");
  }

  /** {@code loupe report daily --date D}: writes and prints the daily report of one UTC day. */
  @Command(
      name = "daily",
      mixinStandardHelpOptions = true,
      description = {
        "Computes the daily report of one UTC day from the lake (events and exact unique users per"
            + " user segment and event type), writes it to reports/daily/metric_date=DATE/ and prints it.",
        "Query all reports later with: loupe sql \"SELECT * FROM daily_reports\""
      })
  static final class Daily implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin FormatOption fmt;

    @Option(names = "--date", required = true, description = "The UTC day, YYYY-MM-DD (today is allowed but partial).")
    LocalDate date;

    @Option(
        names = "--segment-property",
        defaultValue = DailyReport.DEFAULT_SEGMENT_PROPERTY,
        description = "Event property that defines user_segment (default: ${DEFAULT-VALUE}); 'unknown' when absent.")
    String segmentProperty;

    @Mixin DataDirOption dataDir;

    @Option(names = "--no-write", description = "Compute and print only; do not write the report file.")
    boolean noWrite;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      LocalDate day = date;
      LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
      if (day.isAfter(today)) {
        throw new IllegalArgumentException("--date must not be in the future (today is " + today + " UTC) but was " + date);
      }
      DailyReport report = DailyReport.of(dataDir.layout()).withSegmentProperty(segmentProperty);
      List<DailyReportRow> rows = noWrite ? report.compute(day) : report.write(day);
      PrintWriter err = spec.commandLine().getErr();
      if (day.equals(today)) {
        err.println("loupe: warning: " + day + " has not closed yet; the report covers the events in the lake so far");
      }
      if (rows.isEmpty()) {
        err.println("loupe: no events in the lake for " + day);
      }
      List<List<?>> table = new ArrayList<>();
      for (DailyReportRow r : rows) {
        table.add(List.of(r.metricDate().toString(), r.userSegment(), r.eventType(), r.totalEvents(), r.uniqueUsers()));
      }
      Output.rows(
          spec.commandLine().getOut(),
          fmt.format(),
          List.of("metric_date", "user_segment", "event_type", "total_events", "unique_users"),
          table);
      return Loupe.EXIT_OK;
    }
  }
}
