package dev.loupe.sql;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sessions from one stream of events sorted by {@code (user, time, event id)}, in one linear pass
 * with explicit state and no I/O: the engine sorts once, this class cuts the sessions.
 *
 * <p>Same contract as {@link Sessions}: a user's next event starts a new session when it comes
 * <em>more</em> than the gap after the previous one (exactly the gap does not split); sessions are
 * numbered 1, 2, … per user; the duration is {@code (last - first)} in minutes. Times are epoch
 * microseconds (UTC). Users are compared by {@link String#equals}, so events of one user must be
 * adjacent in the stream.
 *
 * <p>Not thread-safe; one instance per stream. Call {@link #finish} after the last event.
 */
final class Sessionizer {

  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final long gapMicros;
  private final Consumer<Session> sink;

  private String user;
  private long sessionNum;
  private long startMicros;
  private long lastMicros;
  private List<String> sequence = new ArrayList<>();

  /**
   * @param gapSeconds the longest inactivity that does not end a session, more than 0
   * @param sink receives each session once it is complete, in stream order
   */
  Sessionizer(long gapSeconds, Consumer<Session> sink) {
    if (gapSeconds <= 0) {
      throw new IllegalArgumentException("gap must be more than 0 seconds but was " + gapSeconds);
    }
    this.gapMicros = Math.multiplyExact(gapSeconds, 1_000_000L);
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * The next event of the stream.
   *
   * @throws IllegalArgumentException if the event comes before the user's previous one
   */
  void accept(String userId, long timeMicros, String eventType) {
    if (user != null && user.equals(userId)) {
      if (timeMicros < lastMicros) {
        throw new IllegalArgumentException(
            "event_time of user " + userId + " must not decrease in the stream, but " + timeMicros
                + " µs follows " + lastMicros + " µs");
      }
      if (timeMicros - lastMicros <= gapMicros) {
        lastMicros = timeMicros;
        sequence.add(eventType);
        return;
      }
      emit();
      sessionNum++;
    } else {
      emit();
      user = userId;
      sessionNum = 1;
    }
    startMicros = timeMicros;
    lastMicros = timeMicros;
    sequence = new ArrayList<>();
    sequence.add(eventType);
  }

  /** Emits the last open session, if any. */
  void finish() {
    emit();
    user = null;
  }

  private void emit() {
    if (user == null || sequence.isEmpty()) {
      return;
    }
    sink.accept(
        new Session(
            user,
            sessionNum,
            instant(startMicros),
            instant(lastMicros),
            minutes(lastMicros - startMicros),
            sequence.size(),
            sequence));
    sequence = new ArrayList<>();
  }

  /**
   * Minutes in a duration, computed as the engines compute {@code EXTRACT(EPOCH FROM interval) /
   * 60}: whole days as seconds plus the remaining microseconds as fractional seconds.
   */
  static double minutes(long micros) {
    long days = micros / MICROS_PER_DAY;
    long rest = micros % MICROS_PER_DAY;
    double seconds = days * 86_400.0 + rest / 1_000_000.0;
    return seconds / 60.0;
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
