package io.berth.events;

import static io.berth.events.LifecycleEventsIT.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Berth as configured by default: lifecycle events are off, and nothing is published. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class EventsDisabledIT {

    static final Duration WITHIN = Duration.ofSeconds(30);

    PortStandIn port = PortStandInResource.standIn();

    @Test
    void publishesNoEventByDefault() {
        ObjectNode message = run("test_progress", null, Map.of());
        String runId = message.at("/context/runId").asText();
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, runId, message.toString()))
                .awaitCompletion(WITHIN);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.logs(runId)).contains("[10%] Reserving rack space"); // progress still reaches Port
        // The broker creates topics on first write: none under the default prefix means none was written.
        assertThat(KafkaBrokerResource.companion().topics().list()).noneMatch(topic -> topic.startsWith("berth."));
        assertThat(RestAssured.get("/q/metrics").asString()).doesNotContain("berth_events_total");
    }
}
