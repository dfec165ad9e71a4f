package dev.loupe.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a {@code key,value} golden file from test resources (golden/…) and compares numbers. */
public final class Golden {
  private final String name;
  private final Map<String, Double> values;

  private Golden(String name, Map<String, Double> values) {
    this.name = name;
    this.values = values;
  }

  public static Golden load(String resource) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource golden/" + resource);
      }
      Map<String, Double> v = new LinkedHashMap<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].trim();
        if (!line.isEmpty()) {
          int c = line.indexOf(',');
          v.put(line.substring(0, c), Double.parseDouble(line.substring(c + 1)));
        }
      }
      return new Golden(resource, v);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public double get(String key) {
    Double d = values.get(key);
    if (d == null) {
      throw new IllegalStateException(name + " has no key " + key);
    }
    return d;
  }

  /** Asserts |actual − expected| ≤ rel·max(|expected|, floor). */
  public void check(String key, double actual, double rel) {
    double expected = get(key);
    double tol = rel * Math.max(Math.abs(expected), 1e-300);
    assertThat(actual).as(name + " " + key).isCloseTo(expected, org.assertj.core.data.Offset.offset(tol));
  }
}
