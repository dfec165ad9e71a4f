package dev.loupe.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.did.DidEstimate;
import dev.loupe.stats.did.DiffInDiff;
import dev.loupe.stats.did.EventStudy;
import dev.loupe.stats.regression.CovarianceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DidAnalysisTest {

  // statsmodels numbers from stats/src/test/resources/golden/did.py (copied to golden/did.csv).
  private static final GoldenValues G = new GoldenValues("did.csv");
  private static final Path CK = GoldenValues.CARD_KRUEGER;
  private static final DiffInDiff CLUSTERED = DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER);

  @Test
  void twoByTwo_cardKruegerCsvMatchesStatsmodels() throws Exception {
    try (DataSource src = DataSource.ofFile(CK)) {
      Analyzed<DidEstimate> a = DidAnalysis.twoByTwo(src, CLUSTERED, "fte", "nj", "after", "store_id");
      DidEstimate e = a.result();
      G.check("ck.all.cluster.b", e.estimate(), 1e-9);
      G.check("ck.all.cluster.se", e.stdError(), 1e-8);
      G.check("ck.all.cluster.p", e.pValue(), 1e-7);
      G.check("ck.all.cluster.n", e.nObs(), 0);
      assertThat(a.rowsRead()).isEqualTo(820);
      assertThat(a.warnings()).contains("dropped 26 of 820 rows whose --outcome column 'fte' is empty");
    }
  }

  @Test
  void twoByTwo_parquetGivesTheSameNumbers(@TempDir Path dir) throws Exception {
    Path pq = dir.resolve("ck.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (SELECT * FROM read_csv('" + CK + "', header = true)) TO '" + pq + "' (FORMAT parquet)");
    }
    try (DataSource src = DataSource.ofFile(pq)) {
      DidEstimate e = DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults().withCovariance(CovarianceType.HC3),
          "fte", "nj", "after", null).result();
      G.check("ck.all.HC3.se", e.stdError(), 1e-8);
    }
  }

  @Test
  void panel_cardKruegerTwoWayFixedEffects() throws Exception {
    // The treatment indicator D = nj * after, written as a column of a copy of the file.
    Path withD = Files.createTempFile("ck", ".csv");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (SELECT *, nj * after AS d FROM read_csv('" + CK + "', header = true)) TO '"
          + withD + "' (HEADER, DELIMITER ',')");
    }
    try (DataSource src = DataSource.ofFile(withD)) {
      DidEstimate e = DidAnalysis.panel(src, CLUSTERED, "fte", "store_id", "after", "d", null).result();
      G.check("ck.all.twfe.cluster.b", e.estimate(), 1e-9);
      G.check("ck.all.twfe.cluster.se", e.stdError(), 1e-8);
    } finally {
      Files.deleteIfExists(withD);
    }
  }

  @Test
  void eventStudy_panelCsvMatchesStatsmodels() throws Exception {
    try (DataSource src = DataSource.ofFile(GoldenValues.resource("golden/event_panel.csv"))) {
      EventStudy es = DidAnalysis.eventStudy(src, CLUSTERED, "y", "unit", "time", "rel", null).result();
      G.check("es.pretrend.F", es.pretrend().f(), 1e-8);
      G.check("es.pretrend.p", es.pretrend().pValue(), 1e-7);
      G.check("es.3.se", es.coefficients().stream().filter(p -> p.relTime() == 3).findFirst()
          .orElseThrow().stdError(), 1e-8);
    }
  }

  @Test
  void twoByTwo_badInput(@TempDir Path dir) throws Exception {
    try (DataSource src = DataSource.ofFile(CK)) {
      assertThatThrownBy(() -> DidAnalysis.twoByTwo(src, CLUSTERED, "jobs", "nj", "after", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--outcome column 'jobs' is not in file ")
          .hasMessageContaining("its columns are [store_id, sheet, chain, nj, wave, after,");
      assertThatThrownBy(() -> DidAnalysis.twoByTwo(src, CLUSTERED, "fte", "chain", "after", null))
          .hasMessageMatching("--treated column 'chain' must be 0 or 1 \\(or true/false\\) but has value"
              + " '2' on line [0-9]+");
      assertThatThrownBy(() -> DidAnalysis.twoByTwo(src, CLUSTERED, "wave", "nj", "after", null))
          .hasMessageMatching("--outcome column 'wave' must be numeric but has non-numeric values"
              + " \\(for example 'before' on line 2\\)");
    }
    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "y,t,p\n1,0,0\n2,0,1\nNaN,1,0\n4,1,1\n5,1,1\n");
    try (DataSource src = DataSource.ofFile(nan)) {
      assertThatThrownBy(() -> DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", null))
          .hasMessage("--outcome column 'y' must hold finite numbers but has value 'NaN' on line 4;"
              + " remove or fix those rows");
    }
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "y,t,p\n1,0,0\n2,0,1\n4,1,1\n5,1,1\n");
    try (DataSource src = DataSource.ofFile(empty)) {
      assertThatThrownBy(() -> DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", null))
          .hasMessageStartingWith("group treated before (treated=1, post=0) has no observations");
    }
  }
}
