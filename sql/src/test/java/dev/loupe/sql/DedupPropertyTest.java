package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Dedup#latestSql} on DuckDB (one window sort that also spots ties, the full rule only for tied keys;
 * and the same ranking only (row, key, version) by rowid and by row of a Parquet file), and {@link
 * Dedup#applyDuckdb}, against the test oracle, the rule written as one ROW_NUMBER over every key (the form Loupe
 * generates for PostgreSQL, with DuckDB's text cast): the same rows kept, as a multiset. Keys,
 * versions and the other columns are drawn from a few values each, so the tables have many ties at
 * the latest version, NULL versions (also keys whose every version is NULL), NULL keys, NULLs in
 * the tie-breaking columns and identical rows.
 */
class DedupPropertyTest {

  record Row(String key, Integer version, String text, Integer number) {}

  @Provide
  Arbitrary<List<Row>> rows() {
    Arbitrary<String> key = Arbitraries.of("k1", "k2", "k3", "k10").injectNull(0.05);
    Arbitrary<Integer> version = Arbitraries.integers().between(1, 3).injectNull(0.2);
    Arbitrary<String> text = Arbitraries.of("a", "b", "B", "a ").injectNull(0.2);
    Arbitrary<Integer> number = Arbitraries.integers().between(-1, 10).injectNull(0.2);
    return Combinators.combine(key, version, text, number).as(Row::new).list().ofMaxSize(40);
  }

  @Property(tries = 80)
  void latestSql_equalsRowNumberOracle(@ForAll("rows") List<Row> rows) throws Exception {
    try (Connection c = TestDatabases.duckdb()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (k VARCHAR, x INTEGER, v INTEGER, note VARCHAR)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
        for (Row r : rows) {
          ps.setString(1, r.key());
          setInt(ps, 2, r.number());
          setInt(ps, 3, r.version());
          ps.setString(4, r.text());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      Dedup dedup = Dedup.of("k", "v");
      Map<String, Integer> columns = Names.columns(c, "t");
      String oracle = "SELECT r.k, r.x, r.v, r.note FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.k ORDER BY "
          + dedup.ranking(Dialect.DUCKDB, columns, "s") + ") AS rn FROM t AS s WHERE s.k IS NOT NULL) AS r WHERE rn = 1"
          + " UNION ALL SELECT k, x, v, note FROM t WHERE k IS NULL";
      List<String> expected = sortedRows(c, oracle);
      List<String> got = sortedRows(c, dedup.latestSql(Dialect.DUCKDB, "t", columns));
      assertThat(got).isEqualTo(expected);
      assertThat(sortedRows(c, dedup.latestSql("t", columns, Dedup.RowKey.ROWID))).as("by rowid").isEqualTo(expected);
      java.nio.file.Path file = java.nio.file.Files.createTempFile("loupe-dedup-prop", ".parquet");
      try (Statement st = c.createStatement()) {
        st.execute("COPY t TO '" + file + "' (FORMAT parquet)");
        assertThat(sortedRows(c, dedup.latestSql("read_parquet('" + file + "')", columns, Dedup.RowKey.FILE_ROW)))
            .as("by row of a Parquet file").isEqualTo(expected);
      } finally {
        java.nio.file.Files.delete(file);
      }
      // --apply deletes exactly the other rows
      Dedup.of("k", "v").applyDuckdb(c, "t");
      assertThat(sortedRows(c, "SELECT k, x, v, note FROM t")).as("after applyDuckdb").isEqualTo(expected);
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer value) throws Exception {
    if (value == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, value);
    }
  }

  private static List<String> sortedRows(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
      }
    }
    out.sort(null);
    return out;
  }
}
