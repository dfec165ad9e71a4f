package dev.loupe.sql;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An unmodifiable list of sessions kept as primitive columns (about 30 bytes per session plus 4 per
 * event), each {@link Session} made when it is read: sessionizing tens of millions of events does
 * not build tens of millions of objects that a caller may only stream out as rows.
 *
 * <p>Session {@code s} (in storage order) belongs to the user {@code users[userOf[s]]}, is that
 * user's session number {@code numbers[s]}, runs from {@code starts[s]} to {@code ends[s]} (epoch
 * microseconds, UTC) and holds the events {@code types[firsts[s]] .. types[firsts[s] + counts[s] -
 * 1]} (type numbers into {@code typeNames}). {@code order} lists the storage indices in list order.
 * The arrays are owned by this list and never changed.
 */
final class SessionColumns extends AbstractList<Session> implements RandomAccess {

  private final String[] users;
  private final String[] typeNames;
  private final int[] types;
  private final int[] userOf;
  private final int[] numbers;
  private final long[] starts;
  private final long[] ends;
  private final int[] firsts;
  private final int[] counts;
  private final int[] order;

  SessionColumns(String[] users, String[] typeNames, int[] types, int[] userOf, int[] numbers,
      long[] starts, long[] ends, int[] firsts, int[] counts, int[] order) {
    this.users = users;
    this.typeNames = typeNames;
    this.types = types;
    this.userOf = userOf;
    this.numbers = numbers;
    this.starts = starts;
    this.ends = ends;
    this.firsts = firsts;
    this.counts = counts;
    this.order = order;
  }

  @Override
  public Session get(int index) {
    int s = order[index];
    String[] sequence = new String[counts[s]];
    for (int i = 0; i < sequence.length; i++) {
      sequence[i] = typeNames[types[firsts[s] + i]];
    }
    return new Session(users[userOf[s]], numbers[s], instant(starts[s]), instant(ends[s]),
        Sessionizer.minutes(ends[s] - starts[s]), counts[s], Arrays.asList(sequence));
  }

  @Override
  public int size() {
    return order.length;
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
