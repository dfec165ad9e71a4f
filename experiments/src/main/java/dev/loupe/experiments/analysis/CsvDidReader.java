package dev.loupe.experiments.analysis;

import dev.loupe.stats.did.DidCell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the cells of a 2×2 difference-in-differences (per treated × post × cluster: count, Σy,
 * Σy²) straight from a plain CSV file, in parallel, without DuckDB: the fast path of {@link
 * DidAnalysis#twoByTwo} for {@code .csv} files. It computes what the DuckDB query computes and
 * reports the same problems, with the line number.
 *
 * <p>Accepted: a header line naming the columns (matched case-insensitively, surrounding spaces
 * ignored, any order, extra columns), comma-separated unquoted fields, LF or CRLF line ends, a
 * last line with or without a line end, blank lines (skipped), a UTF-8 byte-order mark. The
 * outcome is a decimal number ({@code -12}, {@code 3.25}, {@code .5}, {@code 1e-3}, {@code +2});
 * an empty outcome drops the row (counted for the "dropped" warning), as in the DuckDB path. The
 * indicators are 0/1 (any decimal spelling equal to 0 or 1) or true/false/t/f. Cluster values are
 * text compared byte for byte.
 *
 * <p>{@link #read} returns null, so that the caller uses the general (DuckDB) reader, when the
 * file needs more than this: a quoted field, lines ending in CR alone, a header with an empty or
 * repeated (case-insensitively) name, two options naming the same column, a header with a single
 * name when a column is missing (perhaps another delimiter), a whitespace-only outcome, or cluster
 * values that are all numbers but not all written as plain integers (DuckDB would compare them as
 * numbers, so that {@code 1} and {@code 1.0} are one cluster).
 *
 * <p>Determinism: the data is cut into ranges of {@value #RANGE_BYTES} bytes at line boundaries
 * (independent of the number of cores), each range is summed with Neumaier's compensated
 * summation in file order, and the ranges are merged in file order, so the result is the same on
 * every run and every machine. Errors name the first bad row in file order.
 */
final class CsvDidReader {

  static final int RANGE_BYTES = 8 << 20;
  private static final int BUFFER_BYTES = 1 << 20;
  private static final int OUTCOME = 1;
  private static final int TREATED = 2;
  private static final int POST = 3;
  private static final int CLUSTER = 4;
  private static final double[] POW10 = new double[23];
  private static final long MAX_EXACT = 1L << 53;

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /** The cells and the row counts. */
  record Cells(List<DidCell> cells, long rows, long used) {}

  private final Path file;
  private final String description;
  private final String[] options = new String[5];
  private final String[] names = new String[5];

  private CsvDidReader(Path file, String description) {
    this.file = file;
    this.description = description;
  }

  /**
   * The cells of {@code outcome ~ treated * post} (clustered by {@code cluster}, or one cluster
   * when it is null), or null when the general reader must be used.
   *
   * @throws IllegalArgumentException for a missing column, a ragged row, an empty file, a file
   *     without rows, a non-numeric or non-finite outcome, an indicator other than 0/1 or an empty
   *     cluster, naming the option, the column, the value and the line
   */
  static Cells read(
      Path file, String description, String outcome, String treated, String post, String cluster) {
    CsvDidReader r = new CsvDidReader(file, description);
    r.options[OUTCOME] = "--outcome";
    r.names[OUTCOME] = outcome;
    r.options[TREATED] = "--treated";
    r.names[TREATED] = treated;
    r.options[POST] = "--post";
    r.names[POST] = post;
    r.options[CLUSTER] = "--cluster";
    r.names[CLUSTER] = cluster;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return r.scan(ch);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + description + " failed: " + e.getMessage(), e);
    }
  }

  private Cells scan(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      throw new IllegalArgumentException(
          description + " is empty; it needs a header line naming the columns, then one row per"
              + " observation");
    }
    // The header line.
    byte[] head = new byte[(int) Math.min(size, 64 << 10)];
    int headLen;
    int nl;
    while (true) {
      headLen = readFully(ch, head, 0, head.length, 0);
      nl = indexOf(head, 0, headLen, (byte) '\n');
      if (nl >= 0 || headLen == size) {
        break;
      }
      head = new byte[(int) Math.min(size, (long) head.length * 2)];
    }
    int lineEnd = nl < 0 ? headLen : nl;
    long dataStart = nl < 0 ? size : nl + 1;
    int from = headLen >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
        && (head[2] & 0xff) == 0xBF ? 3 : 0;
    int to = lineEnd > from && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    String header = new String(head, from, to - from, StandardCharsets.UTF_8);
    if (header.indexOf('"') >= 0 || header.indexOf('\r') >= 0) {
      return null;
    }
    String[] cols = header.split(",", -1);
    List<String> colList = new ArrayList<>();
    Map<String, Integer> byLower = new HashMap<>();
    for (int i = 0; i < cols.length; i++) {
      String c = cols[i].strip();
      if (c.isEmpty() || byLower.put(c.toLowerCase(Locale.ROOT), i) != null) {
        return null;
      }
      colList.add(c);
    }
    int ncols = cols.length;
    byte[] roles = new byte[ncols];
    for (int role = OUTCOME; role <= CLUSTER; role++) {
      if (names[role] == null) {
        continue;
      }
      Integer at = byLower.get(names[role].toLowerCase(Locale.ROOT));
      if (at == null) {
        if (ncols == 1) {
          return null;
        }
        throw new IllegalArgumentException(
            options[role] + " column '" + names[role] + "' is not in " + description
                + "; its columns are " + colList);
      }
      if (roles[at] != 0) {
        return null;
      }
      roles[at] = (byte) role;
    }

    // The ranges, read in parallel and merged in file order.
    long dataLen = size - dataStart;
    int ranges = (int) Math.max(1, (dataLen + RANGE_BYTES - 1) / RANGE_BYTES);
    Merge merge = new Merge(ranges);
    AtomicInteger next = new AtomicInteger();
    int threads = Math.min(ranges, Runtime.getRuntime().availableProcessors());
    Runnable work = () -> {
      byte[] buffer = new byte[BUFFER_BYTES + 1];
      int i;
      while ((i = next.getAndIncrement()) < ranges && !merge.stopped(i)) {
        long s = dataStart + (long) i * RANGE_BYTES;
        long e = i == ranges - 1 ? size : s + RANGE_BYTES;
        Range r = new Range(roles, ncols, names[CLUSTER] != null, buffer);
        try {
          r.run(ch, s, e, i == 0, size);
        } catch (IOException ex) {
          r.ioError = new UncheckedIOException(
              "reading " + description + " failed: " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
          r.ioError = ex;
        } catch (Error ex) {
          // an Error must not leave range i unmerged: the sums would silently stop before it
          r.ioError = new IllegalStateException("reading " + description + " failed: " + ex, ex);
        }
        merge.add(i, r);
      }
    };
    Thread[] pool = new Thread[threads - 1];
    for (int t = 0; t < pool.length; t++) {
      pool[t] = new Thread(work, "loupe-csv-" + t);
      pool[t].setDaemon(true);
      pool[t].start();
    }
    work.run();
    for (Thread t : pool) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + description, e);
      }
    }
    Range r = merge.failed;
    if (r != null) {
      if (r.ioError != null) {
        throw r.ioError;
      }
      if (r.fallback) {
        return null;
      }
      throw new IllegalArgumentException(message(ch, r, ncols, colList));
    }
    if (merge.merged != ranges) {
      throw new IllegalStateException("reading " + description + " stopped after " + merge.merged + " of "
          + ranges + " parts");
    }
    return cells(merge);
  }

  /**
   * The ranges' sums, added in file order as the ranges finish (so that only the ranges read
   * ahead of the first unfinished one are held), up to the first range with a problem.
   */
  private static final class Merge {
    private final Range[] pending;
    private int merged;
    long rows;
    long used;
    final Map<String, Integer> index = new HashMap<>();
    final List<String> labels = new ArrayList<>();
    final Accumulators total = new Accumulators();
    /** The first range, in file order, that found a problem, or null. */
    volatile Range failed;

    Merge(int ranges) {
      pending = new Range[ranges];
    }

    /** Whether range i need not be read because an earlier range found a problem. */
    boolean stopped(int i) {
      Range f = failed;
      return f != null && f.index < i;
    }

    synchronized void add(int i, Range r) {
      r.index = i;
      pending[i] = r;
      while (merged < pending.length && pending[merged] != null && failed == null) {
        Range m = pending[merged];
        pending[merged] = null;
        merged++;
        if (m.ioError != null || m.fallback || m.problem != null) {
          failed = m;
          return;
        }
        rows += m.rows;
        used += m.used;
        for (int k = 0; k < m.keys.size; k++) {
          String label = m.keys.label(k);
          Integer g = index.get(label);
          if (g == null) {
            g = labels.size();
            index.put(label, g);
            labels.add(label);
            total.ensure(g + 1);
          }
          for (int c = 0; c < 4; c++) {
            total.combine(4 * g + c, m.acc, 4 * k + c);
          }
        }
      }
    }
  }

  private Cells cells(Merge m) {
    long rows = m.rows;
    long used = m.used;
    List<String> labels = m.labels;
    Accumulators total = m.total;
    if (rows == 0) {
      throw new IllegalArgumentException(description + " has no rows");
    }
    if (names[CLUSTER] != null && !plainLabels(labels)) {
      return null;
    }
    List<DidCell> cells = new ArrayList<>();
    for (int g = 0; g < labels.size(); g++) {
      for (int c = 0; c < 4; c++) {
        int k = 4 * g + c;
        if (total.n[k] == 0) {
          continue;
        }
        double sy = total.s[k] + total.sc[k];
        double syy = total.q[k] + total.qc[k];
        if (!Double.isFinite(sy) || !Double.isFinite(syy)) {
          throw new IllegalArgumentException(
              "--outcome column '" + names[OUTCOME] + "' must hold finite numbers but has NaN or"
                  + " infinite values (or values too large to square); remove or fix those rows");
        }
        String label = names[CLUSTER] == null ? null : labels.get(g);
        cells.add(new DidCell(c >= 2, (c & 1) == 1, label, total.n[k], sy, syy));
      }
    }
    return new Cells(cells, rows, used);
  }

  /**
   * Whether byte-for-byte comparison of cluster values is what DuckDB does: true unless every
   * value reads as a number or a boolean and one of them is not a plain integer.
   */
  private static boolean plainLabels(List<String> labels) {
    boolean allPlain = true;
    for (String s : labels) {
      if (allPlain && plainInteger(s)) {
        continue;
      }
      allPlain = false;
      String t = s.strip();
      String lower = t.toLowerCase(Locale.ROOT);
      boolean bool = lower.equals("true") || lower.equals("false") || lower.equals("t")
          || lower.equals("f");
      if (!bool && !isDecimal(t)) {
        return true;
      }
    }
    return allPlain;
  }

  /** -?(0|[1-9][0-9]{0,17}), not -0. */
  private static boolean plainInteger(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    int n = s.length() - i;
    if (n < 1 || n > 18 || s.charAt(i) == '0' && (n > 1 || i == 1)) {
      return false;
    }
    for (; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?, what Double.parseDouble reads alike. */
  static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  private String message(FileChannel ch, Range r, int ncols, List<String> colList)
      throws IOException {
    long line = lineNumber(ch, r.problemOffset);
    String v = r.problemValue;
    if (v.length() > 80) {
      v = v.substring(0, 77) + "...";
    }
    String opt = r.problemRole == 0 ? null : options[r.problemRole];
    String col = r.problemRole == 0 ? null : names[r.problemRole];
    return switch (r.problem) {
      case RAGGED -> "line " + line + " of " + description + " has " + v + " fields but the header"
          + " has " + ncols + " columns " + colList + "; every row needs one value per column";
      case NON_NUMERIC -> opt + " column '" + col + "' must be numeric but has non-numeric values"
          + " (for example '" + v + "' on line " + line + ")";
      case NON_FINITE -> opt + " column '" + col + "' must hold finite numbers but has value '" + v
          + "' on line " + line + "; remove or fix those rows";
      case NOT_BINARY -> opt + " column '" + col + "' must be 0 or 1 (or true/false) but has value '"
          + v + "' on line " + line;
      case EMPTY_BINARY -> opt + " column '" + col + "' is empty on line " + line
          + "; it must be 0 or 1 in every row";
      case EMPTY_LABEL -> opt + " column '" + col + "' is empty on line " + line
          + "; every row needs a value";
    };
  }

  /** 1-based line number of the byte at {@code offset} (the header is line 1). */
  private static long lineNumber(FileChannel ch, long offset) throws IOException {
    byte[] b = new byte[BUFFER_BYTES];
    long line = 1;
    long pos = 0;
    while (pos < offset) {
      int n = readFully(ch, b, 0, (int) Math.min(b.length, offset - pos), pos);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (b[i] == '\n') {
          line++;
        }
      }
      pos += n;
    }
    return line;
  }

  private static int readFully(FileChannel ch, byte[] b, int off, int len, long pos)
      throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(b, off, len);
    int total = 0;
    while (bb.hasRemaining()) {
      int n = ch.read(bb, pos + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static int indexOf(byte[] b, int from, int to, byte x) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  enum Problem { RAGGED, NON_NUMERIC, NON_FINITE, NOT_BINARY, EMPTY_BINARY, EMPTY_LABEL }

  /** Per (cluster, treated, post) cell k: count and Neumaier-compensated Σy and Σy². */
  static final class Accumulators {
    long[] n = new long[64];
    double[] s = new double[64];
    double[] sc = new double[64];
    double[] q = new double[64];
    double[] qc = new double[64];

    void ensure(int clusters) {
      int need = 4 * clusters;
      if (need > n.length) {
        int len = Math.max(need, n.length * 2);
        n = Arrays.copyOf(n, len);
        s = Arrays.copyOf(s, len);
        sc = Arrays.copyOf(sc, len);
        q = Arrays.copyOf(q, len);
        qc = Arrays.copyOf(qc, len);
      }
    }

    void add(int k, double y) {
      n[k]++;
      double a = s[k];
      double t = a + y;
      sc[k] += roundingError(a, y, t);
      s[k] = t;
      double yy = y * y;
      double b = q[k];
      double u = b + yy;
      qc[k] += roundingError(b, yy, u);
      q[k] = u;
    }

    /** Neumaier's correction: what the rounding of {@code t = a + b} lost. */
    private static double roundingError(double a, double b, double t) {
      return Math.abs(a) >= Math.abs(b) ? (a - t) + b : (b - t) + a;
    }

    /** Adds cell j of {@code o} into cell k. */
    void combine(int k, Accumulators o, int j) {
      n[k] += o.n[j];
      double a = s[k];
      double y = o.s[j];
      double t = a + y;
      sc[k] += roundingError(a, y, t) + o.sc[j];
      s[k] = t;
      double b = q[k];
      double yy = o.q[j];
      double u = b + yy;
      qc[k] += roundingError(b, yy, u) + o.qc[j];
      q[k] = u;
    }
  }

  /** Cluster values of one range, by their bytes, in order of first appearance. */
  static final class Keys {
    private int[] table = new int[1024];
    private int[] hashes = new int[64];
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private byte[] pool = new byte[1024];
    private int poolLen;
    int size;

    private long[] smallKeys = new long[1024];
    private int[] smallIndex = new int[1024];
    private int smallSize;

    /**
     * The index of the key b[from, to) of at most 7 bytes, packed with its length into {@code x}
     * (never 0), added if new; −1 if it holds a quote.
     */
    int small(long x, byte[] b, int from, int to) {
      int mask = smallKeys.length - 1;
      int slot = (int) ((x * 0x9E3779B97F4A7C15L) >>> 40) & mask;
      long e;
      while ((e = smallKeys[slot]) != 0) {
        if (e == x) {
          return smallIndex[slot];
        }
        slot = (slot + 1) & mask;
      }
      if (indexOf(b, from, to, (byte) '"') >= 0) {
        return -1;
      }
      int k = index(b, from, to, Long.hashCode(x));
      smallKeys[slot] = x;
      smallIndex[slot] = k;
      if (++smallSize * 2 > smallKeys.length) {
        long[] oldKeys = smallKeys;
        int[] oldIndex = smallIndex;
        smallKeys = new long[oldKeys.length * 2];
        smallIndex = new int[oldKeys.length * 2];
        int m = smallKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
          if (oldKeys[i] != 0) {
            int s = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> 40) & m;
            while (smallKeys[s] != 0) {
              s = (s + 1) & m;
            }
            smallKeys[s] = oldKeys[i];
            smallIndex[s] = oldIndex[i];
          }
        }
      }
      return k;
    }

    /** The index of the key b[from, to), added if new; −1 if a new key holds a quote. */
    int index(byte[] b, int from, int to, int h) {
      int mask = table.length - 1;
      int slot = h & mask;
      int len = to - from;
      while (true) {
        int e = table[slot];
        if (e == 0) {
          break;
        }
        int k = e - 1;
        if (hashes[k] == h && lengths[k] == len
            && Arrays.equals(pool, starts[k], starts[k] + len, b, from, to)) {
          return k;
        }
        slot = (slot + 1) & mask;
      }
      if (indexOf(b, from, to, (byte) '"') >= 0) {
        return -1;
      }
      int k = size++;
      if (k == hashes.length) {
        hashes = Arrays.copyOf(hashes, k * 2);
        starts = Arrays.copyOf(starts, k * 2);
        lengths = Arrays.copyOf(lengths, k * 2);
      }
      if (poolLen + len > pool.length) {
        pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolLen + len));
      }
      System.arraycopy(b, from, pool, poolLen, len);
      hashes[k] = h;
      starts[k] = poolLen;
      lengths[k] = len;
      poolLen += len;
      table[slot] = k + 1;
      if (size * 2 > table.length) {
        rehash();
      }
      return k;
    }

    private void rehash() {
      int[] t = new int[table.length * 2];
      int mask = t.length - 1;
      for (int k = 0; k < size; k++) {
        int slot = hashes[k] & mask;
        while (t[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        t[slot] = k + 1;
      }
      table = t;
    }

    String label(int k) {
      return new String(pool, starts[k], lengths[k], StandardCharsets.UTF_8);
    }
  }

  /** One range of lines: those that start in [start, end). */
  static final class Range {
    private final byte[] roles;
    private final int ncols;
    private final boolean clustered;
    final Keys keys = new Keys();
    final Accumulators acc = new Accumulators();
    long rows;
    long used;
    boolean fallback;
    RuntimeException ioError;
    int index;
    Problem problem;
    int problemRole;
    long problemOffset;
    String problemValue;
    private byte[] buf;
    private double value;

    /** {@code buffer} is scratch space, reused by the ranges that one thread reads in turn. */
    Range(byte[] roles, int ncols, boolean clustered, byte[] buffer) {
      this.buf = buffer;
      this.roles = roles;
      this.ncols = ncols;
      this.clustered = clustered;
      if (!clustered) {
        keys.index(new byte[0], 0, 0, 0);
      }
    }

    void run(FileChannel ch, long start, long end, boolean first, long size) throws IOException {
      // Lines starting in [start, end) are ours. Unless the range is the first, read from
      // start - 1 and skip through the first line end: what follows starts the first line.
      long bufPos = first ? start : start - 1;
      int len = readFully(ch, buf, 0, want(bufPos, 0, end), bufPos);
      int p = 0;
      if (!first) {
        int nl = indexOf(buf, 0, len, (byte) '\n');
        while (nl < 0 && bufPos + len < size) {
          bufPos += len;
          len = readFully(ch, buf, 0, want(bufPos, 0, end), bufPos);
          nl = indexOf(buf, 0, len, (byte) '\n');
        }
        if (nl < 0) {
          return;
        }
        p = nl + 1;
      }
      while (bufPos + p < end) {
        boolean eof = bufPos + len >= size;
        int limit = len;
        while (limit > p && buf[limit - 1] != '\n') {
          limit--;
        }
        if (limit == p) {
          if (eof) {
            if (len == p) {
              return;
            }
            buf[len] = '\n';
            limit = ++len;
          } else {
            // No complete line: keep the partial one, read more (growing for long lines).
            int keep = len - p;
            if (p == 0 && len >= buf.length - 1) {
              buf = Arrays.copyOf(buf, buf.length * 2);
            } else {
              System.arraycopy(buf, p, buf, 0, keep);
            }
            bufPos += p;
            p = 0;
            int n = readFully(ch, buf, keep, want(bufPos, keep, end), bufPos + keep);
            if (n == 0) {
              throw new IOException("the file became shorter while it was read");
            }
            len = keep + n;
            continue;
          }
        }
        p = lines(p, limit, end - bufPos, bufPos);
        if (p < 0) {
          return;
        }
        if (bufPos + p >= end || p >= len && eof) {
          return;
        }
        int keep = len - p;
        System.arraycopy(buf, p, buf, 0, keep);
        bufPos += p;
        p = 0;
        len = keep + readFully(ch, buf, keep, want(bufPos, keep, end), bufPos + keep);
      }
    }

    /** How many bytes to read at buf[have]: up to the range end and a little beyond. */
    private int want(long bufPos, int have, long end) {
      long room = buf.length - 1 - have;
      long toEnd = end - (bufPos + have) + 4096;
      return (int) Math.max(Math.min(room, Math.max(toEnd, 4096)), Math.min(room, 1));
    }

    /**
     * Parses the complete lines in buf[p, limit) that start before {@code stop}; returns the
     * index after the last line parsed, or −1 after a problem or a fallback.
     */
    private int lines(int p, int limit, long stop, long bufPos) {
      byte[] b = buf;
      byte[] roles = this.roles;
      int ncols = this.ncols;
      while (p < limit && p < stop) {
        int ls = p;
        if (b[p] == '\n') {
          p++;
          continue;
        }
        if (b[p] == '\r' && b[p + 1] == '\n') {
          p += 2;
          continue;
        }
        int col = 0;
        int q = p;
        byte c;
        int ys = 0;
        int ye = 0;
        int ts = 0;
        int te = 0;
        int ps = 0;
        int pe = 0;
        int gs = 0;
        int ge = 0;
        long gx = 0;
        boolean yfast = false;
        double y = 0;
        while (true) {
          int s = q;
          c = b[q];
          if (c == '"') {
            fallback = true;
            return -1;
          }
          int role = col < ncols ? roles[col] : 0;
          if (role == OUTCOME) {
            // -?digits[.digits], parsed while scanning; anything else is parsed below.
            int i = c == '-' ? q + 1 : q;
            long m = 0;
            int digits = 0;
            int frac = 0;
            int d;
            while ((d = b[i] - '0') >= 0 && d <= 9) {
              m = m * 10 + d;
              i++;
              digits++;
            }
            if (b[i] == '.') {
              i++;
              while ((d = b[i] - '0') >= 0 && d <= 9) {
                m = m * 10 + d;
                i++;
                digits++;
                frac++;
              }
            }
            q = i;
            c = b[q];
            if ((c == ',' || c == '\n') && digits > 0 && digits <= 18 && m <= MAX_EXACT) {
              double v = frac == 0 ? m : m / POW10[frac];
              y = b[s] == '-' ? -v : v;
              yfast = true;
            } else {
              yfast = false;
              while ((c = b[q]) != ',' && c != '\n') {
                q++;
              }
            }
            ys = s;
            ye = q;
          } else if (role == CLUSTER) {
            long x = 0;
            while ((c = b[q]) != ',' && c != '\n') {
              x = (x << 8) | (c & 0xff);
              q++;
            }
            gs = s;
            ge = q;
            gx = x;
          } else {
            while ((c = b[q]) != ',' && c != '\n') {
              q++;
            }
            if (role == TREATED) {
              ts = s;
              te = q;
            } else if (role == POST) {
              ps = s;
              pe = q;
            }
          }
          col++;
          if (c == '\n') {
            break;
          }
          q++;
        }
        p = q + 1;
        if (col != ncols) {
          problem(Problem.RAGGED, 0, bufPos + ls, Integer.toString(col));
          return -1;
        }
        if (b[q - 1] == '\r') {
          // CRLF: the CR is not part of the last field.
          switch (roles[ncols - 1]) {
            case OUTCOME -> {
              ye--;
              yfast = false;
            }
            case TREATED -> te--;
            case POST -> pe--;
            case CLUSTER -> {
              ge--;
              gx = 0;
              for (int i = gs; i < ge; i++) {
                gx = (gx << 8) | (b[i] & 0xff);
              }
            }
            default -> { }
          }
        }
        rows++;
        if (ys == ye) {
          continue;
        }
        if (!yfast) {
          if (parseDecimal(b, ys, ye)) {
            y = value;
          } else {
            int r = slowDecimal(b, ys, ye);
            if (r != 0) {
              if (r < 0) {
                fallback = true;
              } else {
                problem(r == 1 ? Problem.NON_NUMERIC : Problem.NON_FINITE, OUTCOME, bufPos + ls,
                    text(b, ys, ye));
              }
              return -1;
            }
            y = value;
          }
        }
        int t = binary(b, ts, te);
        int po = binary(b, ps, pe);
        if (t < 0 || po < 0) {
          int role = t < 0 ? TREATED : POST;
          int fs = t < 0 ? ts : ps;
          int fe = t < 0 ? te : pe;
          if (t == -2 || po == -2) {
            fallback = true;
          } else {
            problem(fs == fe ? Problem.EMPTY_BINARY : Problem.NOT_BINARY, role, bufPos + ls,
                text(b, fs, fe));
          }
          return -1;
        }
        int k = 0;
        if (clustered) {
          if (gs == ge) {
            problem(Problem.EMPTY_LABEL, CLUSTER, bufPos + ls, "");
            return -1;
          }
          if (ge - gs <= 7) {
            k = keys.small(gx | (long) (ge - gs) << 56, b, gs, ge);
          } else {
            int h = 0;
            for (int i = gs; i < ge; i++) {
              h = 31 * h + b[i];
            }
            h ^= h >>> 16;
            k = keys.index(b, gs, ge, h);
          }
          if (k < 0) {
            fallback = true;
            return -1;
          }
          if (k >= acc.n.length / 4) {
            acc.ensure(k + 1);
          }
        }
        used++;
        acc.add(4 * k + 2 * t + po, y);
      }
      return p;
    }

    private void problem(Problem what, int role, long offset, String v) {
      problem = what;
      problemRole = role;
      problemOffset = offset;
      problemValue = v;
    }

    /**
     * The common case, -?digits[.digits] with at most 18 digits whose value is below 2^53: the
     * quotient of two exact doubles, so correctly rounded (Clinger's fast path).
     */
    private boolean parseDecimal(byte[] b, int s, int e) {
      int i = s;
      boolean neg = b[i] == '-';
      if (neg) {
        i++;
      }
      long m = 0;
      int digits = 0;
      int frac = 0;
      int d;
      while (i < e && (d = b[i] - '0') >= 0 && d <= 9) {
        m = m * 10 + d;
        i++;
        digits++;
      }
      if (i < e && b[i] == '.') {
        i++;
        while (i < e && (d = b[i] - '0') >= 0 && d <= 9) {
          m = m * 10 + d;
          i++;
          digits++;
          frac++;
        }
      }
      if (i != e || digits == 0 || digits > 18 || m > MAX_EXACT) {
        return false;
      }
      double v = frac == 0 ? m : m / POW10[frac];
      value = neg ? -v : v;
      return true;
    }

    /** 0 parsed into value, 1 non-numeric, 2 not finite, −1 needs the general reader. */
    private int slowDecimal(byte[] b, int s, int e) {
      String t = text(b, s, e);
      if (t.indexOf('"') >= 0) {
        return -1;
      }
      String v = t.strip();
      if (v.isEmpty()) {
        return -1;
      }
      String lower = v.toLowerCase(Locale.ROOT);
      String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
      if (unsigned.equals("nan") || unsigned.equals("inf") || unsigned.equals("infinity")) {
        return 2;
      }
      if (!isDecimal(v)) {
        return 1;
      }
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        return 2;
      }
      value = d;
      return 0;
    }

    /** 0 or 1; −1 not an indicator (or empty); −2 needs the general reader. */
    private static int binary(byte[] b, int s, int e) {
      if (e - s == 1) {
        int c = b[s] - '0';
        if ((c & ~1) == 0) {
          return c;
        }
      }
      String v = text(b, s, e);
      if (v.indexOf('"') >= 0) {
        return -2;
      }
      v = v.strip();
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("t")) {
        return 1;
      }
      if (lower.equals("false") || lower.equals("f")) {
        return 0;
      }
      if (isDecimal(v)) {
        BigDecimal d = new BigDecimal(v.startsWith("+") ? v.substring(1) : v);
        if (d.signum() == 0) {
          return 0;
        }
        if (d.compareTo(BigDecimal.ONE) == 0) {
          return 1;
        }
      }
      return -1;
    }

    private static String text(byte[] b, int s, int e) {
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }
  }
}
