package dev.loupe.sql;

import java.util.List;

/**
 * The org chart and what is wrong with it.
 *
 * @param employees every employee: those placed in a tree in pre-order (a manager before their
 *     reports, reports by id), then those in or under a cycle, by id
 * @param cycles each management cycle's members (ids ascending), cycles ordered by their smallest
 *     id; someone who manages themselves is a cycle of one
 * @param orphans employees whose manager_id names nobody in the table, ascending; each heads their
 *     own tree
 */
public record OrgReport(List<OrgRow> employees, List<List<Long>> cycles, List<Long> orphans) {

  public OrgReport {
    employees = List.copyOf(employees);
    cycles = cycles.stream().map(List::copyOf).toList();
    orphans = List.copyOf(orphans);
  }
}
