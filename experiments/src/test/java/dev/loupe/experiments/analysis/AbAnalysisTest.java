package dev.loupe.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.lake.LakeLayout;
import dev.loupe.stats.abtest.AbResult;
import dev.loupe.stats.abtest.AbTest;
import dev.loupe.stats.abtest.Comparison;
import dev.loupe.stats.multiple.Correction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbAnalysisTest {

  // statsmodels / scipy numbers from stats/src/test/resources/golden/abtest.py (copied).
  private static final GoldenValues G = new GoldenValues("abtest.csv");
  private static final Path USERS = GoldenValues.resource("golden/abtest_users.csv");

  @Test
  void counts_csvMatchesStatsmodels(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("counts.csv");
    Files.writeString(f, "arm,users,conversions\ncontrol,10000,300\nb,10000,350\nc,9800,330\nd,10100,290\n");
    try (DataSource src = DataSource.ofFile(f)) {
      AbResult r = AbAnalysis.counts(src, AbTest.withDefaults().withCorrection(Correction.BENJAMINI_HOCHBERG), null).result();
      assertThat(r.comparisons()).extracting(Comparison::arm).containsExactly("b", "c", "d");
      for (Comparison c : r.comparisons()) {
        G.check("prop." + c.arm() + ".z", c.statistic(), 1e-10);
        G.check("prop." + c.arm() + ".bh", c.pAdjusted(), 1e-8);
      }
      G.check("srm.chi2", r.srm().chi2(), 1e-12);
    }
  }

  @Test
  void users_welchAndCupedMatchScipy() throws Exception {
    try (DataSource src = DataSource.ofFile(USERS)) {
      AbResult w = AbAnalysis.users(src, AbTest.withDefaults(), "arm", "revenue", null, null).result();
      AbResult c = AbAnalysis.users(src, AbTest.withDefaults(), "arm", "revenue", "pre_revenue", null).result();
      for (int i = 0; i < 2; i++) {
        String arm = w.comparisons().get(i).arm();
        G.check("welch." + arm + ".t", w.comparisons().get(i).statistic(), 1e-9);
        G.check("cuped." + arm + ".t", c.comparisons().get(i).statistic(), 1e-9);
        G.check("cuped." + arm + ".hi", c.comparisons().get(i).ciHigh(), 1e-9);
      }
    }
  }

  @Test
  void users_overLakeQuery(@TempDir Path dir) throws Exception {
    LakeLayout lake = LakeLayout.of(dir);
    Path part = lake.events().resolve("event_date=2026-11-26").resolve("event_type=purchase");
    Files.createDirectories(part);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (SELECT 'e' || row_number() OVER () AS event_id, 'u' || row_number() OVER () AS user_id,"
          + " TIMESTAMP '2026-11-26 10:00:00' AS event_time,"
          + " json_object('arm', arm, 'revenue', revenue, 'pre', pre_revenue)::VARCHAR AS properties,"
          + " TIMESTAMP '2026-11-26 10:00:01' AS received_at"
          + " FROM read_csv('" + USERS + "', header = true)) TO '" + part.resolve("part-0.parquet")
          + "' (FORMAT parquet)");
    }
    String sql = "SELECT properties->>'arm' AS arm, CAST(properties->>'revenue' AS DOUBLE) AS revenue,"
        + " CAST(properties->>'pre' AS DOUBLE) AS pre FROM events -- a trailing comment";
    try (DataSource src = DataSource.ofLakeQuery(lake, sql)) {
      AbResult r = AbAnalysis.users(src, AbTest.withDefaults(), "arm", "revenue", "pre", "control").result();
      G.check("cuped.b.t", r.comparisons().get(0).statistic(), 1e-9);
    }
  }

  @Test
  void counts_badInput(@TempDir Path dir) throws Exception {
    Path one = dir.resolve("one.csv");
    Files.writeString(one, "arm,users,conversions\ncontrol,100,3\n");
    try (DataSource src = DataSource.ofFile(one)) {
      assertThatThrownBy(() -> AbAnalysis.counts(src, AbTest.withDefaults(), null))
          .hasMessage("an A/B test needs at least 2 arms but the data has 1 [control]");
    }
    Path dup = dir.resolve("dup.csv");
    Files.writeString(dup, "arm,users,conversions\na,100,3\na,100,4\n");
    try (DataSource src = DataSource.ofFile(dup)) {
      assertThatThrownBy(() -> AbAnalysis.counts(src, AbTest.withDefaults(), null))
          .hasMessageStartingWith("arm 'a' appears more than once in file");
    }
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "arm,users,conversions\na,100,3\nb,100,x\n");
    try (DataSource src = DataSource.ofFile(bad)) {
      assertThatThrownBy(() -> AbAnalysis.counts(src, AbTest.withDefaults(), null))
          .hasMessage("--counts column 'conversions' must be numeric but has value 'x'");
    }
    Path missing = dir.resolve("missing.csv");
    Files.writeString(missing, "arm,users\na,100\n");
    try (DataSource src = DataSource.ofFile(missing)) {
      assertThatThrownBy(() -> AbAnalysis.counts(src, AbTest.withDefaults(), null))
          .hasMessageStartingWith("--counts column 'conversions' is not in file");
    }
    try (DataSource src = DataSource.ofFile(USERS)) {
      assertThatThrownBy(() -> AbAnalysis.users(src, AbTest.withDefaults(), "arm", "arm", null, null))
          .hasMessageMatching("--metric column 'arm' must be numeric but has non-numeric values"
              + " \\(for example '(b|c|control)'\\)");
    }
  }
}
