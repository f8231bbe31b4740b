package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Three replicas of the packaged jar in one consumer group, scaled 1 → 3 → 1 (the extra replicas
 * stopped with SIGTERM, as Kubernetes stops a pod) while runs flow: a partition changes owner only
 * once its runs in flight here have ended and are committed, so no run reaches its webhook twice and
 * none is ended twice, and none is lost.
 */
class ScaleOutJarIT {

    static final int PARTITIONS = 12;
    static final int RUNS = 2_000;
    /** Runs arrive over about 25 s, so that every scaling step happens while they flow. */
    static final int BATCH = 40;
    static final Duration BATCH_EVERY = Duration.ofMillis(500);
    static final Duration WITHIN = Duration.ofSeconds(90);
    static final Duration SLOW_RUN = Duration.ofSeconds(8);
    static final int ONE_SLOW_IN = 10;
    static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILURE");

    static OneDrillAtATime turn;
    static JarWorld world;
    static PortStandIn port;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        turn = OneDrillAtATime.take();
        // Short runs (200 ms), and every tenth a slow one (8 s): each revocation finds runs in flight on the
        // replica giving partitions up, still going when the partitions' next owner, even a freshly started
        // one, has read them and asked Port whether they ended.
        world = JarWorld.start(300, 200);
        world.receiver.stubFor(post(urlPathMatching("/hooks/slow/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")
                .withFixedDelay((int) SLOW_RUN.toMillis())));
        port = world.port;
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
    void everyRunReachesItsWebhookOnceAndEndsOnceWhileReplicasJoinAndLeaveOnSigterm() throws Exception {
        String org = "org_scaleout";
        String topic = org + ".runs";
        kafka.topics().createAndWait(topic, PARTITIONS, Duration.ofSeconds(30));
        List<String> runs = runIds(RUNS);

        try (PartitionProgress progress = new PartitionProgress(KafkaBrokerResource.bootstrapServers(),
                org + ".berth", topic, WITHIN);
                BerthProcess first = replica("out-a", org)) {
            awaitAssigned(progress, "out-a");
            CompletableFuture<Void> flowing = CompletableFuture.runAsync(() -> produceSteadily(topic, runs));
            try (BerthProcess second = startWhenEnded(runs, 0.05, "out-b", org, progress);
                    BerthProcess third = startWhenEnded(runs, 0.15, "out-c", org, progress)) {
                stopWhenEnded(runs, 0.45, second, "out-b");
                stopWhenEnded(runs, 0.70, third, "out-c");
                flowing.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
                await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> world.ended(runs) == runs.size());
            }
            assertThat(progress.everAssigned()).as("replicas that were given partitions").containsKeys(
                    "out-a", "out-b", "out-c");
        }
        Map<String, Long> webhookCalls = webhookCallsPerRun();
        List<String> repeatedWebhooks = runs.stream().filter(run -> webhookCalls.getOrDefault(run, 0L) != 1).toList();
        List<String> repeatedEnds = runs.stream().filter(run -> terminalPatches(run) != 1).toList();
        assertThat(repeatedWebhooks).as("runs whose webhook was not called exactly once").isEmpty();
        assertThat(repeatedEnds).as("runs not ended exactly once (terminal PATCHes, refused ones included)").isEmpty();
    }

    private static void awaitAssigned(PartitionProgress progress, String name) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> progress.everAssigned().containsKey(name));
    }

    /** Starts a replica once {@code fraction} of the runs ended, and returns once the group gave it partitions. */
    private static BerthProcess startWhenEnded(List<String> runs, double fraction, String name, String org,
            PartitionProgress progress) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> world.ended(runs) >= runs.size() * fraction);
        BerthProcess replica = replica(name, org);
        awaitAssigned(progress, name);
        return replica;
    }

    private static void stopWhenEnded(List<String> runs, double fraction, BerthProcess replica, String name)
            throws InterruptedException {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> world.ended(runs) >= runs.size() * fraction);
        replica.terminate();
        assertThat(replica.awaitExit(Duration.ofSeconds(60))).as(name + " exits on SIGTERM").isNotNull();
    }

    private static BerthProcess replica(String name, String org) {
        return world.replica(name, org);
    }

    private static List<String> runIds(int count) {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runIds.add("r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        }
        return runIds;
    }

    /** Synchronized agent webhook runs, one entity each, {@link #BATCH} every {@link #BATCH_EVERY}. */
    private static void produceSteadily(String topic, List<String> runIds) {
        for (int from = 0; from < runIds.size(); from += BATCH) {
            List<ProducerRecord<String, String>> batch = runIds.subList(from, Math.min(from + BATCH, runIds.size()))
                    .stream().map(runId -> new ProducerRecord<>(topic, "svc-" + runId, world.agentRun(runId, "notify",
                            hookPath(runIds, runId), JarWorld.JSON.createObjectNode().put("n", runId)).toString()))
                    .toList();
            kafka.produceStrings().fromRecords(batch).awaitCompletion(WITHIN);
            try {
                TimeUnit.MILLISECONDS.sleep(BATCH_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Where port-agent's mapping posts the run: {@code /hooks/{runId}}, or {@code /hooks/slow/{runId}}. */
    private static String hookPath(List<String> runIds, String runId) {
        return runIds.indexOf(runId) % ONE_SLOW_IN == 0 ? "slow/" + runId : runId;
    }

    /** The receiver's calls per run id. */
    private static Map<String, Long> webhookCallsPerRun() {
        return world.receiver.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith("/hooks/"))
                .map(request -> request.getUrl().substring(request.getUrl().lastIndexOf('/') + 1))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Every terminal status Berth sent for the run, whether Port took it or refused it as already ended. */
    private static long terminalPatches(String runId) {
        return port.requestsFor(runId).stream().filter(request -> request.method().equals("PATCH"))
                .map(request -> readJson(request.body()).path("status").asText())
                .filter(TERMINAL::contains).count();
    }

    private static JsonNode readJson(String body) {
        try {
            return JarWorld.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Berth sent Port a body that is not JSON", e);
        }
    }
}
