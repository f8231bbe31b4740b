package io.berth.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URL;
import java.time.Duration;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.berth.triggers.TriggersFileResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The console's view of the topic triggers: each trigger, and what its records came to. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TriggersFileResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "prefix", value = ConsoleTriggersIT.PREFIX))
class ConsoleTriggersIT {

    static final String PREFIX = "console-it";
    static final Duration WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL console;

    void produce(String topic, String key, String value) {
        KafkaBrokerResource.companion().produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(WITHIN);
    }

    @Test
    void showsEachTriggerWithWhatItConsumesAndFires() {
        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/triggers").then().statusCode(200)
                .body("find { it.id == 'hooked' }.topic", equalTo(PREFIX + ".hooked"))
                .body("find { it.id == 'hooked' }.group", equalTo("berth-triggers-hooked"))
                .body("find { it.id == 'hooked' }.targetKind", equalTo("webhook"))
                .body("find { it.id == 'hooked' }.ordering", equalTo("none"))
                .body("find { it.id == 'hooked' }.joined", equalTo(true))
                .body("find { it.id == 'handled' }.targetKind", equalTo("handler"))
                .body("find { it.id == 'handled' }.ordering", equalTo("key"))
                .body("find { it.id == 'ported' }.target", equalTo("Port action deploy_service"))
                .body("find { it.id == 'refused' }.target", not(containsString("never-logged"))));
    }

    @Test
    void showsTheRecordsATriggerFiredAndTheReasonOfThoseItDeadLettered() {
        String key = "console-" + System.nanoTime();
        produce(PREFIX + ".hooked", key, "{\"amount\": 5}");
        produce(PREFIX + ".refused", key, "{\"n\": 1}");

        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/triggers").then()
                .body("find { it.id == 'hooked' }.recent.find { it.key == '" + key + "' }.outcome", equalTo("fired"))
                .body("find { it.id == 'refused' }.recent.find { it.key == '" + key + "' }.outcome",
                        equalTo("dead_lettered"))
                .body("find { it.id == 'refused' }.recent.find { it.key == '" + key + "' }.reason",
                        allOf(containsString("400"), not(containsString("never-logged"))))
                .body("find { it.id == 'refused' }.inFlight", equalTo(0)));
        // Trigger records are not runs: the runs view does not show them.
        given().get("/console/api/state").then().body("runs.findAll { it.record?.startsWith('" + PREFIX + "') }",
                empty());
    }

    /** In headless Chromium, as {@link ConsoleBrowserIT} drives the runs (skipped where it is skipped). */
    @Test
    void thePageShowsEachTriggerAndTheRecordItFired() {
        ConsoleBrowserIT.openBrowser();
        try {
            String key = "page-" + System.nanoTime();
            produce(PREFIX + ".hooked", key, "{\"amount\": 7}");
            ConsoleBrowserIT.browser.get(console.toString());
            By fired = By.cssSelector("article.trigger[data-trigger-id='hooked'] tr[data-outcome='fired']");
            // The view re-renders every few seconds: an element found may be replaced before it is read.
            WebDriverWait wait = new WebDriverWait(ConsoleBrowserIT.browser, WITHIN);
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(driver -> driver.findElements(fired).stream().anyMatch(row -> row.getText().contains(key)));
            String card = wait.until(driver -> driver
                    .findElement(By.cssSelector("article.trigger[data-trigger-id='hooked']")).getText());
            assertThat(card).contains(PREFIX + ".hooked").contains("webhook POST")
                    .contains("group berth-triggers-hooked").contains("ordering none").contains("consuming");
        } finally {
            ConsoleBrowserIT.closeBrowser();
        }
    }
}
