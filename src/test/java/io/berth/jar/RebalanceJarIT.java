package io.berth.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Replicas of the packaged jar joining and leaving one consumer group under load, as a scaler
 * would run them: every partition a live replica holds keeps making progress, and every run ends
 * exactly once.
 */
class RebalanceJarIT {

    static final int PARTITIONS = 12;
    static final int RUNS = 6_000; // enough that, at the receiver's pace, runs remain while a new JVM joins
    /**
     * A live owner with records waiting commits at least this often. Before the fix, partitions of a
     * replica waited 25 s to over a minute behind another partition's backlog (2-core machine, three
     * replicas); the bound leaves room for a freshly started JVM on a loaded machine.
     */
    static final Duration PROGRESS_BOUND = Duration.ofSeconds(30);
    /** Port's run records carry the action's definition, trigger and context: about 2 KB. */
    static final String PADDING = "x".repeat(1_800);
    static final Duration WITHIN = Duration.ofSeconds(100);
    /** Added to the webhook's 300 ms while a replica joins: the others end about 2 × 64 runs per 2.3 s meanwhile. */
    static final int JOINING_ANSWER_DELAY_MILLIS = 2_000;
    static final ObjectMapper JSON = new ObjectMapper();

    static OneDrillAtATime turn;
    static JarWorld world;
    static PortStandIn port;
    static WireMockServer receiver;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        turn = OneDrillAtATime.take();
        world = JarWorld.start(100, 300); // slow enough that a replica started at 25 % joins, on a loaded machine, before 75 %
        port = world.port;
        receiver = world.receiver;
        kafka = KafkaBrokerResource.companion();
    }

    @AfterAll
    static void stopWorld() {
        try {
            world.close();
        } finally {
            turn.close();
        }
    }

    @Test
    void everyPartitionAssignedToALiveReplicaMakesProgressWhileReplicasJoinAndLeave() throws Exception {
        String org = "org_scale";
        String topic = org + ".runs";
        kafka.topics().createAndWait(topic, PARTITIONS, Duration.ofSeconds(30));
        List<String> runs = produceRuns(topic, RUNS);

        try (PartitionProgress progress = new PartitionProgress(KafkaBrokerResource.bootstrapServers(),
                org + ".berth", topic, PROGRESS_BOUND);
                BerthProcess first = replica("scale-a", org);
                BerthProcess second = startWhenEnded(runs, 0.10, "scale-b", org, progress);
                BerthProcess third = startWhenEnded(runs, 0.25, "scale-c", org, progress)) {
            stopWhenEnded(runs, 0.50, second, "scale-b", progress);
            stopWhenEnded(runs, 0.75, third, "scale-c", progress);
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> ended(runs) == runs.size());

            assertThat(progress.stalls()).as("partitions held without progress (%s)", progress).isEmpty();
            assertThat(progress.everAssigned()).as("replicas that were given partitions").containsKeys(
                    "scale-a", "scale-b", "scale-c");
            for (String runId : runs) {
                assertThat(port.terminalWrites(runId)).as(runId).isEqualTo(1);
            }
        }
    }

    /**
     * Starts a replica once {@code fraction} of the runs ended, and returns once the group gave it
     * partitions: on a loaded machine a JVM may take longer to join than the next stage takes to come.
     */
    private static BerthProcess startWhenEnded(List<String> runs, double fraction, String name, String org,
            PartitionProgress progress) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> ended(runs) >= runs.size() * fraction);
        BerthProcess replica = replica(name, org);
        // On a quiet machine the live replicas would end every run before a new JVM joins: the webhook
        // answers slowly until the group has given the new replica its partitions.
        receiver.setGlobalFixedDelay(JOINING_ANSWER_DELAY_MILLIS);
        try {
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).failFast(
                    () -> assertThat(ended(runs)).as("runs left when %s joins", name).isLessThan(runs.size()))
                    .until(() -> progress.everAssigned().containsKey(name));
        } finally {
            receiver.setGlobalFixedDelay(0);
        }
        return replica;
    }

    private static void stopWhenEnded(List<String> runs, double fraction, BerthProcess replica, String name,
            PartitionProgress progress) throws InterruptedException {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> ended(runs) >= runs.size() * fraction);
        progress.stopping(name);
        replica.terminate();
        assertThat(replica.awaitExit(Duration.ofSeconds(40))).as(name + " exits on SIGTERM").isNotNull();
    }

    private static BerthProcess replica(String name, String org) {
        return world.replica(name, org);
    }

    /** Synchronized agent webhook runs, one entity each, spread over the partitions by key. */
    private static List<String> produceRuns(String topic, int count) {
        List<String> runIds = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            runIds.add(runId);
            ObjectNode message = world.agentRun(runId, "notify", runId,
                    JSON.createObjectNode().put("n", i).put("notes", PADDING));
            records.add(new ProducerRecord<>(topic, "svc-" + runId, message.toString()));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);
        return runIds;
    }

    private static long ended(List<String> runIds) {
        return world.ended(runIds);
    }
}
