package dev.loupe.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.regression.Coefficient;
import dev.loupe.stats.regression.CovarianceType;
import dev.loupe.stats.regression.OlsFit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionAnalysisTest {

  // statsmodels OLS y ~ x1 * x2 on golden/regression_data.csv (stats/src/test/resources/golden/regression.py).
  private static final GoldenValues G = new GoldenValues("regression.csv");

  @Test
  void ols_crossProductsByClusterInSqlMatchStatsmodels() throws Exception {
    try (DataSource src = DataSource.ofFile(GoldenValues.resource("golden/regression_data.csv"))) {
      for (CovarianceType cov : List.of(CovarianceType.CLASSICAL, CovarianceType.CLUSTER)) {
        OlsFit fit = RegressionAnalysis.ols(src, "y", List.of("x1", "x2", "x1:x2"),
            cov == CovarianceType.CLUSTER ? "g" : null, cov, 0.05).result();
        String key = cov == CovarianceType.CLUSTER ? "cluster" : "nonrobust";
        for (Coefficient c : fit.coefficients()) {
          G.check(key + "." + c.name() + ".b", c.estimate(), 1e-9);
          G.check(key + "." + c.name() + ".se", c.stdError(), 1e-8);
          G.check(key + "." + c.name() + ".p", c.pValue(), 1e-7);
        }
        G.check(key + ".r2", fit.rSquared(), 1e-9);
      }
    }
  }

  @Test
  void ols_badInput() throws Exception {
    try (DataSource src = DataSource.ofFile(GoldenValues.resource("golden/abtest_users.csv"))) {
      assertThatThrownBy(() -> RegressionAnalysis.ols(src, "revenue", List.of("arm"), null,
              CovarianceType.CLASSICAL, 0.05))
          .hasMessage("term column 'arm' must be numeric but its type is VARCHAR");
      assertThatThrownBy(() -> RegressionAnalysis.ols(src, "revenue", List.of("pre_revenue", "pre_revenue"),
              null, CovarianceType.CLASSICAL, 0.05))
          .hasMessageContaining("column 'pre_revenue' is perfectly collinear");
      assertThatThrownBy(() -> RegressionAnalysis.ols(src, "revenue", List.of("pre_revenue"), null,
              CovarianceType.HC1, 0.05))
          .hasMessageContaining("covariance hc1 is not available");
      assertThat(RegressionAnalysis.ols(src, "revenue", List.of("pre_revenue"), null,
          CovarianceType.CLASSICAL, 0.05).rowsUsed()).isEqualTo(1200);
    }
  }
}
