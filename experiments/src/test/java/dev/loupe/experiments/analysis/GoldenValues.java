package dev.loupe.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;

/** key,value golden files copied from the stats module (see golden/README.md). */
final class GoldenValues {
  private final Map<String, Double> values = new HashMap<>();

  GoldenValues(String name) {
    try (InputStream in = GoldenValues.class.getResourceAsStream("/golden/" + name)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(',');
        values.put(lines[i].substring(0, c), Double.parseDouble(lines[i].substring(c + 1).trim()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void check(String key, double actual, double rel) {
    double e = values.get(key);
    assertThat(actual).as(key).isCloseTo(e, Offset.offset(rel * Math.abs(e)));
  }

  /** Card and Krueger's stores, one row per store and wave: the stats module's test copy (see its SOURCE.md). */
  static final Path CARD_KRUEGER = Path.of("../stats/src/test/resources/data/card_krueger_tidy.csv").toAbsolutePath();

  static Path resource(String name) {
    try {
      return Path.of(GoldenValues.class.getResource("/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
