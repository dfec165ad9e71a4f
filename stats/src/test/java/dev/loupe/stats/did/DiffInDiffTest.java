package dev.loupe.stats.did;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loupe.stats.Golden;
import dev.loupe.stats.regression.CovarianceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffInDiffTest {

  // statsmodels OLS on Card & Krueger (1994) and on a seeded event-study panel.
  // Regenerate: cd stats/src/test/resources/golden && /usr/bin/python3 did.py > did.csv
  private static final Golden G = Golden.load("did.csv");

  record CkRow(String store, int nj, int after, double fte) {}

  static List<CkRow> cardKrueger(boolean balanced) throws IOException {
    List<CkRow> rows = new ArrayList<>();
    try (InputStream in = DiffInDiffTest.class.getResourceAsStream("/data/card_krueger_tidy.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",", -1);
        if (!f[9].isEmpty()) {
          rows.add(new CkRow(f[0], Integer.parseInt(f[3]), Integer.parseInt(f[5]), Double.parseDouble(f[9])));
        }
      }
    }
    if (balanced) {
      Map<String, Integer> waves = new HashMap<>();
      rows.forEach(r -> waves.merge(r.store, 1, Integer::sum));
      rows.removeIf(r -> waves.get(r.store) < 2);
    }
    return rows;
  }

  static List<DidCell> cells(List<CkRow> rows) {
    List<DidCell> cells = new ArrayList<>();
    for (CkRow r : rows) {
      cells.add(new DidCell(r.nj == 1, r.after == 1, r.store, 1, r.fte, r.fte * r.fte));
    }
    return cells;
  }

  @Test
  void twoByTwo_cardKruegerMatchesStatsmodels() throws IOException {
    for (String sample : List.of("all", "balanced")) {
      List<DidCell> cells = cells(cardKrueger(sample.equals("balanced")));
      for (String cov : List.of("nonrobust", "HC1", "HC3", "cluster")) {
        CovarianceType type =
            cov.equals("nonrobust") ? CovarianceType.CLASSICAL
                : cov.equals("cluster") ? CovarianceType.CLUSTER : CovarianceType.valueOf(cov);
        DidEstimate e = DiffInDiff.withDefaults().withCovariance(type).twoByTwo(cells);
        String k = "ck." + sample + "." + cov + ".";
        G.check(k + "b", e.estimate(), 1e-9);
        G.check(k + "se", e.stdError(), 1e-8);
        G.check(k + "p", e.pValue(), 1e-7);
        G.check(k + "lo", e.ciLow(), 1e-8);
        G.check(k + "hi", e.ciHigh(), 1e-8);
        G.check(k + "df_resid", e.dfResid(), 0);
        G.check(k + "n", e.nObs(), 0);
        G.check("ck." + sample + ".means_did", e.means().did(), 1e-12);
      }
    }
  }

  @Test
  void twoByTwo_reproducesCardKruegerTable3() throws IOException {
    // Table 3, row 3: difference-in-differences of mean FTE employment, NJ − PA.
    // All available stores: 2.76 in the paper, from its rounded changes 0.59 and −2.16; the
    // unrounded means give 2.754. Balanced sample: 2.75 (standard error 1.34).
    DidEstimate all = DiffInDiff.withDefaults().twoByTwo(cells(cardKrueger(false)));
    assertThat(all.estimate()).isCloseTo(2.754, within(0.0005));
    assertThat(all.means().treatedAfter() - all.means().treatedBefore()).isCloseTo(0.59, within(0.005));
    assertThat(all.means().controlAfter() - all.means().controlBefore()).isCloseTo(-2.17, within(0.005));
    DidEstimate balanced =
        DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER)
            .twoByTwo(cells(cardKrueger(true)));
    assertThat(balanced.estimate()).isCloseTo(2.75, within(1e-9));
    assertThat(balanced.stdError()).isCloseTo(1.34, within(0.005));
    assertThat(balanced.nClusters()).isEqualTo(384);
  }

  @Test
  void twoWayFixedEffects_cardKruegerMatchesStatsmodels() throws IOException {
    for (String sample : List.of("all", "balanced")) {
      List<PanelCell> cells = new ArrayList<>();
      for (CkRow r : cardKrueger(sample.equals("balanced"))) {
        cells.add(new PanelCell(r.store, Integer.toString(r.after), r.nj * r.after, null, r.store, 1,
            r.fte, r.fte * r.fte));
      }
      for (String cov : List.of("nonrobust", "cluster")) {
        CovarianceType type = cov.equals("cluster") ? CovarianceType.CLUSTER : CovarianceType.CLASSICAL;
        DidEstimate e = DiffInDiff.withDefaults().withCovariance(type).twoWayFixedEffects(cells);
        String k = "ck." + sample + ".twfe." + cov + ".";
        G.check(k + "b", e.estimate(), 1e-9);
        G.check(k + "se", e.stdError(), 1e-8);
        G.check(k + "p", e.pValue(), 1e-7);
        G.check(k + "df_resid", e.dfResid(), 0);
        if (type == CovarianceType.CLUSTER) {
          assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("Stata xtreg, fe"));
        }
      }
    }
  }

  static List<PanelCell> eventPanel() throws IOException {
    List<PanelCell> cells = new ArrayList<>();
    try (InputStream in = DiffInDiffTest.class.getResourceAsStream("/golden/event_panel.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",", -1);
        double y = Double.parseDouble(f[2]);
        Integer rel = f[3].isEmpty() ? null : (int) Double.parseDouble(f[3]);
        cells.add(new PanelCell(f[0], f[1], Double.parseDouble(f[4]), rel, f[0], 1, y, y * y));
      }
    }
    return cells;
  }

  @Test
  void eventStudy_matchesStatsmodelsAndFlagsPretrend() throws IOException {
    EventStudy es =
        DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER).eventStudy(eventPanel());
    int checked = 0;
    for (EventStudy.Period p : es.coefficients()) {
      if (p.reference()) {
        assertThat(p.relTime()).isEqualTo(-1);
        assertThat(p.estimate()).isZero();
        assertThat(p.stdError()).isNaN();
        continue;
      }
      G.check("es." + p.relTime() + ".b", p.estimate(), 1e-9);
      G.check("es." + p.relTime() + ".se", p.stdError(), 1e-8);
      G.check("es." + p.relTime() + ".p", p.pValue(), 1e-7);
      checked++;
    }
    assertThat(checked).isEqualTo(12); // relative periods -6..6 except -1
    G.check("es.pretrend.F", es.pretrend().f(), 1e-8);
    G.check("es.pretrend.p", es.pretrend().pValue(), 1e-7);
    G.check("es.pretrend.df1", es.pretrend().df1(), 0);
    G.check("es.pretrend.df2", es.pretrend().df2(), 0);
    assertThat(es.verdict()).startsWith("Pre-trends detected: the 5 leads are jointly different from zero");
    assertThat(es.nClusters()).isEqualTo(60);

    DidEstimate twfe =
        DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER).twoWayFixedEffects(eventPanel());
    G.check("es.twfe.b", twfe.estimate(), 1e-9);
    G.check("es.twfe.se", twfe.stdError(), 1e-8);
    assertThat(twfe.warnings()).anySatisfy(w -> assertThat(w).startsWith("treatment starts in different periods"));
  }

  @Test
  void twoByTwo_seedExampleHasNoStandardError() {
    // Seed exercise S7: Seattle 45 → 58 (treated), Portland 42 → 48.
    assertThat(DiffInDiff.fromMeans(45, 58, 42, 48)).isEqualTo(7.0);
    List<DidCell> cells = List.of(
        new DidCell(true, false, null, 1, 45, 45 * 45), new DidCell(true, true, null, 1, 58, 58 * 58),
        new DidCell(false, false, null, 1, 42, 42 * 42), new DidCell(false, true, null, 1, 48, 48 * 48));
    DidEstimate e = DiffInDiff.withDefaults().twoByTwo(cells);
    assertThat(e.estimate()).isCloseTo(7.0, within(1e-12));
    assertThat(e.stdError()).isNaN();
    assertThat(e.pValue()).isNaN();
    assertThat(e.ciLow()).isNaN();
    assertThat(e.dfResid()).isZero();
    assertThat(e.warnings()).singleElement().asString().contains("zero residual degrees of freedom");
  }

  @Test
  void twoByTwo_emptyGroup() {
    List<DidCell> cells = List.of(
        new DidCell(true, false, null, 3, 45, 700), new DidCell(true, true, null, 3, 58, 1200),
        new DidCell(false, false, null, 3, 42, 600));
    assertThatThrownBy(() -> DiffInDiff.withDefaults().twoByTwo(cells))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group control after (treated=0, post=1) has no observations;"
            + " difference-in-differences needs all four groups");
  }

  @Test
  void eventStudy_noTreatedUnits() {
    List<PanelCell> cells = List.of(new PanelCell("a", "1", 0, null, "a", 1, 1, 1),
        new PanelCell("a", "2", 0, null, "a", 1, 2, 4));
    assertThatThrownBy(() -> DiffInDiff.withDefaults().eventStudy(cells))
        .hasMessageStartingWith("relative time is empty for every row: no unit is ever treated");
  }

  @Test
  void fromMeans_rejectsNaN() {
    assertThatThrownBy(() -> DiffInDiff.fromMeans(1, Double.NaN, 1, 1))
        .hasMessage("mean treated after must be a finite number but was NaN");
  }
}
