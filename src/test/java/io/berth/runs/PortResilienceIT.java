package io.berth.runs;

import static io.berth.runs.Runs.inputs;
import static io.berth.runs.Runs.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Port misbehaving: tokens expiring, 503 and 429 storms, outages. Nothing is lost, nothing doubled. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class PortResilienceIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();

    @AfterEach
    void clearFaults() {
        port.failNext(0, 503);
        port.rateLimitNext(0, 0);
    }

    @Test
    void fetchesOneTokenForAHundredRuns() {
        int tokenCallsBefore = port.tokenCalls();
        List<String> runIds = produceRuns(100, "token");

        awaitAllEnded(runIds);
        assertThat(port.tokenCalls() - tokenCallsBefore).isLessThanOrEqualTo(1);
        assertThat(port.tokenCalls()).isLessThanOrEqualTo(tokenCallsBefore + 1);
        runIds.forEach(runId -> assertThat(port.terminalStatus(runId)).contains("SUCCESS"));
    }

    @Test
    void fetchesANewTokenOnceWhenPortRevokesIt() {
        awaitAllEnded(produceRuns(1, "warm-up"));
        int tokenCallsBefore = port.tokenCalls();
        port.revokeTokens();

        List<String> runIds = produceRuns(20, "revoked");

        awaitAllEnded(runIds);
        assertThat(port.tokenCalls() - tokenCallsBefore).isEqualTo(1);
        runIds.forEach(runId -> assertThat(port.terminalStatus(runId)).contains("SUCCESS"));
    }

    @Test
    void losesNothingInA503Storm() {
        port.failNext(40, 503);
        List<String> runIds = produceRuns(20, "storm");

        awaitAllEnded(runIds);
        runIds.forEach(runId -> {
            assertThat(port.terminalStatus(runId)).contains("SUCCESS");
            assertThat(port.terminalWrites(runId)).isEqualTo(1);
            assertThat(TestHandlers.invocations(runId)).isEqualTo(1);
        });
    }

    @Test
    void honoursRetryAfterIn429Storm() {
        port.rateLimitNext(15, 1);
        long started = System.nanoTime();
        List<String> runIds = produceRuns(10, "limited");

        awaitAllEnded(runIds);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        runIds.forEach(runId -> {
            assertThat(port.terminalStatus(runId)).contains("SUCCESS");
            assertThat(port.terminalWrites(runId)).isEqualTo(1);
        });
    }

    @Test
    void waitsOutAnOutageLongerThanTheRetryBudget() {
        // Tests give each call 5 s of retries: 100 failures keep Port down well beyond one call's budget.
        port.failNext(100, 503);
        List<String> runIds = produceRuns(5, "outage");

        awaitAllEnded(runIds);
        runIds.forEach(runId -> {
            assertThat(port.terminalStatus(runId)).contains("SUCCESS");
            assertThat(port.terminalWrites(runId)).isEqualTo(1);
            assertThat(TestHandlers.invocations(runId)).isEqualTo(1);
        });
    }

    private List<String> produceRuns(int count, String label) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String runId = "r_" + label + "_" + UUID.randomUUID().toString().substring(0, 8);
            runIds.add(runId);
            records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, runId,
                    v1(runId, "test_echo", label + "-" + i, inputs("name", label)).toString()));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);
        return runIds;
    }

    private void awaitAllEnded(List<String> runIds) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> runIds.stream().allMatch(runId -> port.terminalStatus(runId).isPresent()));
    }
}
