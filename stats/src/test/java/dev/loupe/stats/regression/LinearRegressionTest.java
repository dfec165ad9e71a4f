package dev.loupe.stats.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinearRegressionTest {

  // statsmodels OLS y ~ x1 * x2 with cov_type in {nonrobust, HC0..HC3, cluster(g)}, use_t=True,
  // on golden/regression_data.csv. Regenerate: cd stats/src/test/resources/golden &&
  // /usr/bin/python3 regression.py > regression.csv
  private static final Golden G = Golden.load("regression.csv");
  private static final List<String> NAMES = List.of("Intercept", "x1", "x2", "x1:x2");

  record Row(double y, double x1, double x2, String g, String h) {}

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = LinearRegressionTest.class.getResourceAsStream("/golden/regression_data.csv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split(",");
        rows.add(
            new Row(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                f[3], f[4]));
      }
    }
    return rows;
  }

  static List<Cell> cells() throws IOException {
    List<Cell> cells = new ArrayList<>();
    for (Row r : rows()) {
      cells.add(new Cell(new double[] {1, r.x1, r.x2, r.x1 * r.x2}, r.g, 1, r.y, r.y * r.y));
    }
    return cells;
  }

  @Test
  void fitCells_everyCovarianceTypeMatchesStatsmodels() throws IOException {
    List<Cell> cells = cells();
    Map<CovarianceType, String> keys = new LinkedHashMap<>();
    keys.put(CovarianceType.CLASSICAL, "nonrobust");
    for (CovarianceType t : List.of(CovarianceType.HC0, CovarianceType.HC1, CovarianceType.HC2,
        CovarianceType.HC3)) {
      keys.put(t, t.name());
    }
    keys.put(CovarianceType.CLUSTER, "cluster");
    for (Map.Entry<CovarianceType, String> e : keys.entrySet()) {
      OlsFit fit = LinearRegression.of(NAMES).withCovariance(e.getKey()).fitCells(cells);
      for (Coefficient c : fit.coefficients()) {
        String k = e.getValue() + "." + c.name() + ".";
        G.check(k + "b", c.estimate(), 1e-9);
        G.check(k + "se", c.stdError(), 1e-8);
        G.check(k + "p", c.pValue(), 1e-7);
        G.check(k + "lo", c.ciLow(), 1e-8);
        G.check(k + "hi", c.ciHigh(), 1e-8);
      }
      G.check(e.getValue() + ".r2", fit.rSquared(), 1e-9);
      assertThat(fit.warnings()).isEmpty();
    }
  }

  @Test
  void fitClusters_equalsCellsAndWaldMatchesStatsmodels() throws IOException {
    Map<String, CrossProducts> clusters = new LinkedHashMap<>();
    for (Row r : rows()) {
      clusters.computeIfAbsent(r.g, k -> CrossProducts.create(4))
          .accept(new double[] {1, r.x1, r.x2, r.x1 * r.x2}, r.y);
    }
    OlsFit fit = LinearRegression.of(NAMES).withCovariance(CovarianceType.CLUSTER).fitClusters(clusters);
    assertThat(fit.nClusters()).isEqualTo(25);
    assertThat(fit.dfInference()).isEqualTo(24);
    assertThat(fit.dfResid()).isEqualTo(296);
    G.check("cluster.x1:x2.se", fit.coefficient("x1:x2").stdError(), 1e-8);
    WaldTest w = fit.waldTest(List.of("x2", "x1:x2"));
    G.check("cluster.wald.F", w.f(), 1e-8);
    G.check("cluster.wald.p", w.pValue(), 1e-7);
    G.check("cluster.wald.df2", w.df2(), 0);
  }

  @Test
  void fitAbsorbed_matchesExplicitDummies() throws IOException {
    for (String cov : List.of("nonrobust", "cluster")) {
      Map<String, CrossProducts> byGroup = new LinkedHashMap<>();
      for (Row r : rows()) {
        byGroup.computeIfAbsent(r.g, k -> CrossProducts.create(2))
            .accept(new double[] {r.x1, r.x1 * r.x2}, r.y);
      }
      List<AbsorbedCell> cells = new ArrayList<>();
      byGroup.forEach((g, cp) -> cells.add(new AbsorbedCell(g, g, cp)));
      CovarianceType type = cov.equals("cluster") ? CovarianceType.CLUSTER : CovarianceType.CLASSICAL;
      OlsFit fit = LinearRegression.of(List.of("x1", "x1:x2")).withCovariance(type).fitAbsorbed(cells);
      for (Coefficient c : fit.coefficients()) {
        String k = "absorb_g." + cov + "." + c.name() + ".";
        G.check(k + "b", c.estimate(), 1e-9);
        G.check(k + "se", c.stdError(), 1e-8);
        G.check(k + "p", c.pValue(), 1e-6);
      }
      G.check("absorb_g." + cov + ".r2", fit.rSquared(), 1e-9);
      G.check("absorb_g." + cov + ".df_resid", fit.dfResid(), 0);
    }
  }

  @Test
  void fitAbsorbed_clustersNotNestingGroups() throws IOException {
    Map<String, CrossProducts> cells = new LinkedHashMap<>();
    for (Row r : rows()) {
      cells.computeIfAbsent(r.h + "|" + r.g, k -> CrossProducts.create(2))
          .accept(new double[] {r.x1, r.x2}, r.y);
    }
    List<AbsorbedCell> list = new ArrayList<>();
    cells.forEach((k, cp) -> list.add(new AbsorbedCell(k.split("\\|")[0], k.split("\\|")[1], cp)));
    OlsFit fit = LinearRegression.of(List.of("x1", "x2")).withCovariance(CovarianceType.CLUSTER)
        .fitAbsorbed(list);
    for (String nm : List.of("x1", "x2")) {
      G.check("absorb_h." + nm + ".b", fit.coefficient(nm).estimate(), 1e-9);
      G.check("absorb_h." + nm + ".se", fit.coefficient(nm).stdError(), 1e-8);
    }
  }

  @Test
  void fit_zeroResidualDegreesOfFreedom() {
    // Seed exercise S7: rides ~ treatment + after + treatment:after on 4 rows.
    double[][] x = {{1, 1, 0, 0}, {1, 1, 1, 1}, {1, 0, 0, 0}, {1, 0, 1, 0}};
    double[] y = {45, 58, 42, 48};
    CrossProducts cp = CrossProducts.create(4);
    for (int i = 0; i < 4; i++) {
      cp.accept(x[i], y[i]);
    }
    OlsFit fit = LinearRegression.of(List.of("Intercept", "treatment", "after", "treatment:after")).fit(cp);
    Coefficient did = fit.coefficient("treatment:after");
    assertThat(did.estimate()).isCloseTo(7.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(did.stdError()).isNaN();
    assertThat(did.pValue()).isNaN();
    assertThat(fit.dfResid()).isZero();
    assertThat(fit.warnings()).singleElement().asString()
        .startsWith("zero residual degrees of freedom (4 observations, 4 parameters)");
  }

  @Test
  void fitCells_constantOutcomeIsReported() {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      cells.add(new Cell(new double[] {1, i % 2}, "c" + i % 3, 2, 10, 50));
    }
    for (CovarianceType t : CovarianceType.values()) {
      OlsFit fit = LinearRegression.of(List.of("Intercept", "x")).withCovariance(t).fitCells(cells);
      Coefficient x = fit.coefficient("x");
      assertThat(x.estimate()).as(t.name()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(x.stdError()).as(t.name()).isZero();
      assertThat(x.statistic()).as(t.name()).isNaN();
      assertThat(x.ciLow()).as(t.name()).isNaN();
      assertThat(fit.warnings()).as(t.name()).singleElement().asString()
          .startsWith("all residuals are 0 (the outcome is fitted exactly");
    }
  }

  @Test
  void fit_perfectlyCollinearColumn() {
    CrossProducts cp = CrossProducts.create(3);
    for (int i = 0; i < 10; i++) {
      cp.accept(new double[] {1, i, 2 * i + 1}, i * i);
    }
    assertThatThrownBy(() -> LinearRegression.of(List.of("Intercept", "a", "b")).fit(cp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column 'b' is perfectly collinear with the columns before it [Intercept, a];"
            + " remove it or one of them");
  }

  @Test
  void fit_zeroColumnAndConstantWithinGroups() {
    CrossProducts cp = CrossProducts.create(2);
    for (int i = 0; i < 10; i++) {
      cp.accept(new double[] {1, 0}, i);
    }
    assertThatThrownBy(() -> LinearRegression.of(List.of("Intercept", "z")).fit(cp))
        .hasMessage("column 'z' is zero in every row; it cannot be estimated, remove it");
    CrossProducts g = CrossProducts.create(1);
    g.accept(new double[] {3}, 1).accept(new double[] {3}, 2);
    assertThatThrownBy(
            () -> LinearRegression.of(List.of("x")).fitAbsorbed(List.of(new AbsorbedCell("a", null, g))))
        .hasMessageContaining("column 'x' is zero in every row after absorbing the fixed effects");
  }

  @Test
  void fit_badInput() {
    assertThatThrownBy(() -> CrossProducts.create(2).accept(new double[] {1, Double.NaN}, 1))
        .hasMessage("regressor #2 must be a finite number but was NaN");
    assertThatThrownBy(() -> CrossProducts.create(2).accept(new double[] {1, 2}, Double.NaN))
        .hasMessage("outcome must be a finite number but was NaN");
    assertThatThrownBy(() -> LinearRegression.of(List.of("a")).fit(CrossProducts.create(1)))
        .hasMessage("no observations: the data has 0 rows");
    assertThatThrownBy(
            () -> LinearRegression.of(List.of("a")).withCovariance(CovarianceType.HC1)
                .fit(CrossProducts.create(1)))
        .hasMessageContaining("covariance hc1 needs per-cluster or per-cell statistics");
    assertThatThrownBy(
            () -> LinearRegression.of(List.of("x")).withCovariance(CovarianceType.HC1)
                .fitAbsorbed(List.of()))
        .hasMessageStartingWith("covariance hc1 is not available with absorbed fixed effects")
        .hasMessageContaining("use cluster or classical");
    assertThat(String.format(Locale.ROOT, "%s", CovarianceType.HC3)).isEqualTo("HC3");
  }

  @Test
  void fitCells_singleClusterIsReported() {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      cells.add(new Cell(new double[] {1, i}, "only", 1, i * 2.0 + (i % 2), Math.pow(i * 2.0 + (i % 2), 2)));
    }
    OlsFit fit = LinearRegression.of(List.of("Intercept", "x")).withCovariance(CovarianceType.CLUSTER)
        .fitCells(cells);
    assertThat(fit.coefficient("x").stdError()).isNaN();
    assertThat(fit.warnings())
        .containsExactly("cluster-robust standard errors need at least 2 clusters but the data has 1");
  }
}
