package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module dependency rules of DESIGN.md, enforced. Think hard before changing this: the rules
 * keep pure code (events, stats, graph) free of I/O and keep the layers pointing down.
 */
class ArchitectureTest {

  /** Module → the Loupe modules its pom may declare. What those use comes along transitively. */
  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "events", Set.of(),
          "stats", Set.of(),
          "graph", Set.of("stats"),
          "lake", Set.of("events"),
          "sql", Set.of("lake"),
          "experiments", Set.of("sql", "stats", "graph"),
          "server", Set.of("experiments"),
          "cli", Set.of("server"),
          "flink", Set.of("lake"));

  private static final Pattern LOUPE_DEP =
      Pattern.compile("<artifactId>loupe-([a-z]+)</artifactId>");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.loupe\\.([a-z]+)\\.", Pattern.MULTILINE);

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void modulePoms_declareOnlyAllowedLoupeModules() throws IOException {
    for (var e : ALLOWED.entrySet()) {
      Path pom = ROOT.resolve(e.getKey()).resolve("pom.xml");
      if (!Files.exists(pom)) {
        continue; // e.g. flink, which comes with the distributed runtime
      }
      Set<String> declared = new TreeSet<>();
      Matcher m = LOUPE_DEP.matcher(dependenciesOf(Files.readString(pom)));
      while (m.find()) {
        declared.add(m.group(1));
      }
      assertThat(declared)
          .as("Loupe modules declared by %s/pom.xml (allowed: %s)", e.getKey(), e.getValue())
          .isSubsetOf(e.getValue());
    }
  }

  @Test
  void mainSources_importOnlyModulesBelowThem() throws IOException {
    for (String module : ALLOWED.keySet()) {
      Path src = ROOT.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(src)) {
        continue;
      }
      Set<String> reachable = reachable(module);
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          Matcher m = IMPORT.matcher(Files.readString(f));
          while (m.find()) {
            assertThat(reachable)
                .as("%s imports dev.loupe.%s, which module %s may not use", ROOT.relativize(f), m.group(1), module)
                .contains(m.group(1));
          }
        }
      }
    }
  }

  @Test
  void nothingDependsOnBench() throws IOException {
    for (String module : ALLOWED.keySet()) {
      Path pom = ROOT.resolve(module).resolve("pom.xml");
      if (Files.exists(pom)) {
        assertThat(Files.readString(pom)).doesNotContain("<artifactId>loupe-bench</artifactId>");
      }
    }
  }

  @Test
  void rulesRejectAnUpwardDependency() {
    // The check above would catch lake → sql: sql is not reachable from lake.
    assertThat(reachable("lake")).doesNotContain("sql", "server");
    assertThat(reachable("server")).contains("lake", "events", "stats", "graph");
  }

  private static Set<String> reachable(String module) {
    Set<String> seen = new TreeSet<>();
    seen.add(module);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String m : Set.copyOf(seen)) {
        for (String d : ALLOWED.getOrDefault(m, Set.of())) {
          grew |= seen.add(d);
        }
      }
    }
    return seen;
  }

  private static String dependenciesOf(String pom) {
    int start = pom.indexOf("<dependencies>");
    return start < 0 ? "" : pom.substring(start);
  }
}
