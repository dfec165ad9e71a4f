package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints results as an aligned text table, CSV (RFC 4180 quoting) or JSON.
 *
 * <p>JSON values: numbers stay numbers, {@code NaN} and infinities (which JSON cannot carry)
 * become {@code null}; a command that prints a null must also print a warning saying why.
 */
public final class Output {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .findAndAddModules()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Output() {}

  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Checks that {@code file}, given with {@code option}, can be created: it is not a directory and
   * its directory exists.
   *
   * @throws IllegalArgumentException naming the option, the path and what is wrong
   */
  public static void requireWritableFile(String option, Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(option + " " + file + " is a directory; give a file name");
    }
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(option + " " + file + ": directory " + parent + " does not exist");
    }
  }

  /** Prints rows in the given format; JSON is an array of objects keyed by column. */
  public static void rows(
      PrintWriter out, Format format, List<String> columns, List<? extends List<?>> rows) {
    switch (format) {
      case TABLE -> table(out, columns, rows);
      case CSV -> csv(out, columns, rows);
      case JSON -> {
        List<Map<String, Object>> objects = new ArrayList<>(rows.size());
        for (List<?> row : rows) {
          Map<String, Object> o = new LinkedHashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            o.put(columns.get(i), jsonValue(row.get(i)));
          }
          objects.add(o);
        }
        value(out, objects);
      }
    }
    out.flush();
  }

  /** Prints any value (records, maps, lists) as indented JSON. */
  public static void value(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render result as JSON: " + e.getMessage(), e);
    }
    out.flush();
  }

  public static void table(PrintWriter out, List<String> columns, List<? extends List<?>> rows) {
    int n = columns.size();
    int[] width = new int[n];
    List<String[]> cells = new ArrayList<>(rows.size());
    for (int i = 0; i < n; i++) {
      width[i] = columns.get(i).length();
    }
    for (List<?> row : rows) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        c[i] = text(row.get(i));
        width[i] = Math.max(width[i], c[i].length());
      }
      cells.add(c);
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, columns.toArray(new String[0]), width);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    sb.append('\n');
    for (String[] c : cells) {
      appendRow(sb, c, width);
    }
    out.print(sb);
    out.flush();
  }

  public static void csv(PrintWriter out, List<String> columns, List<? extends List<?>> rows) {
    StringBuilder sb = new StringBuilder();
    csvLine(sb, columns);
    for (List<?> row : rows) {
      csvLine(sb, row);
    }
    out.print(sb);
    out.flush();
  }

  private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(width[i] - cells[i].length()));
      }
    }
    sb.append('\n');
  }

  private static void csvLine(StringBuilder sb, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String s = values.get(i) == null ? "" : text(values.get(i));
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(s);
      }
    }
    sb.append('\n');
  }

  /** How a single value is shown in a table or CSV cell. */
  static String text(Object jdbcValue) {
    Object v = dev.loupe.sql.SqlValues.plain(jdbcValue);
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? formatDouble(d) : "NaN".equals(d.toString()) ? "NaN" : d.toString();
    }
    if (v instanceof Float f) {
      return formatDouble(f.doubleValue());
    }
    return v.toString();
  }

  private static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static Object jsonValue(Object jdbcValue) {
    return plainJson(dev.loupe.sql.SqlValues.plain(jdbcValue));
  }

  /** A plain value (see {@link dev.loupe.sql.SqlValues#plain}) as Jackson writes it. */
  private static Object plainJson(Object v) {
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(plainJson(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), plainJson(e.getValue()));
      }
      return out;
    }
    if (v instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (v instanceof Float f && !Float.isFinite(f)) {
      return null;
    }
    if (v instanceof java.sql.Timestamp t) {
      // Lake timestamps are naive UTC by contract: print the stored wall-clock value, whatever
      // the JVM's time zone.
      return t.toLocalDateTime().toString();
    }
    if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.util.UUID) {
      return v.toString();
    }
    return v;
  }
}
