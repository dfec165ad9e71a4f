package dev.loupe.experiments.analysis;

import java.util.List;
import java.util.Locale;

/**
 * The aggregate columns shared by every grouped query over a numeric outcome, and their checks:
 * {@code rows_} (all rows), {@code n_} (rows with a numeric outcome), {@code sy_}, {@code syy_}
 * (Kahan-compensated sums of y and y²), {@code bad_} and {@code bad_example_} (non-numeric
 * values), {@code nonfinite_} (NaN or infinite values).
 */
final class OutcomeSql {
  private OutcomeSql() {}

  /** SELECT-list items computing the aggregates of {@code yv} (TRY_CAST outcome), {@code y_raw}. */
  static String aggregates() {
    return "count(*) AS rows_, count(yv) AS n_, fsum(yv) AS sy_, fsum(yv * yv) AS syy_,"
        + " count(*) FILTER (WHERE y_raw IS NOT NULL AND yv IS NULL) AS bad_,"
        + " min(CAST(y_raw AS VARCHAR)) FILTER (WHERE y_raw IS NOT NULL AND yv IS NULL)"
        + " AS bad_example_,"
        + " count(*) FILTER (WHERE isnan(yv) OR isinf(yv)) AS nonfinite_";
  }

  /** The inner projection of the outcome. */
  static String outcome(String column) {
    String c = DataSource.id(column);
    return c + " AS y_raw, TRY_CAST(" + c + " AS DOUBLE) AS yv";
  }

  /** Totals over all groups, checked. */
  record Totals(long rows, long used) {
    List<String> warnings(String option, String column) {
      long dropped = rows - used;
      return dropped == 0
          ? List.of()
          : List.of(
              String.format(
                  Locale.ROOT,
                  "dropped %d of %d rows whose %s column '%s' is empty", dropped, rows, option,
                  column));
    }
  }

  /**
   * Checks one group's aggregates; column indexes of rows_ … nonfinite_ start at {@code first}.
   *
   * @throws IllegalArgumentException for non-numeric or non-finite outcomes
   */
  static void check(List<Object> row, int first, String option, String column) {
    long bad = Values.count(row.get(first + 4));
    if (bad > 0) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' must be numeric but has non-numeric values (for"
              + " example '" + row.get(first + 5) + "')");
    }
    long nonFinite = Values.count(row.get(first + 6));
    if (nonFinite > 0) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' must hold finite numbers but has NaN or infinite"
              + " values; remove or fix those rows");
    }
  }
}
