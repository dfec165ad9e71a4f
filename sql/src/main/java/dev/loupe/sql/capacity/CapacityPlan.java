package dev.loupe.sql.capacity;

import java.util.Objects;

/**
 * Storage, cost and node sizing for an event load (seed SD1, step 5), from measured figures
 * instead of assumed ones.
 *
 * <p>Formulas ({@code E} events per day, {@code b} raw bytes per event, {@code r} compression
 * ratio, {@code D} retention in days, {@code p} price per GB-month, decimal GB = 10^9 bytes):
 * events/s = E / 86,400; raw bytes/day = E·b; stored bytes/day = E·b / r; stored at full
 * retention = E·b·D / r; monthly storage cost at full retention = (E·b·D / r / 10^9)·p; nodes =
 * ceil(peak events/s / node events/s) with peak = average × peak factor, at least 1.
 *
 * @param eventsPerDay E, positive and finite
 * @param eventBytes b, raw bytes per event, positive and finite
 * @param retentionDays D, positive
 * @param pricePerGbMonth p, non-negative and finite
 * @param compressionRatio r, positive and finite
 * @param compressionSource where r came from (measured on which lake, or the labeled assumption)
 * @param nodeEventsPerSecond events/s one Loupe node sustains, positive
 * @param nodeSource where that figure came from
 * @param peakFactor peak rate / average rate, at least 1
 */
public record CapacityPlan(
    double eventsPerDay,
    double eventBytes,
    int retentionDays,
    double pricePerGbMonth,
    double compressionRatio,
    String compressionSource,
    double nodeEventsPerSecond,
    String nodeSource,
    double peakFactor) {

  public CapacityPlan {
    positive("events per day", eventsPerDay);
    positive("event bytes", eventBytes);
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retention must be at least 1 day but was " + retentionDays + " days");
    }
    if (!(pricePerGbMonth >= 0 && Double.isFinite(pricePerGbMonth))) {
      throw new IllegalArgumentException("price per GB-month must be a finite number >= 0 but was " + pricePerGbMonth);
    }
    positive("compression ratio", compressionRatio);
    positive("node events per second", nodeEventsPerSecond);
    if (!(peakFactor >= 1 && Double.isFinite(peakFactor))) {
      throw new IllegalArgumentException("peak factor must be a finite number >= 1 but was " + peakFactor);
    }
    Objects.requireNonNull(compressionSource, "compressionSource");
    Objects.requireNonNull(nodeSource, "nodeSource");
  }

  private static void positive(String name, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(name + " must be a finite number > 0 but was " + v);
    }
  }

  public double eventsPerSecond() {
    return eventsPerDay / 86_400;
  }

  public double peakEventsPerSecond() {
    return eventsPerSecond() * peakFactor;
  }

  public double rawBytesPerDay() {
    return eventsPerDay * eventBytes;
  }

  public double storedBytesPerEvent() {
    return eventBytes / compressionRatio;
  }

  public double storedBytesPerDay() {
    return rawBytesPerDay() / compressionRatio;
  }

  public double storedBytesTotal() {
    return storedBytesPerDay() * retentionDays;
  }

  /** Monthly storage cost once the retention window is full. */
  public double monthlyCost() {
    return storedBytesTotal() / 1e9 * pricePerGbMonth;
  }

  public int nodes() {
    return (int) Math.max(1, Math.ceil(peakEventsPerSecond() / nodeEventsPerSecond));
  }
}
