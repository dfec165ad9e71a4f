package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BanditCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Loupe.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static final String[] SEED = {
    "--rates", "0.03,0.03,0.03,0.035", "--visitors-per-period", "10000", "--periods", "4", "--value", "50"
  };

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void simulate_abJson_regretIsTheSeeds7500() throws Exception {
    Run r =
        run(with(with(new String[] {"bandit", "simulate"}, SEED), "--policy", "ab", "--replications", "20", "--format", "json"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = Output.json().readTree(r.out());
    assertThat(j.get("mean_regret").asDouble()).isEqualTo(7500.0);
    assertThat(j.get("p05_regret").asDouble()).isEqualTo(7500.0);
    assertThat(j.get("p50_regret").asDouble()).isEqualTo(7500.0);
    assertThat(j.get("p95_regret").asDouble()).isEqualTo(7500.0);
    assertThat(j.get("p_best_at_end").isNumber()).isTrue();
    assertThat(j.get("share_by_period")).hasSize(4);
    assertThat(j.get("share_by_period").get(0).get(3).asDouble()).isEqualTo(0.25);
  }

  @Test
  void simulate_thompsonPerPeriod_tableAndCsv() {
    String[] args =
        with(
            new String[] {"bandit", "simulate"},
            "--rates", "0.03,0.05", "--visitors-per-period", "1000", "--periods", "3", "--value", "10",
            "--policy", "thompson", "--update", "per-period", "--replications", "50", "--seed", "7");
    Run table = run(args);
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("mean_regret").contains("Traffic share by period:").contains("arm 2");
    Run csv = run(with(args, "--format", "csv"));
    assertThat(csv.out()).startsWith("metric,value\n").contains("share_period3_arm2,");
    assertThat(run(args).out()).as("same seed, same output").isEqualTo(table.out());
  }

  @Test
  void simulate_badScenario_exit2WithMessageNamingFieldValueAndRule() {
    Run r = run("bandit", "simulate", "--rates", "0.03,1.2", "--visitors-per-period", "100", "--periods", "2", "--policy", "ab");
    assertThat(r.exit()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(r.err()).contains("rates: arm 2 has rate 1.2; a rate must be in [0, 1]");

    r = run("bandit", "simulate", "--rates", "0.03", "--visitors-per-period", "100", "--periods", "2", "--policy", "ab");
    assertThat(r.err()).contains("rates must give at least 2 arms but gave 1");

    r = run("bandit", "simulate", "--rates", "0.03,0.04", "--visitors-per-period", "0", "--periods", "2", "--policy", "ab");
    assertThat(r.exit()).isEqualTo(Loupe.EXIT_USAGE);
    assertThat(r.err()).contains("visitorsPerPeriod must be >= 1 but was 0");

    r = run("bandit", "simulate", "--rates", "0.03,0.04", "--visitors-per-period", "10", "--periods", "2", "--policy", "epsilon-greedy:1.5");
    assertThat(r.err()).contains("epsilon must be in [0, 1] but was 1.5");

    r = run("bandit", "simulate", "--rates", "0.03,NaN", "--visitors-per-period", "10", "--periods", "2", "--policy", "ab");
    assertThat(r.err()).contains("rates: arm 2 has rate NaN; a rate must be in [0, 1]");

    r = run("bandit", "simulate", "--rates", "0.03,abc", "--visitors-per-period", "10", "--periods", "2", "--policy", "ab");
    assertThat(r.err()).contains("--rates: arm 2 is 'abc'; a rate must be a number in [0, 1]");

    r = run("bandit", "simulate", "--rates", "0.03,0.04", "--visitors-per-period", "10", "--periods", "2", "--policy", "ab", "--update", "sometimes");
    assertThat(r.err()).contains("update must be one of per-visitor, per-hour, per-day, per-period but was 'sometimes'");
  }

  @Test
  void planAbVsBandit_json_oneEntryPerDesignPlusRecommendationAndReasons() throws Exception {
    Run r =
        run(with(
            new String[] {"plan", "ab-vs-bandit"},
            "--rates", "0.03,0.03,0.03,0.035", "--visitors-per-period", "2500", "--periods", "4", "--value", "50",
            "--replications", "40", "--format", "json"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = Output.json().readTree(r.out());
    assertThat(j.get("designs")).hasSize(5);
    assertThat(j.get("designs").get(0).get("design").asText()).isEqualTo("A/B/n equal split");
    // 7,500 visitors to worse arms × 0.005 × $50.
    assertThat(j.get("designs").get(0).get("mean_regret").asDouble()).isEqualTo(1875.0);
    assertThat(j.get("designs").get(1).get("mean_regret").asDouble()).isEqualTo(1500.0);
    assertThat(j.get("recommendation").asText()).startsWith("A/B/n test with an equal split, run for 32 weeks");
    assertThat(j.get("reasons").size()).isGreaterThanOrEqualTo(3);
    assertThat(j.get("warnings").toString()).contains("underpowered");
    assertThat(j.get("periods_for_80_power").asDouble()).isCloseTo(31.59, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.err()).contains("loupe: simulating 1/15 A/B/n equal split, stationary").contains("15/15");
  }

  @Test
  void planAbVsBandit_reversibleWithoutProof_recommendsABandit() {
    Run r =
        run("plan", "ab-vs-bandit", "--rates", "0.03,0.05,0.04", "--visitors-per-period", "2000", "--periods", "3",
            "--value", "10", "--replications", "40", "--no-requires-proof", "--reversible");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Recommendation: ").contains("reversible");
    String rec = r.out().substring(r.out().indexOf("Recommendation: "));
    assertThat(rec.lines().findFirst().orElseThrow()).containsAnyOf("Thompson", "epsilon-greedy", "hybrid");
  }
}
