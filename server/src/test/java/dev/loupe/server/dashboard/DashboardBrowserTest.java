package dev.loupe.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loupe.server.DemoStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromium-driver) against a real
 * server fed by the demo stream (14 days of history, then live sessions). Screenshots go to
 * {@code server/target/screenshots/}.
 *
 * <p>Without a browser the tests are skipped with a loud message, unless {@code
 * LOUPE_REQUIRE_BROWSER=1} (set by {@code .ci/run}), which makes them fail instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * Selenium warns that it has no DevTools bindings for Debian's newer Chromium; these tests use
   * only WebDriver, so the warning is noise. Held here so the logger keeps its level.
   */
  static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
  static final java.util.logging.Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium.ChromiumDriver");

  static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.SEVERE);
    return l;
  }

  @TempDir static Path dir;
  @TempDir static Path profile;
  DashboardFixture f;
  DemoStream demo;
  WebDriver browser;
  WebDriverWait wait;

  @BeforeAll
  void start() throws Exception {
    Optional<Path> chromium = find("chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome");
    Optional<Path> driver = find("chromedriver", "/usr/bin/chromedriver");
    if (chromium.isEmpty() || driver.isEmpty()) {
      String msg = "\n*** BROWSER TESTS NOT RUN: no " + (chromium.isEmpty() ? "chromium" : "chromedriver")
          + " found (install the Debian packages chromium and chromium-driver) ***\n";
      System.err.println(msg);
      if ("1".equals(System.getenv("LOUPE_REQUIRE_BROWSER"))) {
        throw new AssertionError("LOUPE_REQUIRE_BROWSER=1 but " + msg.trim());
      }
      Assumptions.abort(msg.trim());
    }
    f = DashboardFixture.start(dir);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  @Order(1)
  void overview_emptyThenNumbersMoveWithoutReload() throws Exception {
    browser.get(f.uri("/").toString());
    wait.until(d -> d.findElement(By.id("overview-empty")).isDisplayed());
    assertThat(text("overview-empty")).startsWith("No events yet.");
    assertThat(text("m-events")).isEqualTo("0");
    shot("overview-empty");

    demo = DemoStream.start(f.server, Clock.systemUTC(), 7L);
    wait.until(d -> number("m-today") > 0);
    Object marker = js("return window.__loupeMarker = Math.random();");
    long first = number("m-today");
    // The live stream keeps sending sessions: the count must grow while the page stays loaded.
    wait.until(d -> number("m-today") > first);
    assertThat(js("return window.__loupeMarker;")).as("the page was not reloaded").isEqualTo(marker);
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("live");
    assertThat(browser.findElement(By.id("overview-error")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("overview-empty")).isDisplayed()).isFalse();
    wait.until(d -> ((Number) js("return Chart.getChart('chart-events').data.datasets.length;")).intValue() >= 3);
    assertThat(text("m-rate")).isNotEqualTo("–");
    shot("overview");
  }

  @Test
  @Order(2)
  void sqlConsole_query_showsTableAndChart() throws Exception {
    browser.get(f.uri("/dashboard#sql").toString());
    WebElement area = wait.until(d -> d.findElement(By.id("sql-text")));
    area.clear();
    area.sendKeys("SELECT event_type, count(*) AS events FROM events GROUP BY 1 ORDER BY 2 DESC");
    browser.findElement(By.id("sql-run")).click();
    wait.until(d -> d.findElements(By.cssSelector("#sql-result tbody tr")).size() >= 3);
    assertThat(browser.findElements(By.cssSelector("#sql-result thead th")))
        .extracting(WebElement::getText).containsExactly("event_type", "events");
    assertThat(browser.findElement(By.id("sql-chart-panel")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("sql-csv")).isEnabled()).isTrue();
    assertThat(text("sql-info")).matches("\\d+ rows in \\d+ ms");
    shot("sql-console");

    area.clear();
    area.sendKeys("SELECT no_such_column FROM events");
    browser.findElement(By.id("sql-run")).click();
    wait.until(d -> d.findElement(By.id("sql-error")).isDisplayed());
    assertThat(text("sql-error")).startsWith("query failed: ").contains("no_such_column");
    assertThat(browser.findElements(By.cssSelector("#sql-result tbody tr"))).isEmpty();
    assertThat(browser.findElement(By.id("sql-csv")).isEnabled()).isFalse();
    shot("sql-console-error");
  }

  @Test
  @Order(3)
  void dailyReport_pastDay_showsRowsEqualToLive() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    // The demo's history for that day must be in the lake and in the saved live aggregates.
    wait.until(d -> {
      try {
        f.server.ingest().flush();
        var r = DashboardFixture.JSON.readTree(f.get("/v1/reports/daily?date=" + day).body());
        return r.at("/totals/events").asLong() > 1000 && r.at("/totals/events").asLong() == r.at("/live/events").asLong();
      } catch (Exception e) {
        return false;
      }
    });
    browser.get(f.uri("/dashboard#report").toString());
    WebElement date = wait.until(d -> d.findElement(By.id("report-date")));
    js("arguments[0].value = arguments[1];", date, day.toString());
    browser.findElement(By.id("report-load")).click();
    // opening #report loads yesterday's report first; only the answer for the chosen day counts
    wait.until(d -> text("report-status").contains(day.toString()));
    wait.until(d -> d.findElements(By.cssSelector("#report-rows tbody tr")).size() >= 6);
    List<WebElement> checks = browser.findElements(By.cssSelector("#report-check tbody td.ok"));
    assertThat(checks).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#report-check tbody td.bad"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#report-rows tbody tr td:nth-child(2)")))
        .extracting(WebElement::getText).contains("ios", "android", "web");
    wait.until(d -> number("s-count") > 0);
    assertThat(text("s-duration")).endsWith(" min");
    shot("daily-report");

    browser.findElement(By.id("report-write")).click();
    wait.until(d -> text("report-status").startsWith("Written"));
    shot("daily-report-written");
  }

  private long number(String id) {
    String t = text(id).replace(",", "");
    return t.matches("\\d+") ? Long.parseLong(t) : -1;
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void shot(String name) throws Exception {
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static Optional<Path> find(String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c);
      if (p.isAbsolute()) {
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
        continue;
      }
      for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path q = Path.of(d, c);
        if (Files.isExecutable(q)) {
          return Optional.of(q);
        }
      }
    }
    return Optional.empty();
  }
}
