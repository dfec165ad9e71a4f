package dev.loupe.experiments.analysis;

import java.math.BigDecimal;

/** Converting JDBC values of grouping columns, with messages naming option, column and value. */
final class Values {
  private Values() {}

  /** 0/1, true/false (any numeric or boolean type, or their text) → false/true. */
  static boolean binary(Object v, String option, String column) {
    if (v == null) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' is empty in some rows; it must be 0 or 1 in every row");
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().strip();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    try {
      BigDecimal d = new BigDecimal(s);
      if (d.compareTo(BigDecimal.ZERO) == 0) {
        return false;
      }
      if (d.compareTo(BigDecimal.ONE) == 0) {
        return true;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        option + " column '" + column + "' must be 0 or 1 (or true/false) but has value '" + s + "'");
  }

  /** A finite number. */
  static double number(Object v, String option, String column) {
    if (v == null) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' is empty in some rows; it must be a number in every row");
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else {
      try {
        d = Double.parseDouble(v.toString().strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " column '" + column + "' must be numeric but has value '" + v + "'");
      }
    }
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' must be a finite number but has value " + d);
    }
    return d;
  }

  /** An integer, or null. */
  static Integer integerOrNull(Object v, String option, String column) {
    if (v == null) {
      return null;
    }
    double d = number(v, option, column);
    if (d != Math.rint(d) || Math.abs(d) > 1e6) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' must hold whole periods from -1000000 to 1000000 but has value '"
              + v + "'");
    }
    return (int) d;
  }

  /** A label (group key), never null. */
  static String label(Object v, String option, String column) {
    if (v == null) {
      throw new IllegalArgumentException(
          option + " column '" + column + "' is empty in some rows; every row needs a value");
    }
    return v.toString();
  }

  static long count(Object v) {
    return v == null ? 0 : ((Number) v).longValue();
  }

  static double sum(Object v) {
    return v == null ? 0 : ((Number) v).doubleValue();
  }
}
