package dev.loupe.stats.bandit;

import java.util.Locale;

/** How often a simulated policy learns from outcomes (a real system learns in batches). */
public enum UpdateCadence {
  /** After every visitor. */
  PER_VISITOR,
  /** At the end of every hour: each day's visitors split into 24 equal slices (±1 visitor). */
  PER_HOUR,
  /** At the end of every day (a period has {@link Scenario#daysPerPeriod()} days). */
  PER_DAY,
  /** At the end of every period. */
  PER_PERIOD;

  /**
   * Parses {@code per-visitor}, {@code per-hour}, {@code per-day}, {@code per-period} (any case, -
   * or _).
   */
  public static UpdateCadence parse(String text) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (UpdateCadence c : values()) {
      if (c.name().equals(t)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "update must be one of per-visitor, per-hour, per-day, per-period but was '" + text + "'");
  }

  /**
   * How many batches a day's visitors form, each learned from at its end: 24 per hour, 1 per day;
   * 0 when the policy learns per visitor or only at the end of the period.
   */
  public int batchesPerDay() {
    return switch (this) {
      case PER_HOUR -> 24;
      case PER_DAY -> 1;
      case PER_VISITOR, PER_PERIOD -> 0;
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
