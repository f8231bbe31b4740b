package io.berth.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.berth.testing.EventsOnOwnRunsTopic;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The console's API against the real broker and the Port stand-in. On a runs topic of its own
 * ({@link EventsOnOwnRunsTopic}, shared with {@code LifecycleEventsIT} only): its dead letters must
 * not land among those other tests count.
 */
@QuarkusTest
@TestProfile(EventsOnOwnRunsTopic.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class ConsoleIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final String RUNS_TOPIC = EventsOnOwnRunsTopic.RUNS_TOPIC;

    PortStandIn port = PortStandInResource.standIn();

    @Test
    void publishesASignedRunThatBerthHandlesAndReportsToPort() {
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("action", "hello_world", "inputs", Map.of("name", "Lin")))
                .post("/console/api/runs").then().statusCode(202).extract().path("runId");

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        // Signed with the client secret: had the signature been wrong, the run would be a dead letter.
        org.assertj.core.api.Assertions.assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/state").then()
                .body("runs.find { it.runId == '" + runId + "' }.status", equalTo("SUCCESS"))
                .body("runs.find { it.runId == '" + runId + "' }.logs.message", hasItem("Hello, Lin!"))
                .body("runs.find { it.runId == '" + runId + "' }.entities[0].identifier", equalTo("greeting-lin")));
    }

    @Test
    void refusesARunWithoutAnActionOrWithInputsThatAreNotAnObject() {
        given().contentType(ContentType.JSON).body("{\"inputs\":{}}").post("/console/api/runs")
                .then().statusCode(400).body("message", containsString("action"));
        given().contentType(ContentType.JSON).body("{\"action\":\"hello_world\",\"inputs\":[1]}")
                .post("/console/api/runs").then().statusCode(400).body("message", containsString("JSON object"));
    }

    @Test
    void showsDeadLettersWithTheirReasonAndReplaysThem() {
        String marker = "not json " + System.nanoTime();
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(RUNS_TOPIC, "bad-key", marker))
                .awaitCompletion(WITHIN);

        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/dead-letters").then()
                .body("findAll { it.preview == '" + marker + "' }", hasSize(1))
                .body("find { it.preview == '" + marker + "' }.reason", containsString("malformed JSON")));
        Map<String, Object> letter = given().get("/console/api/dead-letters").then().extract()
                .path("find { it.preview == '" + marker + "' }");

        String replay = "/console/api/dead-letters/" + letter.get("partition") + "/" + letter.get("offset") + "/replay";
        // What another site's page can send: a form, or JSON with its own Origin. Neither replays.
        given().contentType(ContentType.URLENC).formParam("x", "1").post(replay).then().statusCode(403);
        given().contentType(ContentType.JSON).header("Origin", "https://attacker.example.net").post(replay)
                .then().statusCode(403);
        given().contentType(ContentType.JSON).post(replay)
                .then().statusCode(202).body("replayedTo", equalTo(RUNS_TOPIC));
        // Replayed, it is still not JSON: a second dead letter with the same bytes.
        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/dead-letters").then()
                .body("findAll { it.preview == '" + marker + "' }", hasSize(2)));
    }

    @Test
    void answersOnlyRequestsForLocalhostWhileBoundToLocalhost() {
        given().header("Host", "rebind.attacker.example").get("/console/api/dead-letters").then().statusCode(403);
        given().header("Host", "127.0.0.1").get("/console/api/dead-letters").then().statusCode(200);
    }

    @Test
    void showsTheLagOfEveryPartitionOfTheRunsTopic() {
        await().atMost(WITHIN).untilAsserted(() -> given().get("/console/api/lag").then().statusCode(200)
                .body("topic", equalTo(RUNS_TOPIC))
                .body("partitions.partition", equalTo(List.of(0)))
                .body("partitions[0].lag", equalTo(0)));
    }

    @Test
    void servesThePageAndListsJavaHandlersAndMappingEntries() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Recent runs"));
        given().get("/console/api/state").then().statusCode(200)
                .body("interactive", equalTo(true))
                .body("actions.action", hasItem("hello_world"))
                .body("actions.action", hasItem("test_webhook_report"));
    }
}
