package dev.loupe.stats.bandit;

import java.util.Arrays;

/**
 * An experiment to simulate: true conversion rate per arm, traffic, horizon, money, update
 * cadence, and optional non-stationarity. Immutable; every {@code with…} returns a copy.
 *
 * <p>Time: the experiment runs {@code periods} periods of {@code visitorsPerPeriod} visitors;
 * each period has {@code daysPerPeriod} days (default 7: the seed's periods are weeks) and
 * visitors are spread evenly over the days (day d of a period gets visitors ⌊dV/D⌋ to
 * ⌊(d+1)V/D⌋ − 1).
 *
 * <p>Arm 0 is the control (the current flow). The true rate of arm a on day d (counted from 0
 * over the whole experiment) is
 *
 * <pre>
 *   rate[a] · (1 + L·2^(−(d/D)/h) if a ≠ 0, else 1) · (1 + A·cos(2π·d/7))
 * </pre>
 *
 * with L the novelty lift of the new arms and h its half-life in periods (no novelty when L = 0),
 * A the amplitude of a weekly seasonality that moves every arm alike (none when A = 0). The cosine
 * averages to exactly 1 over any 7 consecutive days, so over whole weeks the long-run rates are
 * the {@code rates} given. Regret is measured against each day's best arm; "the true best arm" and
 * the true difference in the end-of-test comparison are those of the long-run {@code rates}.
 */
public final class Scenario {

  /** The largest value of one conversion: larger ones make regrets overflow a double. */
  public static final double MAX_VALUE_PER_CONVERSION = 1e15;

  private final double[] rates;
  private final int visitorsPerPeriod;
  private final int periods;
  private final double valuePerConversion;
  private final UpdateCadence cadence;
  private final double noveltyLift;
  private final double noveltyHalfLife;
  private final double seasonalityAmplitude;
  private final int daysPerPeriod;

  private Scenario(
      double[] rates,
      int visitorsPerPeriod,
      int periods,
      double valuePerConversion,
      UpdateCadence cadence,
      double noveltyLift,
      double noveltyHalfLife,
      double seasonalityAmplitude,
      int daysPerPeriod) {
    this.rates = rates;
    this.visitorsPerPeriod = visitorsPerPeriod;
    this.periods = periods;
    this.valuePerConversion = valuePerConversion;
    this.cadence = cadence;
    this.noveltyLift = noveltyLift;
    this.noveltyHalfLife = noveltyHalfLife;
    this.seasonalityAmplitude = seasonalityAmplitude;
    this.daysPerPeriod = daysPerPeriod;
    if ((long) periods * daysPerPeriod > 100_000) {
      throw new IllegalArgumentException(
          "periods × daysPerPeriod must be <= 100000 but was " + (long) periods * daysPerPeriod);
    }
    validateDailyRates();
  }

  /**
   * A stationary scenario with per-visitor updates.
   *
   * @throws IllegalArgumentException naming the field, the value and the rule: rates must be at
   *     least 2 probabilities in [0, 1]; visitorsPerPeriod and periods at least 1; value finite
   *     and ≥ 0
   */
  public static Scenario of(
      double[] rates, int visitorsPerPeriod, int periods, double valuePerConversion) {
    if (rates == null || rates.length < 2) {
      throw new IllegalArgumentException(
          "rates must give at least 2 arms but gave "
              + (rates == null ? 0 : rates.length)
              + (rates == null ? "" : " " + Arrays.toString(rates)));
    }
    if (rates.length > 1000) {
      throw new IllegalArgumentException(
          "rates must give at most 1000 arms but gave " + rates.length);
    }
    for (int a = 0; a < rates.length; a++) {
      if (!(rates[a] >= 0 && rates[a] <= 1)) {
        throw new IllegalArgumentException(
            "rates: arm " + (a + 1) + " has rate " + rates[a] + "; a rate must be in [0, 1]");
      }
    }
    if (visitorsPerPeriod < 1) {
      throw new IllegalArgumentException(
          "visitorsPerPeriod must be >= 1 but was " + visitorsPerPeriod);
    }
    if (periods < 1) {
      throw new IllegalArgumentException("periods must be >= 1 but was " + periods);
    }
    if ((long) visitorsPerPeriod * periods > 4_000_000_000L) {
      throw new IllegalArgumentException(
          "visitorsPerPeriod × periods must be <= 4,000,000,000 but was "
              + (long) visitorsPerPeriod * periods);
    }
    if (!(valuePerConversion >= 0 && valuePerConversion < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "value per conversion must be finite and >= 0 but was " + valuePerConversion);
    }
    if (valuePerConversion > MAX_VALUE_PER_CONVERSION) {
      // regrets and their squares (for the standard error) would overflow to n/a
      throw new IllegalArgumentException(
          "value per conversion must be at most 1e15 but was " + valuePerConversion);
    }
    return new Scenario(
        rates.clone(),
        visitorsPerPeriod,
        periods,
        valuePerConversion,
        UpdateCadence.PER_VISITOR,
        0,
        1,
        0,
        7);
  }

  public Scenario withCadence(UpdateCadence cadence) {
    if (cadence == null) {
      throw new IllegalArgumentException("update cadence must not be null");
    }
    return new Scenario(
        rates, visitorsPerPeriod, periods, valuePerConversion, cadence, noveltyLift,
        noveltyHalfLife, seasonalityAmplitude, daysPerPeriod);
  }

  /**
   * Novelty: the new arms (all but arm 0) convert at (1 + lift·2^(−t/halfLife)) times their rate,
   * t in periods since the start. lift in [−1, 10], halfLife finite and &gt; 0 (periods).
   */
  public Scenario withNovelty(double lift, double halfLifePeriods) {
    if (!(lift >= -1 && lift <= 10)) {
      throw new IllegalArgumentException("novelty lift must be in [-1, 10] but was " + lift);
    }
    if (!(halfLifePeriods > 0 && halfLifePeriods < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "novelty half-life must be finite and > 0 (periods) but was " + halfLifePeriods);
    }
    return new Scenario(
        rates, visitorsPerPeriod, periods, valuePerConversion, cadence, lift, halfLifePeriods,
        seasonalityAmplitude, daysPerPeriod);
  }

  /** Weekly seasonality: every rate times 1 + amplitude·cos(2π·day/7); amplitude in [0, 1). */
  public Scenario withSeasonality(double amplitude) {
    if (!(amplitude >= 0 && amplitude < 1)) {
      throw new IllegalArgumentException(
          "seasonality amplitude must be in [0, 1) but was " + amplitude);
    }
    return new Scenario(
        rates, visitorsPerPeriod, periods, valuePerConversion, cadence, noveltyLift,
        noveltyHalfLife, amplitude, daysPerPeriod);
  }

  /**
   * Days per period (default 7), in [1, 366]; days matter for seasonality and per-hour and per-day
   * updates.
   */
  public Scenario withDaysPerPeriod(int days) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("daysPerPeriod must be in [1, 366] but was " + days);
    }
    return new Scenario(
        rates, visitorsPerPeriod, periods, valuePerConversion, cadence, noveltyLift,
        noveltyHalfLife, seasonalityAmplitude, days);
  }

  public Scenario withRates(double... newRates) {
    return of(newRates, visitorsPerPeriod, periods, valuePerConversion)
        .withCadence(cadence)
        .withNovelty(noveltyLift, noveltyHalfLife)
        .withSeasonality(seasonalityAmplitude)
        .withDaysPerPeriod(daysPerPeriod);
  }

  public Scenario withPeriods(int newPeriods) {
    return of(rates, visitorsPerPeriod, newPeriods, valuePerConversion)
        .withCadence(cadence)
        .withNovelty(noveltyLift, noveltyHalfLife)
        .withSeasonality(seasonalityAmplitude)
        .withDaysPerPeriod(daysPerPeriod);
  }

  public double[] rates() {
    return rates.clone();
  }

  public int arms() {
    return rates.length;
  }

  public int visitorsPerPeriod() {
    return visitorsPerPeriod;
  }

  public int periods() {
    return periods;
  }

  public long visitors() {
    return (long) visitorsPerPeriod * periods;
  }

  public double valuePerConversion() {
    return valuePerConversion;
  }

  public UpdateCadence cadence() {
    return cadence;
  }

  public double noveltyLift() {
    return noveltyLift;
  }

  public double noveltyHalfLife() {
    return noveltyHalfLife;
  }

  public double seasonalityAmplitude() {
    return seasonalityAmplitude;
  }

  public int daysPerPeriod() {
    return daysPerPeriod;
  }

  /** What a period is called in reports: "week" with 7 days, "day" with 1, else "period". */
  public String periodName() {
    return daysPerPeriod == 7 ? "week" : daysPerPeriod == 1 ? "day" : "period";
  }

  public boolean stationary() {
    return noveltyLift == 0 && seasonalityAmplitude == 0;
  }

  /** The arm with the highest long-run rate (the first of tied ones). */
  public int bestArm() {
    int best = 0;
    for (int a = 1; a < rates.length; a++) {
      if (rates[a] > rates[best]) {
        best = a;
      }
    }
    return best;
  }

  /** The arm compared with the control at the end: the best long-run rate among arms 1..K−1. */
  public int treatmentArm() {
    int best = 1;
    for (int a = 2; a < rates.length; a++) {
      if (rates[a] > rates[best]) {
        best = a;
      }
    }
    return best;
  }

  /** True rate of {@code arm} on day {@code day} (0-based over the whole experiment). */
  public double rate(int day, int arm) {
    double r = rates[arm];
    if (noveltyLift != 0 && arm != 0) {
      double t = (double) day / daysPerPeriod;
      r *= 1 + noveltyLift * Math.pow(2, -t / noveltyHalfLife);
    }
    if (seasonalityAmplitude != 0) {
      r *= 1 + seasonalityAmplitude * Math.cos(2 * Math.PI * (day % 7) / 7);
    }
    return r;
  }

  private void validateDailyRates() {
    int days = periods * daysPerPeriod;
    for (int d = 0; d < Math.min(days, 7 + daysPerPeriod); d++) {
      for (int a = 0; a < rates.length; a++) {
        double r = rate(d, a);
        if (!(r >= 0 && r <= 1)) {
          throw new IllegalArgumentException(
              "novelty and seasonality make arm "
                  + (a + 1)
                  + "'s rate "
                  + r
                  + " on day "
                  + (d + 1)
                  + "; a rate must stay in [0, 1]");
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Scenario[rates="
        + Arrays.toString(rates)
        + ", visitorsPerPeriod="
        + visitorsPerPeriod
        + ", periods="
        + periods
        + ", value="
        + valuePerConversion
        + ", cadence="
        + cadence.label()
        + (noveltyLift != 0 ? ", novelty=" + noveltyLift + "/" + noveltyHalfLife : "")
        + (seasonalityAmplitude != 0 ? ", seasonality=" + seasonalityAmplitude : "")
        + ", daysPerPeriod="
        + daysPerPeriod
        + "]";
  }
}
