package dev.loupe.cli;

import dev.loupe.sql.MaterializeReport;
import dev.loupe.sql.Session;
import dev.loupe.sql.SessionReport;
import dev.loupe.sql.SessionStore;
import dev.loupe.sql.SessionSummary;
import dev.loupe.sql.Sessions;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe sessions}: sessionize events (a gap of more than --gap ends a session). */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = {
      "Group each user's events into sessions: a session ends after more than --gap of inactivity"
          + " (exactly --gap does not split). Ties on event_time are ordered by event_id.",
      "Input: the lake's events (default), --input FILE, or --table NAME with --engine and --jdbc-url;"
          + " columns user_id, event_id, event_type, event_time.",
      "Example: loupe sessions --from 2024-01-01 --to 2024-01-07 --summary --format json"
    })
public final class SessionsCommand implements Callable<Integer> {

  @Option(names = "--gap", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
      description = "Inactivity that ends a session, e.g. 30m, 90s, 1h (default: ${DEFAULT-VALUE}).")
  Duration gap;

  @Option(names = "--from", paramLabel = "DATE", description = "Only sessions that start on or after this day (UTC).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Only sessions that start on or before this day (UTC).")
  LocalDate to;

  @Option(names = "--summary", description = "Print totals: sessions, mean_duration_min, mean_events_per_session.")
  boolean summary;

  @Option(names = "--materialize", description = "Write sessions into the lake (sessions/session_date=…/),"
      + " for the event days not covered yet.")
  boolean materialize;

  @Option(names = "--rebuild", description = "With --materialize: recompute every day.")
  boolean rebuild;

  @Mixin InputOptions in;
  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      return analyze();
    } catch (SQLException e) {
      throw in.explain(e);
    }
  }

  private Integer analyze() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Sessions sessions = Sessions.withGap(gap).withDays(from, to);
    if (materialize) {
      if (in.input != null || in.table != null || from != null || to != null || summary) {
        throw new IllegalArgumentException("--materialize writes the lake's sessions: it cannot be combined with"
            + " --input, --table, --from, --to or --summary");
      }
      try (InputOptions.Source src = in.open(InputOptions::events)) {
        MaterializeReport r = SessionStore.of(in.dataDir.layout(), sessions).refresh(src.connection(), rebuild);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("new_event_days", r.newEventDays().stream().map(LocalDate::toString).toList());
        o.put("session_days_written", r.sessionDaysWritten().stream().map(LocalDate::toString).toList());
        o.put("sessions_written", r.sessionsWritten());
        o.put("sessions_extended", r.sessionsExtended());
        print(out, o);
        if (r.newEventDays().isEmpty()) {
          err.println("loupe: sessions are up to date: no event days after the last materialized one");
        }
      }
      return Loupe.EXIT_OK;
    }
    if (rebuild) {
      throw new IllegalArgumentException("--rebuild goes with --materialize");
    }
    try (InputOptions.Source src = in.open(InputOptions::events)) {
      if (summary) {
        SessionSummary s = sessions.summarize(src.connection(), src.dialect(), src.expression());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sessions", s.sessions());
        o.put("mean_duration_min", s.meanDurationMin());
        o.put("mean_events_per_session", s.meanEventsPerSession());
        o.put("events_without_time", s.eventsWithoutTime());
        o.put("events_without_user", s.eventsWithoutUser());
        print(out, o);
        warn(err, s.eventsWithoutTime(), s.eventsWithoutUser());
        if (s.sessions() == 0) {
          err.println("loupe: no sessions: the means are null");
        }
        return Loupe.EXIT_OK;
      }
      SessionReport r = sessions.sessionize(src.connection(), src.dialect(), src.expression());
      List<List<Object>> rows = new ArrayList<>(r.sessions().size());
      for (Session s : r.sessions()) {
        rows.add(List.of(s.userId(), s.sessionNum(), s.start(), s.end(), s.durationMin(), s.events(),
            fmt.format() == Format.JSON ? s.eventSequence() : sequenceText(s.eventSequence())));
      }
      Output.rows(out, fmt.format(), Session.COLUMNS, rows);
      warn(err, r.eventsWithoutTime(), r.eventsWithoutUser());
    }
    return Loupe.EXIT_OK;
  }

  private void print(PrintWriter out, Map<String, Object> o) {
    if (fmt.format() == Format.JSON) {
      Map<String, Object> clean = new LinkedHashMap<>();
      o.forEach((k, v) -> clean.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
      Output.value(out, clean);
    } else {
      List<Object> row = new ArrayList<>();
      for (Object v : o.values()) {
        row.add(v instanceof List<?> l ? String.join(",", l.stream().map(Object::toString).toList()) : v);
      }
      Output.rows(out, fmt.format(), new ArrayList<>(o.keySet()), List.of(row));
    }
  }

  private static void warn(PrintWriter err, long withoutTime, long withoutUser) {
    if (withoutTime > 0 || withoutUser > 0) {
      err.println("loupe: not in any session: " + withoutTime + " events without an event_time, "
          + withoutUser + " events without a user_id");
    }
  }

  /** The sequence as comma-separated text; an event without a type is an empty item. */
  private static String sequenceText(List<String> sequence) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sequence.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (sequence.get(i) != null) {
        sb.append(sequence.get(i));
      }
    }
    return sb.toString();
  }
}
