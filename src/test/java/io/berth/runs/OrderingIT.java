package io.berth.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Runs of one entity go one after another, in order; runs of different entities overlap. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class OrderingIT {

    static final int ENTITIES = 6;
    static final int RUNS_PER_ENTITY = 8;

    PortStandIn port = PortStandInResource.standIn();

    @Test
    void runsOfOneEntityNeverOverlapAndKeepTheirOrderWhileOthersRunConcurrently() {
        TestHandlers.ORDERED.clear();
        TestHandlers.ORDERED_MAX_IN_FLIGHT.set(0);
        String batch = UUID.randomUUID().toString().substring(0, 6);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (int sequence = 0; sequence < RUNS_PER_ENTITY; sequence++) {
            for (int entity = 0; entity < ENTITIES; entity++) {
                String runId = "r_ord_" + batch + "_" + entity + "_" + sequence;
                runIds.add(runId);
                ObjectNode inputs = Runs.inputs();
                inputs.put("entityNumber", entity).put("sequence", sequence);
                // Records of one entity share a key, hence a partition, hence an order.
                records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "svc-" + batch + "-" + entity,
                        Runs.v1(runId, "test_ordered", "svc-" + batch + "-" + entity, inputs).toString()));
            }
        }
        KafkaBrokerResource.companion().produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> runIds.stream().allMatch(runId -> port.terminalStatus(runId).isPresent()));

        for (int entity = 0; entity < ENTITIES; entity++) {
            long number = entity;
            List<long[]> runs = TestHandlers.ORDERED.stream().filter(run -> run[0] == number)
                    .sorted(Comparator.comparingLong(run -> run[2])).toList();
            assertThat(runs).hasSize(RUNS_PER_ENTITY);
            for (int i = 0; i < runs.size(); i++) {
                assertThat(runs.get(i)[1]).as("entity %d, run started #%d", entity, i).isEqualTo(i);
                if (i > 0) {
                    assertThat(runs.get(i)[2]).as("entity %d run %d starts after run %d ended", entity, i, i - 1)
                            .isGreaterThanOrEqualTo(runs.get(i - 1)[3]);
                }
            }
        }
        assertThat(TestHandlers.ORDERED_MAX_IN_FLIGHT.get()).as("runs of different entities overlapped")
                .isGreaterThan(1);
    }
}
