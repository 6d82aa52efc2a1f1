package io.sseservice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The example page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs), two windows on one {@link ExampleApp}:
 * each connects, what one sends through the page's own forms shows up in the other, a send to one
 * client reaches only its window, and closing a window drops the other's live count.
 *
 * <p>Selenium is given the system chromedriver and browser explicitly, so Selenium Manager never
 * looks for (or downloads) either. Every wait is a {@link WebDriverWait} on the DOM; that a window
 * did not get an event is checked without waiting for nothing: a later event sent to it must
 * arrive, and the earlier one must not be listed before it.
 */
class ExamplePageBrowserIT {

  /** Debian's chromium-driver; Debian's chromium is found on the PATH, as .ci/run looks for it. */
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  private static final String MISSING =
      "needs Debian's chromium and chromium-driver packages "
          + "(apt-get install chromium chromium-driver; .ci/run installs them)";

  /** How long a DOM condition may take; a passing run needs well under a second for each. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The rows of the page's event list, each as its cells: time, event, last id, data. */
  private static final String EVENT_ROWS =
      "return Array.from(document.querySelectorAll("
          + "'#events tr')).map((row) => Array.from(row.cells).map((cell) => cell.textContent));";

  private static File chromium;

  private ExampleApp app;
  private ChromeDriverService driverService;
  private ChromeDriver browser;

  /** Skips on a machine without the packages; fails in CI, which installs them. */
  @BeforeAll
  static void needsChromium() {
    chromium = onPath("chromium");
    boolean present = chromium != null && CHROMEDRIVER.canExecute();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present).as(MISSING).isTrue();
    }
    assumeTrue(present, MISSING);
  }

  @BeforeEach
  void start(@TempDir Path profile) {
    app = ExampleApp.start(0, Duration.ZERO); // no ticker: every event listed is one sent here
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER)
            .usingAnyFreePort()
            // Chromium keeps its crash database under $XDG_CONFIG_HOME/chromium whatever the
            // profile
            .withEnvironment(Map.of("XDG_CONFIG_HOME", profile.resolve("config").toString()))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // --no-sandbox: CI runs as root; the rest keeps Chromium off the network and the small
    // /dev/shm, and leaves nothing behind (a profile of its own would stay, empty, in /tmp)
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-crash-reporter",
        "--user-data-dir=" + profile.resolve("profile"));
    browser = new ChromeDriver(driverService, options);
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        browser.quit(); // ends Chromium and its helper processes
      }
    } finally {
      if (driverService != null) {
        driverService.stop(); // a no-op after quit; frees chromedriver if the session never started
      }
      if (app != null) {
        app.close();
      }
    }
  }

  @Test
  void twoWindowsSeeEachOthersEventsAndTheLiveCountDropsWhenOneCloses() {
    String tab1 = open(null);
    String tab2 = open(WindowType.WINDOW);
    String client1 = in(tab1).value("myClientId");
    String client2 = in(tab2).value("myClientId");
    assertThat(client1).as("each tab generates its own client id").isNotEqualTo(client2);
    assertThat(in(tab1).value("connectionId")).isNotEqualTo(in(tab2).value("connectionId"));

    // send to all, from tab 1 through its own form: tab 2 lists it
    in(tab1).send("to-all", "greeting", "hello from tab 1");
    in(tab1).awaitText("#to-all output", "reached 2 connections");
    in(tab2).awaitEvent("greeting", "hello from tab 1");

    // send to tab 1's client, from tab 2: tab 1 lists it, tab 2 does not
    in(tab2).field("to-client", "clientId").clear();
    in(tab2).field("to-client", "clientId").sendKeys(client1);
    in(tab2).send("to-client", "alert", "only for tab 1");
    in(tab2).awaitText("#to-client output", "reached 1 connection");
    in(tab1).awaitEvent("alert", "only for tab 1");
    // tab 2's own connection id is in its send-to-connection form: this marker reaches it after
    // the alert would have, on the same stream
    in(tab2).send("to-connection", "ping", "marker for tab 2");
    in(tab2).awaitEvent("ping", "marker for tab 2");
    assertThat(in(tab2).events()).noneMatch(row -> row.get(3).equals("only for tab 1"));

    // the live count in tab 1 sees both connections, then only its own once tab 2 closes
    in(tab1).awaitText("#live-stats", "2 connections · 2 clients");
    browser.switchTo().window(tab2).close();
    in(tab1).awaitText("#live-stats", "1 connection · 1 client");
  }

  /** Returns the executable {@code name} in a directory of the PATH, or null. */
  private static @Nullable File onPath(String name) {
    String path = System.getenv("PATH");
    return path == null
        ? null
        : Arrays.stream(path.split(File.pathSeparator))
            .map(dir -> new File(dir, name))
            .filter(File::canExecute)
            .findFirst()
            .orElse(null);
  }

  /**
   * Opens the page in the current window ({@code type} null) or a new one, waits until it shows
   * an open stream with its client and connection id, and returns the window's handle.
   */
  private String open(@Nullable WindowType type) {
    if (type != null) {
      browser.switchTo().newWindow(type);
    }
    browser.get(app.uri().toString());
    Tab tab = new Tab();
    tab.await(
        "an open stream and its ids shown",
        driver ->
            driver.findElement(By.id("state")).getText().equals("open")
                && tab.value("myClientId").startsWith("user-")
                && !tab.value("connectionId").equals("–"));
    return browser.getWindowHandle();
  }

  /** Switches the browser to {@code window} and returns the page in it. */
  private Tab in(String window) {
    browser.switchTo().window(window);
    return new Tab();
  }

  /** The page in the browser's current window. */
  private final class Tab {

    String value(String id) {
      return browser.findElement(By.id(id)).getDomProperty("value");
    }

    WebElement field(String formId, String name) {
      return browser.findElement(By.cssSelector("#" + formId + " [name=" + name + "]"));
    }

    /** Fills in a send form's event and message (as plain text) and submits it. */
    void send(String formId, String event, String message) {
      new Select(field(formId, "event")).selectByVisibleText(event);
      WebElement json = field(formId, "json");
      if (json.isSelected()) {
        json.click();
      }
      field(formId, "message").clear();
      field(formId, "message").sendKeys(message);
      browser.findElement(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    @SuppressWarnings("unchecked") // executeScript returns a JavaScript array as a List
    List<List<String>> events() {
      return (List<List<String>>) browser.executeScript(EVENT_ROWS);
    }

    void awaitEvent(String event, String data) {
      await(
          "event " + event + " \"" + data + "\" listed",
          driver ->
              events().stream()
                  .anyMatch(row -> row.get(1).equals(event) && row.get(3).equals(data)));
    }

    void awaitText(String selector, String text) {
      await(
          selector + " showing \"" + text + "\"",
          driver -> driver.findElement(By.cssSelector(selector)).getText().contains(text));
    }

    /** Waits for {@code condition}; a timeout names {@code what} and the events listed. */
    void await(String what, Function<WebDriver, Boolean> condition) {
      new WebDriverWait(browser, WAIT, Duration.ofMillis(50))
          .ignoring(StaleElementReferenceException.class)
          .withMessage(() -> what + "; events listed: " + events())
          .until(condition);
    }
  }
}
