package dev.loupe.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Printing statistical results: NaN becomes null (JSON) or empty, with warnings saying why. */
final class StatsOutput {
  private StatsOutput() {}

  /** A number for output: null when NaN or infinite. */
  static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * Prints a flat result: a field/value table, one CSV row, or (with nested values) JSON. Lists
   * and maps inside are skipped in table and CSV form; callers print them separately.
   */
  static void flat(PrintWriter out, Format format, Map<String, Object> result) {
    if (format == Format.JSON) {
      Output.value(out, result);
      return;
    }
    List<String> cols = new ArrayList<>();
    List<Object> vals = new ArrayList<>();
    for (Map.Entry<String, Object> e : result.entrySet()) {
      Object v = e.getValue();
      if (v instanceof List<?> || v instanceof Map<?, ?>) {
        continue;
      }
      cols.add(e.getKey());
      vals.add(v);
    }
    if (format == Format.CSV) {
      Output.csv(out, cols, List.of(vals));
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      rows.add(java.util.Arrays.asList(cols.get(i), show(vals.get(i))));
    }
    Output.table(out, List.of("field", "value"), rows);
  }

  /** Rows of maps as a table or CSV (JSON is printed by the caller as part of the result). */
  static void rows(PrintWriter out, Format format, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<String> cols = new ArrayList<>(rows.get(0).keySet());
    List<List<Object>> cells = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      List<Object> row = new ArrayList<>();
      for (String c : cols) {
        row.add(format == Format.TABLE ? show(r.get(c)) : r.get(c));
      }
      cells.add(row);
    }
    if (format == Format.CSV) {
      Output.csv(out, cols, cells);
    } else {
      Output.table(out, cols, cells);
    }
  }

  /** Warnings after a table (stdout) or on stderr for CSV. */
  static void warnings(PrintWriter out, PrintWriter err, Format format, List<String> warnings) {
    if (format == Format.JSON) {
      return;
    }
    PrintWriter w = format == Format.TABLE ? out : err;
    for (String s : warnings) {
      w.println("warning: " + s);
    }
    w.flush();
  }

  static Map<String, Object> map() {
    return new LinkedHashMap<>();
  }

  /** Table cells: 6 significant digits, "null" for missing values, NaN and ±Infinity as such. */
  static Object show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        return d.toString();
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d.doubleValue());
      }
      java.math.BigDecimal b =
          new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros();
      double a = Math.abs(d);
      return a >= 1e-4 && a < 1e15
          ? b.toPlainString()
          : String.format(java.util.Locale.ROOT, "%.5e", d);
    }
    return v;
  }
}
