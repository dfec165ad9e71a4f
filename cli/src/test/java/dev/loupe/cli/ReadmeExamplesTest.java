package dev.loupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.lake.LoupeConfig;
import dev.loupe.server.LoupeServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's curl example against a real server and its `./loupe sql` examples. */
class ReadmeExamplesTest {

  @TempDir Path dir;

  @Test
  void readme_curlAndSqlExamplesWork() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher curl = Pattern.compile("-H '([^:]+): ([^']+)' \\\\\\s*--data-binary '([^']+)'")
        .matcher(readme);
    assertThat(curl.find()).as("README has a curl example").isTrue();
    Matcher answer = Pattern.compile("```json\\s*(\\{.*?})\\s*```", Pattern.DOTALL)
        .matcher(readme.substring(curl.end()));
    assertThat(answer.find()).as("README shows the answer").isTrue();

    // the example's event_time is 2026-11-26: run the server on that day
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T16:00:00Z"), ZoneOffset.UTC);
    LoupeConfig config = LoupeConfig.withDefaults().withDataDir(dir).withPort(0);
    try (LoupeServer server = LoupeServer.builder(config).clock(clock).start()) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri().resolve("/v1/events"))
              .header(curl.group(1), curl.group(2))
              .POST(HttpRequest.BodyPublishers.ofString(curl.group(3))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      ObjectMapper json = new ObjectMapper();
      assertThat(json.readTree(r.body())).isEqualTo(json.readTree(answer.group(1)));
    }

    Matcher sql = Pattern.compile("(?m)^\\./loupe sql (.*)$").matcher(readme);
    List<String> outputs = new ArrayList<>();
    while (sql.find()) {
      List<String> args = new ArrayList<>(List.of("sql", "--data-dir", dir.toString()));
      Matcher arg = Pattern.compile("\"([^\"]*)\"|\\S+").matcher(sql.group(1));
      while (arg.find()) {
        args.add(arg.group(1) != null ? arg.group(1) : arg.group());
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Loupe.execute(new PrintWriter(out), new PrintWriter(err),
          args.toArray(new String[0]));
      assertThat(code).as("%s: %s", args, err).isZero();
      outputs.add(out.toString());
    }
    assertThat(outputs).hasSizeGreaterThanOrEqualTo(2);
    assertThat(outputs.get(0)).contains("purchase").containsPattern("purchase\\s+1");
  }
}
