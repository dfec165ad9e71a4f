package dev.loupe.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Org charts from an employees table (seed exercise Q9) as recursive SQL for DuckDB and PostgreSQL
 * that terminates on any data, cycles included.
 *
 * <p>The input has columns {@code employee_id} (or {@code id}), {@code name}, {@code manager_id},
 * {@code salary} (and usually {@code department}); ids are integers and must be unique and not
 * NULL.
 *
 * <p>How it stays finite: trees are grown down from their tops (no manager, or a manager_id that
 * names nobody: an orphan). Since everyone has one manager, each person is reached at most once,
 * and people in a cycle are never reached: the seed's cycle check starts from the tops, too, and
 * so can never find a cycle. Loupe then walks up from everyone left over, remembering the path,
 * and stops at the first repeat: those walks find the cycles. The seed's salary rollup and report counts walk down from everyone without a path
 * and never end on cyclic data.
 *
 * <p>Team figures count the manager (as the seed's rollup does): {@code teamSize} is 1 plus all
 * direct and indirect reports, {@code teamSalary} includes the manager's own salary. They are not
 * computed by walking chains (which costs the depth of the tree per person) but in one linear pass
 * over (id, manager_id, salary) read from the engine, bottom-up ({@link TeamRollup}).
 */
public final class Hierarchy {

  private Hierarchy() {}

  public static Hierarchy create() {
    return new Hierarchy();
  }

  /** The id column the source uses: {@code employee_id}, else {@code id}. */
  static String idColumn(Map<String, Integer> columns) {
    if (columns.containsKey("employee_id")) {
      return "employee_id";
    }
    if (columns.containsKey("id")) {
      return "id";
    }
    throw new IllegalArgumentException(
        "the employees input needs an id column named employee_id or id (columns: "
            + String.join(", ", columns.keySet()) + ")");
  }

  /** Builds the org chart, team rollups, cycles and orphans of the source (a table or expression). */
  public OrgReport analyze(Connection c, Dialect d, String source) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    String emp = emp(c, d, source, columns);
    Map<Long, TeamTotal> teams = new HashMap<>();
    for (TeamTotal t : TeamRollup.compute(c, "WITH " + emp + " SELECT id, manager_id, salary FROM emp",
        Dialect.isInteger(columns.get("salary")))) {
      teams.put(t.employeeId(), t);
    }
    List<OrgRow> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("WITH RECURSIVE " + emp + ", " + structure(d) + " " + chart(d))) {
      while (rs.next()) {
        Integer level = rs.getObject(3) == null ? null : rs.getInt(3);
        String name = rs.getString(2);
        TeamTotal team = teams.get(Jdbc.longValue(rs, 1));
        long teamSize = team.teamSize();
        long direct = Jdbc.longValue(rs, 5);
        rows.add(
            new OrgRow(
                Jdbc.longValue(rs, 1),
                name,
                level,
                level == null || name == null ? name : "  ".repeat(level - 1) + name,
                rs.getString(4),
                teamSize,
                team.teamSalary(),
                direct,
                teamSize - 1 - direct));
      }
    }
    Map<Long, List<Long>> cycles = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "WITH RECURSIVE " + emp + ", " + structure(d)
                + ", on_cycle AS (SELECT start, MIN(cur) AS cycle FROM walk WHERE start IN"
                + " (SELECT start FROM walk WHERE cur = start) GROUP BY start)"
                + " SELECT cycle, start FROM on_cycle ORDER BY cycle, start")) {
      while (rs.next()) {
        cycles.computeIfAbsent(Jdbc.longValue(rs, 1), k -> new ArrayList<>()).add(Jdbc.longValue(rs, 2));
      }
    }
    List<Long> orphans = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "WITH " + emp + " SELECT e.id FROM emp e WHERE e.manager_id IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM emp m WHERE m.id = e.manager_id) ORDER BY e.id")) {
      while (rs.next()) {
        orphans.add(Jdbc.longValue(rs, 1));
      }
    }
    return new OrgReport(rows, new ArrayList<>(cycles.values()), orphans);
  }

  /**
   * The team rollup alone: one {@link TeamTotal} per employee (in no particular order), with the
   * same definitions and cycle handling as {@link #analyze}, computed in one linear pass over (id,
   * manager_id, salary) read from the engine instead of walking every chain (see {@link
   * TeamRollup}).
   */
  public List<TeamTotal> rollup(Connection c, Dialect d, String source) throws SQLException {
    Map<String, Integer> columns = Names.columns(c, source);
    String emp = emp(c, d, source, columns);
    return TeamRollup.compute(c, "WITH " + emp + " SELECT id, manager_id, salary FROM emp",
        Dialect.isInteger(columns.get("salary")));
  }

  /**
   * The emp CTE (id, name, manager_id, salary) after checking the columns; the ids (unique, not
   * NULL) are checked by {@link TeamRollup}, which every analysis runs first.
   */
  private static String emp(Connection c, Dialect d, String source, Map<String, Integer> columns)
      throws SQLException {
    String id = idColumn(columns);
    for (String column : List.of("name", "manager_id", "salary")) {
      Names.require(columns, "the employees input", column);
    }
    for (String column : List.of(id, "manager_id")) {
      if (!Dialect.isInteger(columns.get(column))) {
        throw new IllegalArgumentException(
            "the employees input's " + column + " must be an integer column (64-bit) but its type is "
                + Dialect.typeName(columns.get(column)) + " (a CSV column reads as text when a value is not an integer)");
      }
    }
    String emp = "emp AS (SELECT " + d.quote(id) + " AS id, CAST(" + d.quote("name")
        + " AS VARCHAR) AS name, " + d.quote("manager_id") + " AS manager_id, " + d.quote("salary")
        + " AS salary FROM " + source + " AS src)";
    return emp;
  }

  /** tree: everyone reachable from a top; walk: the paths up from everyone else. */
  static String structure(Dialect d) {
    return "tops AS (SELECT e.id FROM emp e WHERE e.manager_id IS NULL OR NOT EXISTS"
        + " (SELECT 1 FROM emp m WHERE m.id = e.manager_id)),"
        + " tree AS (SELECT e.id, e.salary, 1 AS level, " + d.array("e.id") + " AS path,"
        + " CAST(COALESCE(e.name, '') AS VARCHAR) AS chain FROM emp e JOIN tops ON e.id = tops.id"
        + " UNION ALL SELECT e.id, e.salary, t.level + 1, " + d.append("t.path", "e.id") + ","
        + " t.chain || ' → ' || COALESCE(e.name, '') FROM emp e JOIN tree t ON e.manager_id = t.id),"
        + " unplaced AS (SELECT e.id, e.manager_id FROM emp e WHERE NOT EXISTS (SELECT 1 FROM tree t WHERE t.id = e.id)),"
        + " walk AS (SELECT u.id AS start, u.manager_id AS cur, " + d.array("u.id") + " AS path FROM unplaced u"
        + " UNION ALL SELECT w.start, e.manager_id, " + d.append("w.path", "w.cur") + " FROM walk w"
        + " JOIN emp e ON e.id = w.cur WHERE NOT " + d.contains("w.path", "w.cur") + ")";
  }

  /** The chart rows: id, name, level, chain, direct reports, in tree order. */
  private static String chart(Dialect d) {
    String bigint = "BIGINT";
    return ", direct AS (SELECT manager_id AS id, COUNT(*) AS n FROM emp WHERE manager_id <> id GROUP BY manager_id)"
        + " SELECT e.id, e.name, t.level, t.chain, CAST(COALESCE(direct.n, 0) AS " + bigint + ")"
        + " FROM emp e LEFT JOIN tree t ON t.id = e.id"
        + " LEFT JOIN direct ON direct.id = e.id ORDER BY t.path NULLS LAST, e.id";
  }
}
