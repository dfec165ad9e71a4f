package dev.loupe.cli.network;

import dev.loupe.cli.Format;
import dev.loupe.cli.Output;
import dev.loupe.graph.GraphSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Printing helpers of the network commands: nested maps as JSON, flattened for table and CSV. */
final class Report {

  private Report() {}

  static void print(PrintWriter out, Format format, Map<String, Object> report) {
    if (format == Format.JSON) {
      Output.value(out, clean(report));
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    flatten("", report, rows);
    Output.rows(out, format, List.of("field", "value"), rows);
  }

  static Map<String, Object> graphSummary(GraphSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodes", s.nodes());
    m.put("edges", s.edges());
    m.put("self_loops_dropped", s.selfLoopsDropped());
    m.put("duplicate_edges_dropped", s.duplicateEdgesDropped());
    m.put("components", s.components());
    m.put("largest_component", s.largestComponent());
    m.put("isolated_nodes", s.isolatedNodes());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("min", s.degree().min());
    d.put("median", s.degree().median());
    d.put("mean", s.degree().mean());
    d.put("p90", s.degree().p90());
    d.put("p99", s.degree().p99());
    d.put("max", s.degree().max());
    List<Map<String, Object>> hist = new ArrayList<>();
    for (GraphSummary.Bin b : s.degree().histogram()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("low", b.low());
      h.put("high", b.high());
      h.put("count", b.count());
      hist.add(h);
    }
    d.put("histogram", hist);
    m.put("degree", d);
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Object clean(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (var e : ((Map<String, Object>) m).entrySet()) {
        o.put(e.getKey(), clean(e.getValue()));
      }
      return o;
    }
    if (v instanceof List<?> l) {
      List<Object> o = new ArrayList<>();
      for (Object x : l) {
        o.add(clean(x));
      }
      return o;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object v, List<List<Object>> rows) {
    if (v instanceof Map<?, ?> m) {
      for (var e : ((Map<String, Object>) m).entrySet()) {
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
      }
    } else if (v instanceof List<?> l && !l.isEmpty() && (l.get(0) instanceof Map || l.get(0) instanceof List)) {
      for (int i = 0; i < l.size(); i++) {
        flatten(prefix + "[" + i + "]", l.get(i), rows);
      }
    } else {
      rows.add(List.of(prefix, v == null ? "" : v));
    }
  }

  /** Writes a CSV file (values must not need quoting beyond commas and quotes, handled here). */
  static void writeCsv(Path file, List<String> header, Iterable<? extends List<?>> rows) {
    String name = file.getFileName().toString();
    if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
      throw new IllegalArgumentException("--output must be a .csv file but was " + file);
    }
    Output.requireWritableFile("--output", file);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write(String.join(",", header));
      w.newLine();
      StringBuilder sb = new StringBuilder();
      for (List<?> row : rows) {
        sb.setLength(0);
        for (int i = 0; i < row.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          Object o = row.get(i);
          String s = o == null ? "" : o instanceof Double d ? (Double.isFinite(d) ? d.toString() : "") : o.toString();
          if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
          }
          sb.append(s);
        }
        w.write(sb.toString());
        w.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
