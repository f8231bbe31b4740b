package io.berth.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Memory is bounded in bytes, not only in runs, and running out of it is not hidden: on topics of
 * their own, with a budget of {@value #BUDGET} bytes of records in flight.
 */
@QuarkusTest
@TestProfile(MemoryBoundsIT.SmallBudget.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class MemoryBoundsIT {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final String RUNS_TOPIC = "org_test.memory.runs";
    static final int BUDGET = 10_000;
    static final int RECORD_PADDING = 2_700;

    /** Concurrency 64, but room for only three records of about 3 KB. */
    public static final class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.runs-topic", RUNS_TOPIC, "berth.runs.dead-letter-topic", RUNS_TOPIC + ".dlq",
                    "berth.runs.max-in-flight-bytes", String.valueOf(BUDGET));
        }
    }

    PortStandIn port = PortStandInResource.standIn();

    @Test
    void keepsTheBytesOfRecordsInFlightWithinTheBudgetWhateverTheConcurrency() {
        TestHandlers.WEIGHED_MAX_IN_FLIGHT.set(0);
        String batch = UUID.randomUUID().toString().substring(0, 6);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String runId = "r_mem_" + batch + "_" + i;
            runIds.add(runId);
            // Each of its own entity: only the byte budget holds them back.
            String value = Runs.v1(runId, "test_weighed", "svc-" + batch + "-" + i,
                    Runs.inputs("padding", "x".repeat(RECORD_PADDING))).toString();
            assertThat(value.length()).isBetween(RECORD_PADDING, BUDGET / 3);
            records.add(new ProducerRecord<>(RUNS_TOPIC, "svc-" + batch + "-" + i, value));
        }
        KafkaBrokerResource.companion().produceStrings().fromRecords(records).awaitCompletion(WITHIN);

        await().atMost(WITHIN).until(() -> runIds.stream().allMatch(runId -> port.terminalStatus(runId).isPresent()));
        assertThat(runIds).allSatisfy(runId -> assertThat(port.terminalStatus(runId)).contains("SUCCESS"));
        assertThat(TestHandlers.WEIGHED_MAX_IN_FLIGHT.get()).as("runs in flight at once").isBetween(2, 3);
    }

    @Test
    void turnsLivenessDownOnceARunHasRunOutOfMemory() {
        given().get("/q/health/live").then().statusCode(200);
        String runId = "r_oom_" + UUID.randomUUID().toString().substring(0, 8);
        KafkaBrokerResource.companion().produceStrings().fromRecords(new ProducerRecord<>(RUNS_TOPIC, "svc-oom",
                Runs.v1(runId, "test_out_of_memory", "svc-oom", Runs.inputs()).toString())).awaitCompletion(WITHIN);

        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/live").then().statusCode(503)
                .body("checks.find { it.name == 'berth-memory' }.status", equalTo("DOWN"))
                .body("checks.name", hasItem("berth-memory")));
    }
}
