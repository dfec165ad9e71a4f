package dev.loupe.cli;

import dev.loupe.sql.Hierarchy;
import dev.loupe.sql.OrgReport;
import dev.loupe.sql.OrgRow;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code loupe org}: org chart, team rollups, cycles and orphans. */
@Command(
    name = "org",
    mixinStandardHelpOptions = true,
    description = {
      "Org chart from an employees table (employee_id or id, name, manager_id, salary): level, chain,"
          + " team size and salary including indirect reports, direct and indirect report counts;"
          + " management cycles and orphans are reported, never looped on.",
      "Example: loupe org --input employees.csv --format json"
    })
public final class OrgCommand implements Callable<Integer> {

  @Mixin InputOptions in;
  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      return analyze();
    } catch (SQLException e) {
      throw in.explain(e);
    }
  }

  private Integer analyze() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OrgReport r;
    try (InputOptions.Source src = in.open(null)) {
      r = Hierarchy.create().analyze(src.connection(), src.dialect(), src.expression());
    }
    List<List<Object>> rows = new ArrayList<>();
    for (OrgRow e : r.employees()) {
      List<Object> row = new ArrayList<>();
      row.add(e.employeeId());
      row.add(fmt.format() == Format.TABLE ? e.indentedName() : e.name());
      row.add(e.level());
      row.add(e.chain());
      row.add(e.teamSize());
      row.add(e.teamSalary());
      row.add(e.directReports());
      row.add(e.indirectReports());
      rows.add(row);
    }
    if (fmt.format() == Format.JSON) {
      List<Map<String, Object>> employees = new ArrayList<>();
      for (List<Object> row : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < OrgRow.COLUMNS.size(); i++) {
          m.put(OrgRow.COLUMNS.get(i), row.get(i));
        }
        employees.add(m);
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("employees", employees);
      o.put("cycles", r.cycles());
      o.put("orphans", r.orphans());
      Output.value(out, o);
    } else {
      Output.rows(out, fmt.format(), OrgRow.COLUMNS, rows);
    }
    for (List<Long> cycle : r.cycles()) {
      err.println("loupe: management cycle: " + cycle + (cycle.size() == 1 ? " (manages themselves)" : "")
          + "; they and their reports have no level or chain");
    }
    if (!r.orphans().isEmpty()) {
      err.println("loupe: orphans (manager_id names nobody): " + r.orphans() + "; each heads their own tree");
    }
    return Loupe.EXIT_OK;
  }
}
