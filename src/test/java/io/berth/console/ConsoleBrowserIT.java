package io.berth.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): trigger a run from the form, watch it reach SUCCESS with its
 * logs without reloading, take a screenshot ({@code target/console.png}; with
 * {@code -Dberth.docs-screenshot=true} also {@code docs/console.png}, the README's).
 *
 * <p>{@code -Dberth.console-url=http://localhost:8080/} drives a console running elsewhere instead,
 * such as {@code ./mvnw quarkus:dev} with its sample handlers: that is how the README's screenshot
 * is taken.
 *
 * <p>Without Chromium the test is skipped locally and fails in CI ({@code CI=true}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of(System.getProperty("berth.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("berth.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WITHIN = Duration.ofSeconds(30);

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL console;

    @BeforeAll
    static void openBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Chromium (" + CHROMIUM + ") and chromedriver (" + CHROMEDRIVER + ") are needed: "
                    + "apt-get install -y chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing);
            }
            Assumptions.abort("Skipping the browser test. " + missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,960");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void triggersARunFromTheFormAndSeesItSucceedWithItsLogs() throws IOException {
        browser.get(System.getProperty("berth.console-url", console.toString()));
        WebDriverWait wait = new WebDriverWait(browser, WITHIN);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#action option[value='hello_world']")));
        assertThat(browser.findElement(By.id("actions")).getText()).contains("hello_world").contains("slow_deploy");

        new Select(browser.findElement(By.id("action"))).selectByValue("hello_world");
        WebElement inputs = browser.findElement(By.id("inputs"));
        inputs.clear();
        inputs.sendKeys("{\"name\": \"Grace\"}");
        browser.findElement(By.id("run-button")).click();

        By greeted = succeeded(publishedRunId(wait));
        wait.until(ExpectedConditions.presenceOfElementLocated(greeted));
        assertThat(textOf(wait, greeted)).contains("hello_world").contains("Greeted Grace")
                .contains("greeting/greeting-grace");

        new Select(browser.findElement(By.id("action"))).selectByValue("slow_deploy");
        browser.findElement(By.id("entity")).sendKeys("checkout");
        inputs.clear();
        inputs.sendKeys("{\"service\": \"checkout\", \"version\": \"2.4.1\"}");
        browser.findElement(By.id("run-button")).click();
        By deployed = succeeded(publishedRunId(wait));
        wait.until(ExpectedConditions.presenceOfElementLocated(deployed));
        assertThat(textOf(wait, deployed)).contains("Deployed checkout 2.4.1")
                .contains("Waiting for health checks for checkout 2.4.1")
                .contains("https://ci.example.com/deploys/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("lag"), "waiting"));

        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "console.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("berth.docs-screenshot")) {
            Files.createDirectories(Path.of("docs"));
            Files.copy(shot.toPath(), Path.of("docs", "console.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.size(target)).isGreaterThan(10_000);
    }

    /** The run id the form reports once the broker has stored the run ("Published run r_... to ..."). */
    static String publishedRunId(WebDriverWait wait) {
        wait.until(ExpectedConditions.textMatches(By.id("trigger-note"), Pattern.compile("Published run r_\\w+")));
        Matcher matcher = Pattern.compile("(r_\\w+)").matcher(browser.findElement(By.id("trigger-note")).getText());
        assertThat(matcher.find()).isTrue();
        String runId = matcher.group(1);
        // The next trigger must not read this one's note.
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("document.getElementById('trigger-note').textContent = ''");
        return runId;
    }

    static By succeeded(String runId) {
        return By.cssSelector("article.run[data-run-id='" + runId + "'][data-status='SUCCESS']");
    }

    /** The element's text, read again if the page re-rendered it between finding and reading (live updates). */
    private static String textOf(WebDriverWait wait, By element) {
        return wait.ignoring(StaleElementReferenceException.class).until(driver -> driver.findElement(element).getText());
    }
}
