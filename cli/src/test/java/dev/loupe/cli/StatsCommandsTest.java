package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The did, abtest, power and sequential commands end to end. Reference numbers: R power.prop.test
 * and statsmodels, from the golden files of the stats module (stats/src/test/resources/golden).
 */
class StatsCommandsTest {

  private static final Path GOLDEN = Path.of("../stats/src/test/resources/golden").toAbsolutePath();
  private static final Path CK = Path.of("../stats/src/test/resources/data/card_krueger_tidy.csv").toAbsolutePath();

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Output.json().readTree(out);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Loupe.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void power_seedS8PrintsTheTruePower() throws Exception {
    Run r = run("power", "--baseline", "0.03", "--mde", "0.005", "--n-per-arm", "10000", "--arms", "4",
        "--visitors-per-week", "10000", "--format", "json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    // R: power.prop.test(n = 10000, p1 = .03, p2 = .035, strict = TRUE)$power (golden/power.csv)
    assertThat(j.get("power").asDouble()).isCloseTo(0.51354721774192458, within(1e-9));
    assertThat(j.get("n_per_arm").asLong()).isEqualTo(19743);
    assertThat(j.get("weeks").asDouble()).isEqualTo(4 * 19743 / 10000.0);
  }

  @Test
  void power_correctionTakesArmsIntoAccount() throws Exception {
    JsonNode j = run("power", "--baseline", "0.03", "--mde", "0.005", "--n-per-arm", "10000",
        "--arms", "4", "--correction", "bonferroni", "--format", "json").json();
    // R: power.prop.test(..., sig.level = 0.05/3, strict = TRUE) (golden/power.csv, bonf4)
    assertThat(j.get("power").asDouble()).isCloseTo(0.34451367454639209, within(1e-9));
    assertThat(j.get("comparison_alpha").asDouble()).isCloseTo(0.05 / 3, within(1e-15));
  }

  @Test
  void power_withoutNIsNullWithWarning() throws Exception {
    Run r = run("power", "--baseline", "0.03", "--mde", "0.005", "--format", "json");
    assertThat(r.json().get("power").isNull()).isTrue();
    assertThat(r.json().get("warnings").get(0).asText()).contains("give --n-per-arm");
  }

  @Test
  void power_badInput() {
    Run r = run("power", "--baseline", "1.5", "--mde", "0.005");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("loupe: baseline must be a rate in (0, 1) but was 1.5\n");
    Run c = run("power", "--baseline", "0.1", "--mde", "0.01", "--correction", "sidak");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--correction must be one of none, bonferroni, holm, bh but was 'sidak'");
  }

  @Test
  void did_cardKruegerJsonHasTheContractKeys() throws Exception {
    Run r = run("did", "--data", CK.toString(), "--outcome", "fte", "--treated", "nj", "--post", "after",
        "--cluster", "store_id", "--format", "json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    for (String k : new String[] {"estimate", "std_error", "ci_low", "ci_high", "p_value", "df_resid",
        "n_obs", "n_clusters", "cov_type", "warnings"}) {
      assertThat(j.has(k)).as(k).isTrue();
    }
    // statsmodels fte ~ nj * after, cluster(store_id), use_t (golden/did.csv ck.all.cluster.*)
    assertThat(j.get("estimate").asDouble()).isCloseTo(2.753605782980615, within(1e-9));
    assertThat(j.get("std_error").asDouble()).isCloseTo(1.3066070124191134, within(1e-8));
    assertThat(j.get("n_clusters").asInt()).isEqualTo(410);
    assertThat(j.get("cov_type").asText()).isEqualTo("cluster");
  }

  @Test
  void did_seedExampleHasNullStandardError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s7.csv");
    Files.writeString(f, "city,treatment,after,rides\nSeattle,1,0,45\nSeattle,1,1,58\nPortland,0,0,42\nPortland,0,1,48\n");
    Run r = run("did", "--data", f.toString(), "--outcome", "rides", "--treated", "treatment", "--post", "after",
        "--format", "json");
    JsonNode j = r.json();
    assertThat(j.get("estimate").asDouble()).isCloseTo(7.0, within(1e-12));
    assertThat(j.get("std_error").isNull()).isTrue();
    assertThat(j.get("p_value").isNull()).isTrue();
    assertThat(j.get("df_resid").asInt()).isZero();
    assertThat(j.get("warnings").get(0).asText()).startsWith("zero residual degrees of freedom");
    Run t = run("did", "--data", f.toString(), "--outcome", "rides", "--treated", "treatment", "--post", "after");
    assertThat(t.out()).contains("std_error").contains("null").contains("warning: zero residual degrees of freedom");
  }

  @Test
  void did_eventStudyJson() throws Exception {
    Run r = run("did", "--data", GOLDEN.resolve("event_panel.csv").toString(), "--outcome", "y", "--unit", "unit",
        "--time", "time", "--treatment", "treated", "--event-study", "--rel-time", "rel", "--format", "json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    // statsmodels wald_test of the leads, cluster(unit) (golden/did.csv es.pretrend.*)
    assertThat(j.get("pretrend_stat").asDouble()).isCloseTo(2.4679839663411247, within(1e-7));
    assertThat(j.get("pretrend_df").asInt()).isEqualTo(5);
    assertThat(j.get("pretrend_p").asDouble()).isCloseTo(0.04260425895080532, within(1e-8));
    assertThat(j.get("coefficients")).hasSize(13);
    assertThat(j.get("estimate").asDouble()).isCloseTo(1.7115794954545405, within(1e-9));
    Run csv = run("did", "--data", GOLDEN.resolve("event_panel.csv").toString(), "--outcome", "y", "--unit",
        "unit", "--time", "time", "--treatment", "treated", "--event-study", "--rel-time", "rel", "--format", "csv");
    assertThat(csv.out()).startsWith("rel_time,reference,estimate,std_error,ci_low,ci_high,p_value\n-6,false,");
  }

  @Test
  void did_badInput() {
    Run r = run("did", "--data", CK.toString(), "--outcome", "jobs", "--treated", "nj", "--post", "after");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("loupe: --outcome column 'jobs' is not in file ");
    Run both = run("did", "--data", CK.toString(), "--outcome", "fte", "--treated", "nj", "--unit", "store_id");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give either the 2x2 form");
    Run cov = run("did", "--data", CK.toString(), "--outcome", "fte", "--treated", "nj", "--post", "after",
        "--cov", "hc9");
    assertThat(cov.err()).contains("--cov must be one of classical, hc0, hc1, hc2, hc3, cluster but was 'hc9'");
    Run noFile = run("did", "--data", "/nonexistent.csv", "--outcome", "y", "--treated", "a", "--post", "b");
    assertThat(noFile.code()).isEqualTo(2);
    assertThat(noFile.err()).contains("does not exist");
  }

  @Test
  void did_csvBadRowNamesTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "g,y,t,p\r\na,1,0,0\r\na,2,0,1\r\nb,3,1\r\nb,NaN,1,1\r\n");
    Run ragged = run("did", "--data", f.toString(), "--outcome", "y", "--treated", "t", "--post", "p",
        "--cluster", "g");
    assertThat(ragged.code()).isEqualTo(2);
    assertThat(ragged.err()).isEqualTo("loupe: line 4 of file " + f + " has 3 fields but the header has"
        + " 4 columns [g, y, t, p]; every row needs one value per column\n");
    Files.writeString(f, "g,y,t,p\r\na,1,0,0\r\na,2,0,1\r\nb,3,1,0\r\nb,NaN,1,1\r\n");
    Run nan = run("did", "--data", f.toString(), "--outcome", "y", "--treated", "t", "--post", "p");
    assertThat(nan.code()).isEqualTo(2);
    assertThat(nan.err()).isEqualTo("loupe: --outcome column 'y' must hold finite numbers but has value"
        + " 'NaN' on line 5; remove or fix those rows\n");
  }

  @Test
  void did_sqlOverTheLake(@TempDir Path dir) throws Exception {
    Path part = dir.resolve("events/event_date=2026-11-26/event_type=shift");
    Files.createDirectories(part);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (SELECT 'e' || row_number() OVER () AS event_id, CAST(store_id AS VARCHAR) AS user_id,"
          + " TIMESTAMP '2026-11-26 10:00:00' AS event_time,"
          + " json_object('nj', nj, 'after', after, 'fte', fte)::VARCHAR AS properties,"
          + " TIMESTAMP '2026-11-26 10:00:01' AS received_at"
          + " FROM read_csv('" + CK + "', header = true)) TO '" + part.resolve("p.parquet") + "' (FORMAT parquet)");
    }
    Run r = run("did", "--data-dir", dir.toString(), "--sql",
        "SELECT user_id AS store, CAST(properties->>'nj' AS INT) AS nj, CAST(properties->>'after' AS INT) AS after,"
            + " CAST(properties->>'fte' AS DOUBLE) AS fte FROM events",
        "--outcome", "fte", "--treated", "nj", "--post", "after", "--cluster", "store", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("std_error").asDouble()).isCloseTo(1.3066070124191134, within(1e-8));
  }

  @Test
  void abtest_countsJson(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("counts.csv");
    Files.writeString(f, "arm,users,conversions\ncontrol,10000,300\nb,10000,350\nc,9800,330\nd,10100,290\n");
    Run r = run("abtest", "--counts", f.toString(), "--correction", "holm", "--format", "json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    JsonNode b = j.get("comparisons").get(0);
    for (String k : new String[] {"arm", "difference", "ci_low", "ci_high", "statistic", "p_value",
        "p_adjusted", "relative_lift"}) {
      assertThat(b.has(k)).as(k).isTrue();
    }
    // statsmodels proportions_ztest and multipletests(holm) (golden/abtest.csv prop.b.*)
    assertThat(b.get("statistic").asDouble()).isCloseTo(1.993828681848599, within(1e-9));
    assertThat(b.get("p_adjusted").asDouble()).isCloseTo(0.1385123399175411, within(1e-9));
    assertThat(j.get("srm").get("chi2").asDouble()).isCloseTo(4.761904761904762, within(1e-9));
    assertThat(j.get("srm").get("flagged").asBoolean()).isFalse();

    Run srm = run("abtest", "--counts", f.toString(), "--expected-split", "control=0.26,b=0.25,c=0.245,d=0.245");
    assertThat(srm.out()).contains("MISMATCH").contains("warning: sample ratio mismatch");
  }

  @Test
  void abtest_perUserCuped() throws Exception {
    Run r = run("abtest", "--data", GOLDEN.resolve("abtest_users.csv").toString(), "--arm", "arm",
        "--metric", "revenue", "--covariate", "pre_revenue", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    // numpy CUPED + scipy Welch (golden/abtest.csv cuped.b.t)
    assertThat(r.json().get("comparisons").get(0).get("statistic").asDouble())
        .isCloseTo(2.119404565431629, within(1e-8));
    assertThat(r.json().get("cuped_theta").asDouble()).isCloseTo(0.8114982219741155, within(1e-9));
  }

  @Test
  void abtest_badInput(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("one.csv");
    Files.writeString(f, "arm,users,conversions\ncontrol,100,3\n");
    Run r = run("abtest", "--counts", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("loupe: an A/B test needs at least 2 arms but the data has 1 [control]\n");
    Path z = dir.resolve("zero.csv");
    Files.writeString(z, "arm,users,conversions\ncontrol,100,3\nb,0,0\n");
    assertThat(run("abtest", "--counts", z.toString()).err())
        .contains("arm 'b' has 0 users; every arm needs at least 1 user");
  }

  @Test
  void sequential_boundaries() throws Exception {
    Run r = run("sequential", "--looks", "5", "--format", "json");
    assertThat(r.code()).isZero();
    JsonNode looks = r.json().get("looks");
    assertThat(looks).hasSize(5);
    // Published Lan-DeMets O'Brien-Fleming boundaries (gsDesign, rpact): 4.877 ... 2.031
    assertThat(looks.get(0).get("critical_z").asDouble()).isCloseTo(4.877, within(0.0005));
    assertThat(looks.get(4).get("critical_z").asDouble()).isCloseTo(2.031, within(0.0005));
    Run bad = run("sequential", "--looks", "3", "--spending", "haybittle");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--spending must be obrien-fleming or pocock but was 'haybittle'");
    Run av = run("sequential", "--always-valid", "--n-per-arm", "5000", "--difference", "0.05",
        "--variance", "2", "--tau", "0.05", "--format", "json");
    assertThat(av.json().get("ci_low").asDouble()).isLessThan(0.05);
  }
}
