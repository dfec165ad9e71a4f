package dev.loupe.sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Team sizes and salaries in one linear pass over (id, manager_id, salary) streamed from the
 * engine: each employee's totals are added to their manager's once all of the employee's own
 * reports are done (leaves first, Kahn's order), so every salary is added once per edge, O(n)
 * overall instead of once per ancestor. Whoever is left afterwards sits on a management cycle (a
 * cycle member always has an unfinished report: the previous member); everyone on one cycle gets
 * the same team, the sum of the members' finished totals, since each member's chain reaches every
 * other member. Orphans (a manager_id naming nobody) head their own team.
 */
final class TeamRollup {

  private TeamRollup() {}

  /**
   * @param emp a query returning exactly the columns (id, manager_id, salary)
   * @throws IllegalArgumentException when an id is NULL or occurs more than once
   * @param integerSalary true when salary is an integer column (summed as longs, exactly; other
   *     types are summed as exact decimals)
   */
  static List<TeamTotal> compute(Connection c, String emp, boolean integerSalary) throws SQLException {
    int capacity = 1024;
    int n = 0;
    long nullIds = 0;
    long[] ids = new long[capacity];
    long[] managers = new long[capacity];
    boolean[] hasManager = new boolean[capacity];
    long[] salaries = integerSalary ? new long[capacity] : null;
    BigDecimal[] decimals = integerSalary ? null : new BigDecimal[capacity];
    try (Statement st = c.createStatement()) {
      st.setFetchSize(100_000);
      try (ResultSet rs = st.executeQuery(emp)) {
        while (rs.next()) {
          if (n == capacity) {
            capacity *= 2;
            ids = Arrays.copyOf(ids, capacity);
            managers = Arrays.copyOf(managers, capacity);
            hasManager = Arrays.copyOf(hasManager, capacity);
            if (integerSalary) {
              salaries = Arrays.copyOf(salaries, capacity);
            } else {
              decimals = Arrays.copyOf(decimals, capacity);
            }
          }
          ids[n] = rs.getLong(1);
          if (rs.wasNull()) {
            nullIds++;
          }
          managers[n] = rs.getLong(2);
          hasManager[n] = !rs.wasNull();
          if (integerSalary) {
            salaries[n] = rs.getLong(3);
          } else {
            BigDecimal s;
            try {
              s = rs.getBigDecimal(3);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(
                  "salary of employee " + ids[n] + " must be a number but was '" + rs.getString(3) + "'", e);
            }
            decimals[n] = s == null ? BigDecimal.ZERO : s;
          }
          n++;
        }
      }
    }
    if (nullIds > 0) {
      throw new IllegalArgumentException(
          "employee ids must not be NULL but " + nullIds + " rows have a NULL id");
    }
    LongIndex index = new LongIndex(ids, n);
    if (!index.duplicates.isEmpty()) {
      throw new IllegalArgumentException(
          "employee ids must be unique but " + index.duplicates.size()
              + " ids occur more than once (the smallest: " + index.duplicates.first() + ")");
    }
    int[] parent = new int[n];
    int[] pending = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = hasManager[i] ? index.find(managers[i]) : -1;
      if (parent[i] >= 0) {
        pending[parent[i]]++;
      }
    }
    long[] size = new long[n];
    Arrays.fill(size, 1);
    if (integerSalary) {
      try {
        return totals(ids, parent, pending.clone(), size, salaries.clone(), null, n);
      } catch (ArithmeticException overflow) {
        decimals = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
          decimals[i] = BigDecimal.valueOf(salaries[i]);
        }
        Arrays.fill(size, 1);
      }
    }
    return totals(ids, parent, pending, size, null, decimals, n);
  }

  /** Accumulates in place (longs when {@code sum} is given, else the decimals). */
  private static List<TeamTotal> totals(
      long[] ids, int[] parent, int[] pending, long[] size, long[] sum, BigDecimal[] dec, int n) {
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int i = queue[head++];
      int p = parent[i];
      if (p >= 0) {
        size[p] += size[i];
        if (sum != null) {
          sum[p] = Math.addExact(sum[p], sum[i]);
        } else {
          dec[p] = dec[p].add(dec[i]);
        }
        if (--pending[p] == 0) {
          queue[tail++] = p;
        }
      }
    }
    // Left over: the cycles. Each member's team is the whole cycle with everything below it.
    for (int i = 0; i < n; i++) {
      if (pending[i] > 0) {
        long cycleSize = 0;
        long cycleSum = 0;
        BigDecimal cycleDec = BigDecimal.ZERO;
        int j = i;
        do {
          cycleSize += size[j];
          if (sum != null) {
            cycleSum = Math.addExact(cycleSum, sum[j]);
          } else {
            cycleDec = cycleDec.add(dec[j]);
          }
          j = parent[j];
        } while (j != i);
        do {
          size[j] = cycleSize;
          if (sum != null) {
            sum[j] = cycleSum;
          } else {
            dec[j] = cycleDec;
          }
          pending[j] = 0;
          j = parent[j];
        } while (j != i);
      }
    }
    List<TeamTotal> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new TeamTotal(ids[i], size[i], sum != null ? BigDecimal.valueOf(sum[i]) : dec[i]));
    }
    return out;
  }

  /** Open addressing from id to row position; ids that occur more than once are collected. */
  private static final class LongIndex {
    final java.util.TreeSet<Long> duplicates = new java.util.TreeSet<>();
    private final long[] keys;
    private final int[] rows;
    private final int mask;

    LongIndex(long[] ids, int n) {
      int cap = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
      keys = new long[cap];
      rows = new int[cap];
      Arrays.fill(rows, -1);
      mask = cap - 1;
      for (int i = 0; i < n; i++) {
        int slot = slot(ids[i]);
        boolean seen = false;
        while (rows[slot] >= 0) {
          if (keys[slot] == ids[i]) {
            duplicates.add(ids[i]);
            seen = true;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (!seen) {
          keys[slot] = ids[i];
          rows[slot] = i;
        }
      }
    }

    /** The row of the id, or -1. */
    int find(long id) {
      int slot = slot(id);
      while (rows[slot] >= 0) {
        if (keys[slot] == id) {
          return rows[slot];
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }

    private int slot(long id) {
      long h = id * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }
  }
}
