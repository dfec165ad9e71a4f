package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlValuesTest {

  /** The plain values of the first row of a DuckDB query. */
  private static List<Object> row(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      List<Object> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(SqlValues.plain(rs.getObject(i)));
      }
      return out;
    }
  }

  @Test
  void plain_nestedValues_becomeListsAndMapsInFieldOrder() throws Exception {
    List<Object> r = row("SELECT {'b': 1, 'a': [1, 2], 'n': NULL} s, MAP {'k': 1, 'z': 2} m, [{'x': 1}, NULL] ls,"
        + " [[1], []] nested, (SELECT histogram(x) FROM (VALUES (1), (1), (2)) t(x)) h");
    assertThat(r.get(0)).isInstanceOf(Map.class);
    assertThat(new ArrayList<Object>(((Map<?, ?>) r.get(0)).keySet())).containsExactly("b", "a", "n");
    assertThat(r.get(0)).isEqualTo(mapOf("b", 1, "a", List.of(1, 2), "n", null));
    assertThat(r.get(1)).isEqualTo(Map.of("k", 1, "z", 2));
    assertThat(r.get(2)).isEqualTo(java.util.Arrays.asList(Map.of("x", 1), null));
    assertThat(r.get(3)).isEqualTo(List.of(List.of(1), List.of()));
    // MAP keys of any type become their text
    assertThat(r.get(4)).hasToString("{1=2, 2=1}");
    assertThat(((Map<?, ?>) r.get(4)).keySet()).allSatisfy(k -> assertThat(k).isInstanceOf(String.class));
  }

  @Test
  void plain_blob_isDuckDbsEscapedText() throws Exception {
    String blob = "'\\xFF\\x00a\\x5Cb ~'::BLOB";
    assertThat(row("SELECT " + blob + ", ''::BLOB")).containsExactly("\\xFF\\x00a\\x5Cb ~", "");
    // DuckDB's own text of the same blob
    assertThat(row("SELECT CAST(" + blob + " AS VARCHAR)")).containsExactly("\\xFF\\x00a\\x5Cb ~");
  }

  @Test
  void plain_infiniteDatesAndTimestamps_areTheWordsDuckDbUses() throws Exception {
    assertThat(row("SELECT 'infinity'::TIMESTAMP, '-infinity'::TIMESTAMP, 'infinity'::DATE, '-infinity'::DATE,"
        + " CAST('infinity'::TIMESTAMP AS VARCHAR), CAST('-infinity'::DATE AS VARCHAR)"))
        .containsExactly("infinity", "-infinity", "infinity", "-infinity", "infinity", "-infinity");
    // the earliest and latest ordinary timestamps stay timestamps
    assertThat(row("SELECT TIMESTAMP '294247-01-10 04:00:54.775806', TIMESTAMP '290309-12-22 (BC) 00:00:00'"))
        .allSatisfy(v -> assertThat(v).isInstanceOf(java.sql.Timestamp.class));
    // ordinary values pass through
    List<Object> r = row("SELECT TIMESTAMP '2026-11-26 15:04:05.123456', DATE '2026-11-26', 42, 'text'");
    assertThat(r.get(0)).isEqualTo(java.sql.Timestamp.valueOf("2026-11-26 15:04:05.123456"));
    assertThat(r.subList(1, 4)).containsExactly(LocalDate.of(2026, 11, 26), 42, "text");
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
