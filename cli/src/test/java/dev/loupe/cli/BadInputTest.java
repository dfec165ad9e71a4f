package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.cli.StatsCommandsTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the command line and in input files: each case exits 2 with one line naming the
 * option or field, the value and the rule, instead of an internal error (exit 1), a raw database
 * message, a wrong result or a changed file.
 */
class BadInputTest {

  @TempDir Path dir;

  static Run run(String... args) {
    return StatsCommandsTest.run(args);
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** Exit 2 and exactly one line on stderr, holding every part. */
  private static void assertUsage(Run r, String... parts) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("loupe: ").containsOnlyOnce("\n").endsWith("\n").contains(parts);
  }

  /** A CSV whose third line is not UTF-8. */
  private byte[] latin1Csv(String header, String row) {
    byte[] head = (header + "\n" + row + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] bad = {(byte) 0xff, (byte) 0xfe, ',', '1', ',', '2', '\n'};
    byte[] out = new byte[head.length + bad.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bad, 0, out, head.length, bad.length);
    return out;
  }

  @Test
  void power_totalBeyondLong_isBadInputNotANegativeTotal() {
    Run r = run("power", "--baseline", "0.5", "--mde", "3e-9", "--arms", "1000", "--format", "json");
    assertUsage(r, "--mde 3.0E-9", "--arms 1000", "n_total", "exceeds 9223372036854775807");
  }

  @Test
  void sequential_infiniteLikelihoodRatio_printedInsteadOfFailing() throws Exception {
    Run r = run("sequential", "--always-valid", "--n-per-arm", "100", "--difference", "1e300",
        "--variance", "1e-300", "--tau", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("log_likelihood_ratio +Infinity\n").containsPattern("p_value +0\n");
    Run j = run("sequential", "--always-valid", "--n-per-arm", "100", "--difference", "1e300",
        "--variance", "1e-300", "--tau", "1", "--format", "json");
    assertThat(j.code()).as(j.err()).isZero();
    assertThat(j.json().get("reject").asBoolean()).isTrue();
  }

  @Test
  void sequential_lookOptionsWithoutAlwaysValid_areRefusedNotIgnored() {
    assertUsage(run("sequential", "--looks", "3", "--n-per-arm", "4000"),
        "--n-per-arm, --difference, --variance and --tau describe an always-valid look: add --always-valid");
    assertThat(run("sequential", "--looks", "3").code()).isZero();
  }

  @Test
  void sequential_tauWhoseSquareOverflows_isBadInputNotANaNAnswer() {
    assertUsage(run("sequential", "--always-valid", "--n-per-arm", "100", "--difference", "1",
        "--variance", "1", "--tau", "1e300"), "mixing scale tau", "1.0E300", "finite double");
  }

  @Test
  void abtest_countsBeyondLong_isBadInputNotAWrongChiSquare() throws IOException {
    Path counts = file("huge.csv", "arm,users,conversions\ncontrol,99999999999999999999,50\nb,1000,60\n");
    assertUsage(run("abtest", "--counts", counts.toString()),
        "arm 'control'", "users=99999999999999999999", "at most 9223372036854775807");
  }

  @Test
  void abtest_countsSummingBeyondLong_giveAFiniteSampleRatioCheck() throws Exception {
    Path counts = file("big.csv", "arm,users,conversions\ncontrol,5000000000000000000,50\n"
        + "b,5000000000000000000,60\n");
    Run r = run("abtest", "--counts", counts.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("srm").get("chi2").asDouble()).isZero();
    assertThat(r.json().get("srm").get("p_value").asDouble()).isEqualTo(1.0);
  }

  @Test
  void abtest_expectedSplitNamingAnArmTwice_isBadInput() throws IOException {
    Path counts = file("ok.csv", "arm,users,conversions\ncontrol,1000,50\nb,1000,60\n");
    assertUsage(run("abtest", "--counts", counts.toString(), "--expected-split", "control=1,control=2,b=1"),
        "--expected-split names arm 'control' twice");
  }

  @Test
  void sessions_textEventTime_namesTheColumnAndABadValue() throws IOException {
    Path in = file("s.csv", "event_id,user_id,event_type,event_time\n"
        + "e1,u1,click,2026-11-26T10:00:00Z\ne2,u1,click,2026-02-30T10:00:00Z\n");
    assertUsage(run("sessions", "--input", in.toString()),
        "column event_time must hold timestamps but is text (VARCHAR)", "'2026-02-30T10:00:00Z' is not a timestamp");
    assertUsage(run("sessions", "--input", in.toString(), "--summary"), "'2026-02-30T10:00:00Z'");
  }

  @Test
  void sessions_numberEventTime_namesTheType() throws IOException {
    Path in = file("n.csv", "event_id,user_id,event_type,event_time\ne1,u1,click,1764151200\n");
    assertUsage(run("sessions", "--input", in.toString()),
        "column event_time must hold timestamps but is a number (BIGINT)");
  }

  @Test
  void sessions_csvWithOnlyAHeader_hasNoSessions() throws Exception {
    Path in = file("h.csv", "event_id,user_id,event_type,event_time\n");
    Run r = run("sessions", "--input", in.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().size()).isZero();
    Run s = run("sessions", "--input", in.toString(), "--summary", "--format", "json");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.json().get("sessions").asLong()).isZero();
  }

  @Test
  void sessionsDedupOrg_inputNotUtf8_isBadInputNamingTheFile() throws IOException {
    Path events = file("latin1.csv", latin1Csv("event_id,user_id,event_type,event_time", "e1,u1,c,2026-11-26T10:00:00Z"));
    for (String[] args : new String[][] {
        {"sessions", "--input", events.toString()},
        {"dedup", "--input", events.toString(), "--key", "event_id", "--order-by", "event_time"},
        {"org", "--input", events.toString()}}) {
      Run r = run(args);
      assertUsage(r, "--input " + events + " cannot be read", "not utf-8 encoded");
      assertThat(r.err()).doesNotContain("LINE 1").doesNotContain("failed:");
    }
  }

  @Test
  void sessions_inputNotParquet_isBadInputNamingTheFile() throws IOException {
    Path fake = file("fake.parquet", "not parquet");
    assertUsage(run("sessions", "--input", fake.toString()),
        "--input " + fake + " cannot be read", "too small to be a Parquet file");
  }

  @Test
  void dedup_outputInAMissingDirectoryOrADirectory_isBadInput() throws IOException {
    Path in = file("d.csv", "k,v\n1,1\n1,2\n");
    assertUsage(run("dedup", "--input", in.toString(), "--key", "k", "--order-by", "v",
        "--output", dir.resolve("missing/out.csv").toString()),
        "--output", "directory " + dir.resolve("missing") + " does not exist");
    Files.createDirectory(dir.resolve("taken.csv"));
    assertUsage(run("dedup", "--input", in.toString(), "--key", "k", "--order-by", "v",
        "--output", dir.resolve("taken.csv").toString()),
        "--output " + dir.resolve("taken.csv") + " is a directory");
  }

  @Test
  void dedup_outputOverTheInput_isRefusedAndTheInputKept() throws IOException {
    String text = "k,v\n1,1\n1,2\n2,5\n";
    Path in = file("d.csv", text);
    assertUsage(run("dedup", "--input", in.toString(), "--key", "k", "--order-by", "v",
        "--output", dir.resolve(".").resolve("d.csv").toString()), "is the --input file");
    assertThat(Files.readString(in)).isEqualTo(text);
  }

  @Test
  void org_nonNumericSalary_namesTheEmployeeAndValue() throws IOException {
    Path in = file("e.csv", "employee_id,name,manager_id,salary\n1,a,,100\n2,b,1,abc\n");
    assertUsage(run("org", "--input", in.toString()), "salary of employee 2 must be a number but was 'abc'");
  }

  @Test
  void import_tableFileNotReadable_isBadInputNamingTheFile() throws IOException {
    Path csv = file("latin1.csv", latin1Csv("event_id,event_type,event_time", "e1,c,2026-11-26T10:00:00Z"));
    assertUsage(run("import", "--data-dir", dir.resolve("lake").toString(), csv.toString()),
        "FILE " + csv + " cannot be read", "not utf-8 encoded");
    Path fake = file("fake.parquet", "not parquet");
    assertUsage(run("import", "--data-dir", dir.resolve("lake").toString(), fake.toString()),
        "FILE " + fake + " cannot be read", "too small to be a Parquet file");
  }

  @Test
  void import_ndjsonLineNotUtf8_isRejectedNotStoredWithReplacementCharacters() throws Exception {
    byte[] good = "{\"event_id\":\"ok\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] bad = "{\"event_id\":\"uX1\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n"
        .getBytes(StandardCharsets.US_ASCII);
    bad[14] = (byte) 0xff; // the X inside the id becomes a byte that is not UTF-8
    byte[] body = new byte[bad.length + good.length];
    System.arraycopy(bad, 0, body, 0, bad.length);
    System.arraycopy(good, 0, body, bad.length, good.length);
    Path in = file("e.ndjson", body);
    Path lake = dir.resolve("lake");
    Run r = run("import", "--data-dir", lake.toString(), "--format", "json", in.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("accepted").asLong()).isEqualTo(1);
    assertThat(r.json().get("rejected").asLong()).isEqualTo(1);
    assertThat(r.json().get("firstReasons").get(0).asText())
        .contains("line 1", "Invalid UTF-8 start byte 0xff");
    Run q = run("sql", "--data-dir", lake.toString(), "--format", "csv", "SELECT event_id FROM events");
    assertThat(q.out()).isEqualTo("event_id\nok\n");
  }

  @Test
  void networkCluster_outputInAMissingDirectory_isBadInput() throws IOException {
    Path edges = file("e.csv", "source,target\na,b\nb,c\nc,a\n");
    assertUsage(run("network", "cluster", "--edges", edges.toString(),
        "--output", dir.resolve("missing/c.csv").toString()),
        "--output", "directory " + dir.resolve("missing") + " does not exist");
  }

  @Test
  void planCapacity_benchReadmeNotUtf8_isBadInput() throws IOException {
    Path readme = file("README.md", new byte[] {'#', ' ', (byte) 0xff, '\n'});
    Run r = run("plan", "capacity", "--events-per-day", "1000", "--retention", "30d", "--event-bytes", "100",
        "--data-dir", dir.toString(), "--bench-readme", readme.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    // the line before is the warning that the empty lake gives no compression ratio
    assertThat(r.err()).endsWith("loupe: --bench-readme " + readme
        + " must be UTF-8 Markdown but holds bytes that are not UTF-8\n");
  }

  @Test
  void parseErrors_oneLineNamingTheOptionAndWhereTheHelpIs() {
    assertUsage(run("power", "--baseline", "0.03", "--mde", "0.005", "--alpha", "abc"),
        "Invalid value for option '--alpha': 'abc' is not a double (see: loupe power --help)");
    assertUsage(run("power", "--baseline", "0.03", "--mde", "0.005", "--bogus"),
        "Unknown option: '--bogus' (see: loupe power --help)");
    assertUsage(run("sql", "--max-rows", "9999999999", "SELECT 1"), "'--max-rows': '9999999999' is not an int");
  }

  @Test
  void sessions_impossibleDateOrNegativeGap_namesTheOptionWithoutJavaClassNames() {
    Run date = run("sessions", "--from", "2026-02-30");
    assertUsage(date, "Invalid value for option '--from': must be a date YYYY-MM-DD but was '2026-02-30'"
        + " (Invalid date 'FEBRUARY 30')");
    assertThat(date.err()).doesNotContain("java.");
    assertUsage(run("sessions", "--from=+10000-01-01"),
        "Invalid value for option '--from': must be a date YYYY-MM-DD but was '+10000-01-01'");
    assertUsage(run("report", "daily", "--date=-999999999-01-01", "--data-dir", dir.toString()),
        "Invalid value for option '--date': must be a date YYYY-MM-DD but was '-999999999-01-01'");
    Run gap = run("sessions", "--gap", "-5m");
    assertUsage(gap, "Invalid value for option '--gap': a duration must be a whole number with a unit ms, s, m or h"
        + " (for example 30m) but was '-5m'");
    assertThat(gap.err()).doesNotContain("java.");
  }

  @Test
  void serve_flushIntervalNotIsoDuration_namesTheOptionAndTheForm() {
    Run r = run("serve", "--flush-interval", "2 seconds");
    assertUsage(r, "Invalid value for option '--flush-interval': must be an ISO-8601 duration such as PT2S");
    assertThat(r.err()).doesNotContain("java.");
  }

  @Test
  void dataDirThatIsAFile_isBadInput() throws IOException {
    Path notADir = file("data", "x");
    Path events = file("e.ndjson", "{\"event_id\":\"e\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n");
    assertUsage(run("import", "--data-dir", notADir.toString(), events.toString()),
        "--data-dir " + notADir + " is a file, not a directory");
    assertUsage(run("serve", "--port", "0", "--data-dir", notADir.toString()),
        "--data-dir " + notADir + " is a file, not a directory");
  }

  @Test
  void pathsDuckDbWouldReadAsPatterns_areRefused() throws IOException {
    // y[1].csv would silently read y1.csv
    file("y1.csv", "arm,users,conversions\na,100,10\nb,100,20\n");
    Path bracket = file("y[1].csv", "arm,users,conversions\na,100,1\nb,100,2\n");
    assertUsage(run("abtest", "--counts", bracket.toString()),
        "file " + bracket + ": its path holds '[', which DuckDB reads as a file pattern");
    Path star = file("s*.csv", "event_id,user_id,event_type,event_time\ne,u,c,2026-11-26T10:00:00Z\n");
    assertUsage(run("sessions", "--input", star.toString()),
        "file " + star + ": its path holds '*', which DuckDB reads as a file pattern");
    assertUsage(run("sql", "--data-dir", dir.resolve("data?").toString(), "SELECT 1"),
        "--data-dir " + dir.resolve("data?") + ": its path holds '?', which DuckDB reads as a file pattern");
  }

  @Test
  void didEventStudy_relativeTimeOutOfRange_namesTheRange() throws IOException {
    Path in = file("es.csv", "y,u,time,tr,rel\n1,a,1,0,-1\n2,a,2,1,0\n3,b,1,0,9999999\n4,b,2,0,\n");
    assertUsage(run("did", "--data", in.toString(), "--outcome", "y", "--unit", "u", "--time", "time",
        "--treatment", "tr", "--event-study", "--rel-time", "rel"),
        "--rel-time column 'rel' must hold whole periods from -1000000 to 1000000 but has value '9999999'");
  }

  @Test
  void networkDesign_iccOrVarianceOutOfRange_isBadInputNotUsed() throws IOException {
    Path edges = file("e.csv", "source,target\na,b\nb,c\nc,a\nd,e\ne,f\nf,d\n");
    String out = dir.resolve("a.csv").toString();
    assertUsage(run("network", "design", "--edges", edges.toString(), "--output", out, "--method", "cluster",
        "--icc", "2"), "--icc must be a correlation in [-1, 1] but was 2.0");
    assertUsage(run("network", "design", "--edges", edges.toString(), "--output", out, "--method", "cluster",
        "--outcome-variance", "-1"), "--outcome-variance must be a positive finite number but was -1.0");
    assertThat(dir.resolve("a.csv")).doesNotExist();
  }

  @Test
  void import_jsonArrayFile_isBadInputBeforeAnythingIsImported() throws Exception {
    Path in = file("events.json", "[\n  {\"event_id\":\"a\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"},\n"
        + "  {\"event_id\":\"b\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n]\n");
    Path lake = dir.resolve("lake");
    assertUsage(run("import", "--data-dir", lake.toString(), in.toString()),
        "FILE " + in + " holds a JSON array, but import reads NDJSON (one event object per line)", "jq -c '.[]'");
    assertThat(dir.resolve("lake/events")).isEmptyDirectory();
  }

  @Test
  void import_gzipThatIsNotGzipOrIsCutShort_isBadInputAndKeepsWhatWasRead() throws Exception {
    Path lake = dir.resolve("lake");
    Path notGzip = file("a.ndjson.gz", "{}\n");
    assertUsage(run("import", "--data-dir", lake.toString(), notGzip.toString()),
        "FILE " + notGzip + " ends in .gz but is not gzip (Not in GZIP format)");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      lines.append("{\"event_id\":\"g").append(i).append("\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:0")
          .append(i % 10).append("Z\"}\n");
    }
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    Path cut = file("b.ndjson.gz", java.util.Arrays.copyOf(whole, whole.length / 2));
    Run r = run("import", "--data-dir", lake.toString(), cut.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).containsPattern("(^|\n)loupe: FILE " + java.util.regex.Pattern.quote(cut.toString())
        + " is not complete gzip \\(Unexpected end of ZLIB input stream\\) after line (\\d+); the \\2 events"
        + " before it were imported\n$");
    long imported = Long.parseLong(r.err().replaceAll("(?s).*after line (\\d+);.*", "$1"));
    assertThat(imported).isBetween(1L, 2999L);
    Run q = run("sql", "--data-dir", lake.toString(), "--format", "csv", "SELECT count(*) AS n FROM events");
    assertThat(q.out()).isEqualTo("n\n" + imported + "\n");
  }

  @Test
  void sequential_emptyInformationFractions_namesTheOption() {
    assertUsage(run("sequential", "--information-fractions", ",,"),
        "--information-fractions must list increasing fractions ending in 1 (e.g. 0.3,0.7,1) but was empty");
  }

  @Test
  void table_missingDuckdbFileOrTable_isBadInputAndCreatesNothing() throws Exception {
    Path db = dir.resolve("none.db");
    assertUsage(run("org", "--table", "emp", "--jdbc-url", "jdbc:duckdb:" + db),
        "--jdbc-url names the DuckDB file " + db + ", which does not exist");
    assertThat(db).doesNotExist();
    Path real = dir.resolve("real.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + real);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE other (a INT)");
    }
    for (String[] args : new String[][] {
        {"org", "--table", "emp", "--jdbc-url", "jdbc:duckdb:" + real},
        {"sessions", "--table", "emp", "--jdbc-url", "jdbc:duckdb:" + real},
        {"dedup", "--key", "a", "--order-by", "b", "--table", "emp", "--jdbc-url", "jdbc:duckdb:" + real}}) {
      assertUsage(run(args), "--table emp does not exist in the database of --jdbc-url",
          "Table with name emp does not exist");
    }
  }

  @Test
  void org_textIds_nameTheTypeNotAJdbcCode() throws IOException {
    Path in = file("e.csv", "employee_id,name,manager_id,salary\na,x,,100\nb,y,a,5\n");
    Run r = run("org", "--input", in.toString());
    assertUsage(r, "the employees input's employee_id must be an integer column (64-bit) but its type is VARCHAR");
    assertThat(r.err()).doesNotContain("code");
  }

  @Test
  void serveAndPlanCapacity_badSettings_nameTheOptionNotTheField() {
    assertUsage(run("serve", "--port", "0", "--data-dir", dir.toString(), "--flush-interval", "PT0S"),
        "--flush-interval must be between 100 ms and 1 minute but was PT0S");
    assertUsage(run("serve", "--port", "0", "--data-dir", dir.toString(), "--write-key", "short"),
        "--write-key must be 8 to 256 printable ASCII characters");
    assertUsage(run("serve", "--port", "70000", "--data-dir", dir.toString()), "--port must be in 0..65535 but was 70000");
    // only the setting's name is rewritten, never the value quoted back
    assertUsage(run("serve", "--port", "0", "--data-dir", dir.toString(), "--read-key", "port"),
        "--read-key must be 8 to 256 printable ASCII characters without spaces but was 'port'");
    assertUsage(run("plan", "capacity", "--events-per-day", "1000", "--retention", "30d", "--event-bytes", "100",
        "--data-dir", dir.toString(), "--sample-files", "0"), "--sample-files must be at least 1 but was 0");
  }

  @Test
  void planAbVersusBandit_stressPushingARateAboveOne_namesTheStressOptions() {
    assertUsage(run("plan", "ab-vs-bandit", "--rates", "1,1", "--periods", "2", "--visitors-per-period", "100",
        "--replications", "2", "--threads", "1"),
        "the robustness check (--stress-novelty 0.2, --stress-seasonality 0.3): novelty and seasonality make arm 2's"
            + " rate 1.2 on day 1; a rate must stay in [0, 1]; lower them");
  }

  @Test
  void import_utf16File_isBadInputBeforeAnythingIsImported() throws Exception {
    String lines = "{\"event_id\":\"a\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n"
        + "{\"event_id\":\"b\",\"event_type\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"}\n";
    Path in = file("events.ndjson", lines.getBytes(StandardCharsets.UTF_16)); // big-endian, with a mark
    assertUsage(run("import", "--data-dir", dir.resolve("lake").toString(), in.toString()),
        "FILE " + in + " is UTF-16 or UTF-32 text (it starts with a byte-order mark), but import reads UTF-8");
    assertThat(dir.resolve("lake/events")).isEmptyDirectory();
  }

  @Test
  void abtest_metricTooLargeForAVariance_namesTheColumnAndTheRemedy() throws IOException {
    Path in = file("u.csv", "arm,revenue\ncontrol,1e308\ncontrol,-1e308\nb,1e308\nb,1e308\n");
    assertUsage(run("abtest", "--data", in.toString(), "--arm", "arm", "--metric", "revenue"),
        "--metric column 'revenue' has values too large for a variance in doubles", "rescale them");
  }

  @Test
  void banditSimulate_valueSoLargeRegretOverflows_isBadInputNotNa() {
    assertUsage(run("bandit", "simulate", "--policy", "ab", "--rates", "0.1,0.2", "--periods", "2",
        "--visitors-per-period", "100", "--replications", "2", "--threads", "1", "--value", "1e308"),
        "value per conversion must be at most 1e15 but was 1.0E308");
  }
}
