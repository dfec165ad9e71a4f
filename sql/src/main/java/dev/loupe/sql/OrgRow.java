package dev.loupe.sql;

import java.math.BigDecimal;

/**
 * One employee in the org chart.
 *
 * @param employeeId the employee's id
 * @param name the employee's name
 * @param level 1 for the top of a tree (no manager, or an orphan), 2 for their reports, …; NULL for
 *     someone in or under a management cycle, who has no place in any tree
 * @param indentedName the name indented by two spaces per level below 1; the plain name when level
 *     is NULL
 * @param chain the names from the top of the tree down to this employee, joined by " → "; NULL
 *     when level is NULL
 * @param teamSize the employee plus everyone whose chain of managers reaches them (directly or
 *     not), each counted once, also on cyclic data
 * @param teamSalary the salaries of that team summed, the employee's own included (NULL salaries
 *     count as 0)
 * @param directReports employees whose manager_id is this employee (not counting themselves)
 * @param indirectReports {@code teamSize - 1 - directReports}
 */
public record OrgRow(
    long employeeId,
    String name,
    Integer level,
    String indentedName,
    String chain,
    long teamSize,
    BigDecimal teamSalary,
    long directReports,
    long indirectReports) {

  /** The column names of the CLI's rows, in order. */
  public static final java.util.List<String> COLUMNS =
      java.util.List.of(
          "employee_id",
          "name",
          "level",
          "chain",
          "team_size",
          "team_salary",
          "direct_reports",
          "indirect_reports");
}
