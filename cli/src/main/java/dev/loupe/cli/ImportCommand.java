package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.EventCodec;
import dev.loupe.events.RawEvent;
import dev.loupe.events.Rejection;
import dev.loupe.lake.IngestResult;
import dev.loupe.lake.IngestService;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.sql.FileSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loupe import FILE}: loads NDJSON, CSV or Parquet through the collector's validation,
 * dedup and lake path, as if the events had been posted.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import events from FILE (.ndjson/.jsonl, optionally .gz; .csv; .parquet) through the same"
          + " validation, dedup and lake path as POST /v1/events.",
      "CSV and Parquet need the columns event_id, event_type and event_time (user_id and"
          + " properties, a JSON object as text, are optional). The server must not be running on"
          + " the same --data-dir."
    })
public final class ImportCommand implements Callable<Integer> {

  static final int CHUNK = 10_000;
  static final int SHOWN_REASONS = 5;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
  Path file;

  @Mixin DataDirOption dataDir;
  @Mixin FormatOption fmt;
  @Spec CommandSpec spec;

  /** The import's outcome. */
  record Summary(String file, long events, long accepted, long duplicates, long rejected,
      List<String> firstReasons) {}

  @Override
  public Integer call() throws IOException, SQLException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("FILE " + file + " does not exist or is not a file");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dataDir.path());
    Counter counter = new Counter(name.endsWith(".csv") || name.endsWith(".csv.gz")
        || name.endsWith(".tsv") || name.endsWith(".parquet") ? "row" : "line");
    try (IngestService ingest = IngestService.open(config, Clock.systemUTC())) {
      Progress progress = new Progress(err);
      try {
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")
            || name.endsWith(".ndjson.gz") || name.endsWith(".jsonl.gz")) {
          importLines(ingest, name.endsWith(".gz"), progress, counter);
        } else if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")
            || name.endsWith(".parquet")) {
          importTable(ingest, progress, counter);
        } else {
          throw new IllegalArgumentException("FILE " + file + " must end in .ndjson, .jsonl,"
              + " .ndjson.gz, .jsonl.gz, .csv, .csv.gz, .tsv or .parquet");
        }
      } finally {
        progress.done(counter.events); // ends the progress line, also before an error message
      }
    }
    Summary s = new Summary(file.toString(), counter.events, counter.accepted,
        counter.duplicates, counter.rejected, counter.reasons);
    if (fmt.format() == Format.JSON) {
      Output.value(out, s);
    } else {
      out.printf(Locale.ROOT, "imported %s: %,d events: %,d accepted, %,d duplicates,"
          + " %,d rejected%n", file, s.events(), s.accepted(), s.duplicates(), s.rejected());
      if (!s.firstReasons().isEmpty()) {
        out.println("first rejections:");
        for (String r : s.firstReasons()) {
          out.println("  " + r);
        }
      }
      out.flush();
    }
    return Loupe.EXIT_OK;
  }

  private void importLines(IngestService ingest, boolean gzip, Progress progress,
      Counter counter) throws IOException {
    long size = Files.size(file);
    try (CountingStream counting = new CountingStream(Files.newInputStream(file));
        InputStream in = gzip ? new GZIPInputStream(counting, 65_536) : counting;
        // ISO-8859-1 maps each byte to one char, so a line's bytes come back unchanged and the
        // JSON parser rejects a line that is not UTF-8 (as POST /v1/events does) instead of a
        // decoder replacing its bytes with U+FFFD.
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1),
            1 << 16)) {
      List<RawEvent> chunk = new ArrayList<>(CHUNK);
      String line;
      int lineNo = 0;
      boolean first = true;
      try {
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          String text = line.strip();
          if (first && (text.startsWith("[") || text.startsWith("\u00ef\u00bb\u00bf["))) {
            throw new IllegalArgumentException("FILE " + file + " holds a JSON array, but import reads NDJSON"
                + " (one event object per line); convert it first, e.g. jq -c '.[]' " + file.getFileName()
                + " > events.ndjson");
          }
          if (first && (text.startsWith("\u00ff\u00fe") || text.startsWith("\u00fe\u00ff")
              || text.startsWith("\u0000\u0000\u00fe\u00ff"))) {
            throw new IllegalArgumentException("FILE " + file + " is UTF-16 or UTF-32 text (it starts with a"
                + " byte-order mark), but import reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8");
          }
          first = false;
          chunk.add(EventCodec.parseLine(text.getBytes(StandardCharsets.ISO_8859_1), lineNo - 1, lineNo));
          if (chunk.size() == CHUNK) {
            counter.add(ingest.ingest(chunk, "import"));
            chunk = new ArrayList<>(CHUNK);
            progress.show(counting.count, size, counter.events);
          }
        }
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        // a corrupt or truncated gzip: keep what was read before, and say so
        if (!chunk.isEmpty()) {
          counter.add(ingest.ingest(chunk, "import"));
        }
        throw new IllegalArgumentException("FILE " + file + " is not complete gzip (" + e.getMessage()
            + ") after line " + lineNo + "; the " + counter.events + " events before it were imported");
      }
      if (!chunk.isEmpty()) {
        counter.add(ingest.ingest(chunk, "import"));
      }
      progress.show(size, size, counter.events);
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException("FILE " + file + " ends in .gz but is not gzip (" + e.getMessage() + ")");
    }
  }

  private void importTable(IngestService ingest, Progress progress, Counter counter)
      throws SQLException {
    String source = FileSource.tableExpression(file);
    if (source.startsWith("read_csv(")) {
      source = source.substring(0, source.length() - 1) + ", all_varchar = true)";
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      Map<String, String> types = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      } catch (SQLException e) {
        throw InputOptions.unreadable("FILE " + file, e);
      }
      for (String required : List.of("event_id", "event_type", "event_time")) {
        if (!types.containsKey(required)) {
          throw new IllegalArgumentException("FILE " + file + " has no column " + required
              + " (its columns: " + String.join(", ", types.keySet()) + ")");
        }
      }
      long total;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + source)) {
        rs.next();
        total = rs.getLong(1);
      } catch (SQLException e) {
        throw InputOptions.unreadable("FILE " + file, e);
      }
      List<String> cols = new ArrayList<>();
      for (String c : List.of("event_id", "user_id", "event_type", "event_time", "properties")) {
        if (!types.containsKey(c)) {
          cols.add("NULL::VARCHAR AS " + c);
          continue;
        }
        String t = types.get(c).toUpperCase(Locale.ROOT);
        String q = "\"" + c + "\"";
        if (t.startsWith("TIMESTAMP")) {
          cols.add("strftime(" + q + "::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%fZ') AS " + c);
        } else {
          cols.add("CAST(" + q + " AS VARCHAR) AS " + c);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", cols) + " FROM " + source)) {
        List<RawEvent> chunk = new ArrayList<>(CHUNK);
        int index = 0;
        while (rs.next()) {
          ObjectNode o = EventCodec.mapper().createObjectNode();
          put(o, "event_id", rs.getString(1));
          put(o, "user_id", rs.getString(2));
          put(o, "event_type", rs.getString(3));
          put(o, "event_time", rs.getString(4));
          String props = rs.getString(5);
          if (props != null) {
            o.set("properties", jsonOrText(props));
          }
          chunk.add(RawEvent.of(index++, o));
          if (chunk.size() == CHUNK) {
            counter.add(ingest.ingest(chunk, "import"));
            chunk = new ArrayList<>(CHUNK);
            progress.show(index, total, counter.events);
          }
        }
        if (!chunk.isEmpty()) {
          counter.add(ingest.ingest(chunk, "import"));
        }
        progress.show(total, total, counter.events);
      }
    }
  }

  private static void put(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private static JsonNode jsonOrText(String s) {
    try {
      return EventCodec.mapper().readTree(s);
    } catch (IOException e) {
      return EventCodec.mapper().getNodeFactory().textNode(s);
    }
  }

  /** Running totals and the first rejection reasons. */
  private static final class Counter {
    long events;
    long accepted;
    long duplicates;
    long rejected;
    final List<String> reasons = new ArrayList<>();
    final String unit;

    Counter(String unit) {
      this.unit = unit;
    }

    void add(IngestResult r) {
      events += r.accepted() + r.duplicates() + r.rejected().size();
      accepted += r.accepted();
      duplicates += r.duplicates();
      rejected += r.rejected().size();
      for (Rejection rej : r.rejected()) {
        if (reasons.size() < SHOWN_REASONS) {
          reasons.add(unit + " " + (rej.index() + 1) + " (" + rej.field() + "): " + rej.reason());
        }
      }
    }
  }

  /** A text progress bar on stderr, redrawn at most every 200 ms. */
  static final class Progress {
    private final PrintWriter err;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter err) {
      this.err = err;
    }

    void show(long done, long total, long events) {
      long now = System.nanoTime();
      if (drawn && now - lastDraw < 200_000_000L && done < total) {
        return;
      }
      lastDraw = now;
      drawn = true;
      err.print("\r" + bar(done, total, events));
      err.flush();
    }

    static String bar(long done, long total, long events) {
      double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
      int width = 30;
      int full = (int) Math.round(f * width);
      return String.format(Locale.ROOT, "importing [%s%s] %3d%%  %,d events",
          "#".repeat(full), ".".repeat(width - full), Math.round(f * 100), events);
    }

    void done(long events) {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }

  /** Counts the bytes read, for the progress of compressed files. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
