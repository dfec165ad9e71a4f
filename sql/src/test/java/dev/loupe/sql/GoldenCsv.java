package dev.loupe.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the golden CSV files (RFC 4180: quoted fields, doubled quotes, no embedded newlines). */
final class GoldenCsv {

  private GoldenCsv() {}

  /** Rows without the header line. */
  static List<List<String>> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(split(line));
    }
    return rows;
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(cell.toString());
    return out;
  }

  /** A PostgreSQL array literal such as {a,b} as a list. */
  static List<String> array(String literal) {
    String inner = literal.substring(1, literal.length() - 1);
    return inner.isEmpty() ? List.of() : List.of(inner.split(","));
  }
}
