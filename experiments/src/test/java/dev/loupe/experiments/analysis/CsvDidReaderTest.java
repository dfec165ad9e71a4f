package dev.loupe.experiments.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loupe.stats.did.DidCell;
import dev.loupe.stats.did.DidEstimate;
import dev.loupe.stats.did.DiffInDiff;
import dev.loupe.stats.regression.CovarianceType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV fast path of the 2×2 difference-in-differences against DuckDB's reader (the general
 * path, {@link DidAnalysis#queryCells}) on the same files, against the statsmodels goldens, and
 * on bad input.
 */
class CsvDidReaderTest {

  // statsmodels numbers from stats/src/test/resources/golden/did.py (copied to golden/did.csv).
  private static final GoldenValues G = new GoldenValues("did.csv");
  private static final Path CK = GoldenValues.CARD_KRUEGER;

  @Property(tries = 150)
  void read_equalsDuckDbOnRandomCsv(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int rows) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    boolean textClusters = rnd.nextBoolean();
    boolean crlf = rnd.nextBoolean();
    boolean trailingNewline = rnd.nextBoolean();
    boolean clustered = rnd.nextInt(4) > 0;
    int extras = rnd.nextInt(3);
    List<String> cols = new ArrayList<>(List.of("y", "treated", "post"));
    if (clustered) {
      cols.add("g");
    }
    for (int i = 0; i < extras; i++) {
      cols.add("extra" + i);
    }
    Collections.shuffle(cols, new java.util.Random(seed));
    String nl = crlf ? "\r\n" : "\n";
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append(nl);
    int clusters = 1 + rnd.nextInt(12);
    for (int r = 0; r < rows; r++) {
      List<String> v = new ArrayList<>();
      for (String c : cols) {
        v.add(switch (c) {
          case "y" -> r > 0 && rnd.nextInt(25) == 0 ? "" : decimal(rnd);
          case "treated", "post" -> Integer.toString(rnd.nextInt(2));
          case "g" -> textClusters
              ? "store " + (char) ('a' + rnd.nextInt(clusters))
              : Integer.toString(rnd.nextInt(clusters) - 3);
          default -> rnd.nextBoolean() ? "w" + rnd.nextInt(100) : Integer.toString(rnd.nextInt());
        });
      }
      sb.append(String.join(",", v));
      if (r < rows - 1 || trailingNewline) {
        sb.append(nl);
      }
    }
    Path f = Files.createTempFile("did", ".csv");
    try {
      Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
      String g = clustered ? "g" : null;
      CsvDidReader.Cells fast = CsvDidReader.read(f, "file " + f, "y", "treated", "post", g);
      CsvDidReader.Cells duck;
      try (DataSource src = DataSource.ofFile(f)) {
        duck = DidAnalysis.queryCells(src, "y", "treated", "post", g);
      }
      assertThat(fast).isNotNull();
      assertThat(fast.rows()).isEqualTo(duck.rows()).isEqualTo(rows);
      assertThat(fast.used()).isEqualTo(duck.used());
      Map<String, DidCell> byKey = new HashMap<>();
      for (DidCell c : duck.cells()) {
        byKey.put(c.treated() + "/" + c.post() + "/" + c.cluster(), c);
      }
      assertThat(fast.cells()).hasSameSizeAs(duck.cells());
      for (DidCell c : fast.cells()) {
        DidCell d = byKey.get(c.treated() + "/" + c.post() + "/" + c.cluster());
        assertThat(d).as("cell %s", c).isNotNull();
        assertThat(c.count()).isEqualTo(d.count());
        assertClose(c.sumY(), d.sumY(), c.sumYY());
        assertClose(c.sumYY(), d.sumYY(), c.sumYY());
      }
    } finally {
      Files.deleteIfExists(f);
    }
  }

  @Property(tries = 40)
  void read_parsesEveryDecimalCorrectlyRounded(@ForAll long seed) throws Exception {
    // One row per cluster, so each cell's Σy is the parsed value itself: bit-identical to
    // Double.parseDouble (correctly rounded) and to DuckDB's reader.
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("g,y,t,p\n");
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      String y = decimal(rnd);
      expected.put("c" + i, Double.parseDouble(y));
      sb.append("c").append(i).append(',').append(y).append(',').append(i % 2).append(',')
          .append(i / 2 % 2).append('\n');
    }
    Path f = Files.createTempFile("dec", ".csv");
    try {
      Files.writeString(f, sb);
      CsvDidReader.Cells fast = CsvDidReader.read(f, "file", "y", "t", "p", "g");
      CsvDidReader.Cells duck;
      try (DataSource src = DataSource.ofFile(f)) {
        duck = DidAnalysis.queryCells(src, "y", "t", "p", "g");
      }
      Map<String, Double> fromDuck = new HashMap<>();
      for (DidCell c : duck.cells()) {
        fromDuck.put(c.cluster(), c.sumY());
      }
      assertThat(fast.cells()).hasSize(200);
      for (DidCell c : fast.cells()) {
        // + 0.0: a sum of -0.0 alone is 0.0.
        assertThat(c.sumY()).as(c.cluster()).isEqualTo(expected.get(c.cluster()) + 0.0)
            .isEqualTo(fromDuck.get(c.cluster()) + 0.0);
        assertThat(c.sumYY()).isEqualTo(c.sumY() * c.sumY());
      }
    } finally {
      Files.deleteIfExists(f);
    }
  }

  /** Equal to 1e-12 relative; sums that cancel to near zero are compared on the scale of Σy². */
  private static void assertClose(double a, double b, double scale) {
    assertThat(Math.abs(a - b))
        .as("%s vs %s", a, b)
        .isLessThanOrEqualTo(1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15 * scale);
  }

  /** Integers, decimals with up to 20 significant digits, exponents, negative numbers. */
  private static String decimal(SplittableRandom rnd) {
    long m = rnd.nextLong(1, Long.MAX_VALUE) >>> rnd.nextInt(63);
    String digits = Long.toString(m);
    if (rnd.nextInt(5) == 0) {
      digits += rnd.nextInt(10);
    }
    BigDecimal d = new BigDecimal(new java.math.BigInteger(digits), rnd.nextInt(digits.length() + 3));
    String s = rnd.nextInt(6) == 0 ? d.toString().replace("E", "e") : d.toPlainString();
    if (rnd.nextInt(8) == 0) {
      s = d.unscaledValue() + "e-" + d.scale();
    }
    return rnd.nextBoolean() ? "-" + s : s;
  }

  @Test
  void read_cardKruegerMatchesStatsmodels() throws Exception {
    CsvDidReader.Cells cells =
        CsvDidReader.read(CK, "file " + CK, "fte", "nj", "after", "store_id");
    assertThat(cells).as("the fast path reads this file").isNotNull();
    assertThat(cells.rows()).isEqualTo(820);
    assertThat(cells.used()).isEqualTo(794);
    DidEstimate e = DiffInDiff.withDefaults().withCovariance(CovarianceType.CLUSTER)
        .twoByTwo(cells.cells());
    G.check("ck.all.cluster.b", e.estimate(), 1e-9);
    G.check("ck.all.cluster.se", e.stdError(), 1e-8);
    G.check("ck.all.cluster.p", e.pValue(), 1e-7);
    assertThat(e.nClusters()).isEqualTo(410);
    try (DataSource src = DataSource.ofFile(CK)) {
      DidEstimate hc1 = DidAnalysis.twoByTwo(
          src, DiffInDiff.withDefaults().withCovariance(CovarianceType.HC1), "fte", "nj", "after",
          null).result();
      G.check("ck.all.HC1.se", hc1.stdError(), 1e-8);
      DidEstimate classical =
          DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "fte", "nj", "after", null).result();
      G.check("ck.all.nonrobust.se", classical.stdError(), 1e-8);
    }
  }

  @Test
  void read_isDeterministicAcrossRanges(@TempDir Path dir) throws Exception {
    // More than one range: 20 MB of rows, read twice, and against DuckDB's cells.
    Path f = dir.resolve("big.csv");
    StringBuilder sb = new StringBuilder("cluster,treated,post,y\n");
    SplittableRandom rnd = new SplittableRandom(7);
    int rows = 1_500_000;
    for (int i = 0; i < rows; i++) {
      int c = rnd.nextInt(50);
      sb.append(c).append(',').append(c < 25 ? 1 : 0).append(',').append(rnd.nextInt(2)).append(',')
          .append(rnd.nextInt(200_000) / 1e4).append('\n');
    }
    Files.writeString(f, sb);
    assertThat(Files.size(f)).isGreaterThan(2L * CsvDidReader.RANGE_BYTES);
    CsvDidReader.Cells a = CsvDidReader.read(f, "file", "y", "treated", "post", "cluster");
    CsvDidReader.Cells b = CsvDidReader.read(f, "file", "y", "treated", "post", "cluster");
    assertThat(a).isEqualTo(b);
    assertThat(a.rows()).isEqualTo(rows);
    assertThat(a.cells()).hasSize(100);
    // Bad values in the second and the last range: the first in file order is reported.
    Path bad = dir.resolve("bad.csv");
    String text = sb.toString();
    int cut = text.indexOf('\n', CsvDidReader.RANGE_BYTES + 1000) + 1;
    long line = text.substring(0, cut).chars().filter(ch -> ch == '\n').count() + 1;
    Files.writeString(bad, text.substring(0, cut) + "3,1,1,oops\n" + text.substring(cut) + "4,1,1,x\n");
    assertThatThrownBy(() -> CsvDidReader.read(bad, "file", "y", "treated", "post", "cluster"))
        .hasMessage("--outcome column 'y' must be numeric but has non-numeric values (for example"
            + " 'oops' on line " + line + ")");
    try (DataSource src = DataSource.ofFile(f)) {
      CsvDidReader.Cells d = DidAnalysis.queryCells(src, "y", "treated", "post", "cluster");
      Map<String, DidCell> byKey = new HashMap<>();
      for (DidCell c : d.cells()) {
        byKey.put(c.treated() + "/" + c.post() + "/" + c.cluster(), c);
      }
      for (DidCell c : a.cells()) {
        DidCell x = byKey.get(c.treated() + "/" + c.post() + "/" + c.cluster());
        assertThat(c.count()).isEqualTo(x.count());
        assertClose(c.sumY(), x.sumY(), c.sumYY());
        assertClose(c.sumYY(), x.sumYY(), c.sumYY());
      }
    }
  }

  @Test
  void read_fallsBackForQuotesAndCarriageReturns(@TempDir Path dir) throws Exception {
    Path quoted = dir.resolve("quoted.csv");
    Files.writeString(quoted, "y,t,p,g\n1,0,0,\"a,b\"\n2,0,1,\"a,b\"\n3,1,0,c\n5,1,1,c\n");
    assertThat(CsvDidReader.read(quoted, "file", "y", "t", "p", "g")).isNull();
    Path cr = dir.resolve("cr.csv");
    Files.writeString(cr, "y,t,p\r1,0,0\r2,0,1\r3,1,0\r5,1,1\r");
    assertThat(CsvDidReader.read(cr, "file", "y", "t", "p", null)).isNull();
    Path numericClusters = dir.resolve("num.csv");
    Files.writeString(numericClusters, "y,t,p,g\n1,0,0,1\n2,0,1,1.0\n3,1,0,2\n5,1,1,2\n");
    assertThat(CsvDidReader.read(numericClusters, "file", "y", "t", "p", "g")).isNull();
    // Through the analysis, the general reader gives the answer: 1 and 1.0 are one cluster.
    try (DataSource src = DataSource.ofFile(numericClusters)) {
      DidEstimate e = DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", "g").result();
      assertThat(e.estimate()).isEqualTo(1.0);
    }
    try (DataSource src = DataSource.ofFile(quoted)) {
      DidEstimate e = DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", "g").result();
      assertThat(e.estimate()).isEqualTo(1.0);
    }
  }

  @Test
  void read_acceptsBlankLinesBomBooleansAndEmptyOutcomes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("odd.csv");
    Files.write(f, ("\uFEFFG , Y,extra,T,P\r\na,1.5,x,false,0\r\n\r\nb,,y,true,1\r\nb,2,z,1.0,f\r\n"
        + "a,-3e1,w,0,t").getBytes(StandardCharsets.UTF_8));
    CsvDidReader.Cells c = CsvDidReader.read(f, "file", "y", "t", "p", "g");
    assertThat(c).isNotNull();
    assertThat(c.rows()).isEqualTo(4);
    assertThat(c.used()).isEqualTo(3);
    assertThat(c.cells()).containsExactly(
        new DidCell(false, false, "a", 1, 1.5, 2.25),
        new DidCell(false, true, "a", 1, -30, 900),
        new DidCell(true, false, "b", 1, 2, 4));
  }

  @Test
  void read_badInputNamesColumnValueLineAndRule(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> CsvDidReader.read(CK, "file ck.csv", "jobs", "nj", "after", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--outcome column 'jobs' is not in file ck.csv; its columns are"
            + " [store_id, sheet, chain, nj, wave, after,");
    assertThatThrownBy(() -> CsvDidReader.read(CK, "file ck.csv", "wave", "nj", "after", null))
        .hasMessage("--outcome column 'wave' must be numeric but has non-numeric values (for example"
            + " 'before' on line 2)");
    assertThatThrownBy(() -> CsvDidReader.read(CK, "file ck.csv", "fte", "chain", "after", null))
        .hasMessageStartingWith("--treated column 'chain' must be 0 or 1 (or true/false) but has"
            + " value '2' on line ");
    assertThat(bad(dir, "y,t,p\n1,0,0\n2,0,1\nNaN,1,0\n4,1,1\n", null))
        .isEqualTo("--outcome column 'y' must hold finite numbers but has value 'NaN' on line 4;"
            + " remove or fix those rows");
    assertThat(bad(dir, "y,t,p\n1,0,0\n-inf,0,1\n", null))
        .isEqualTo("--outcome column 'y' must hold finite numbers but has value '-inf' on line 3;"
            + " remove or fix those rows");
    assertThat(bad(dir, "y,t,p\n1,0,0\n1e999,0,1\n", null))
        .isEqualTo("--outcome column 'y' must hold finite numbers but has value '1e999' on line 3;"
            + " remove or fix those rows");
    assertThat(bad(dir, "y,t,p\n1,0,0\n1e200,0,1\n", null))
        .isEqualTo("--outcome column 'y' must hold finite numbers but has NaN or infinite values (or"
            + " values too large to square); remove or fix those rows");
    assertThat(bad(dir, "y,t,p\n1,0,0\nNA,0,1\n", null))
        .isEqualTo("--outcome column 'y' must be numeric but has non-numeric values (for example"
            + " 'NA' on line 3)");
    assertThat(bad(dir, "", null)).matches("file .*empty\\.csv is empty; it needs a header line"
        + " naming the columns, then one row per observation");
    assertThat(bad(dir, "y,t,p\n", null)).matches("file .*empty\\.csv has no rows");
    assertThat(bad(dir, "y,t,p\n1,0,0\n2,0\n", null)).matches("line 3 of file .*empty\\.csv has 2"
        + " fields but the header has 3 columns \\[y, t, p\\]; every row needs one value per column");
    assertThat(bad(dir, "y,t,p\n1,0,0\n2,0,1,7\n", null)).matches("line 3 of .* has 4 fields but"
        + " the header has 3 columns .*");
    assertThat(bad(dir, "y,t,p\n1,0,0\n2,,1\n", null))
        .isEqualTo("--treated column 't' is empty on line 3; it must be 0 or 1 in every row");
    assertThat(bad(dir, "y,t,p\n1,0,0\n2,0,yes\n", null))
        .isEqualTo("--post column 'p' must be 0 or 1 (or true/false) but has value 'yes' on line 3");
    assertThat(bad(dir, "y,t,p,g\n1,0,0,a\n2,0,1,\n", "g"))
        .isEqualTo("--cluster column 'g' is empty on line 3; every row needs a value");
    // A row whose outcome is empty is dropped before its other columns are read, as in DuckDB.
    Path f = dir.resolve("dropped.csv");
    Files.writeString(f, "y,t,p\n1,0,0\n,x,\n2,0,1\n3,1,0\n4,1,1\n");
    try (DataSource src = DataSource.ofFile(f)) {
      Analyzed<DidEstimate> a = DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", null);
      assertThat(a.warnings()).contains("dropped 1 of 5 rows whose --outcome column 'y' is empty");
    }
  }

  private static String bad(Path dir, String content, String cluster) throws Exception {
    Path f = dir.resolve("empty.csv");
    Files.writeString(f, content);
    try (DataSource src = DataSource.ofFile(f)) {
      DidAnalysis.twoByTwo(src, DiffInDiff.withDefaults(), "y", "t", "p", cluster);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + content);
  }
}
