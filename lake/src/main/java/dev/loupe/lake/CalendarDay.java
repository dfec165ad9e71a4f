package dev.loupe.lake;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** A calendar day as users write it and the lake names its partitions: YYYY-MM-DD, UTC. */
public final class CalendarDay {

  private static final Pattern FORM = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private CalendarDay() {}

  /**
   * Reads {@code text} (surrounding blanks ignored) as a real day with a four-digit year. {@link
   * LocalDate#parse} alone also reads {@code +10000-01-01} and {@code -999999999-01-01}, from
   * which a report directory or a partition name would be made.
   *
   * @throws IllegalArgumentException "must be a date YYYY-MM-DD but was '…'", with the reason for a
   *     well-formed impossible day such as 2026-02-30
   */
  public static LocalDate parse(String text) {
    String t = text == null ? "" : text.strip();
    if (!FORM.matcher(t).matches()) {
      throw new IllegalArgumentException("must be a date YYYY-MM-DD but was '" + text + "'");
    }
    try {
      return LocalDate.parse(t);
    } catch (DateTimeParseException e) {
      String m = String.valueOf(e.getMessage());
      int at = m.indexOf("could not be parsed: ");
      String why = at < 0 ? "" : " (" + m.substring(at + "could not be parsed: ".length()) + ")";
      throw new IllegalArgumentException("must be a date YYYY-MM-DD but was '" + text + "'" + why, e);
    }
  }
}
