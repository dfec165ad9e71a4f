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

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
