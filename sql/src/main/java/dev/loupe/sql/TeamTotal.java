package dev.loupe.sql;

import java.math.BigDecimal;

/**
 * One employee's team figures (see {@link Hierarchy#rollup}).
 *
 * @param employeeId the employee's id
 * @param teamSize the employee plus everyone whose chain of managers reaches them, each once
 * @param teamSalary the salaries of that team summed exactly, the employee's own included (NULL
 *     salaries count as 0)
 */
public record TeamTotal(long employeeId, long teamSize, BigDecimal teamSalary) {}
