package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The packaged jar with {@code STREAMER_NAME=POLLING} and no Kafka setting at all: two processes claim
 * runs from one Port stand-in and call port-agent's default mapping's webhook; every run is handled
 * by one of them, once, and acknowledged; neither asks Port for Kafka credentials.
 */
class PollingJarIT {

    static final Duration WITHIN = Duration.ofSeconds(120);

    @Test
    void twoPollingJarsShareTheRunsWithoutKafkaEachRunCalledAndEndedOnce() throws Exception {
        try (JarWorld world = JarWorld.start(16, 20)) {
            Map<String, String> env = world.env("org_polling_jar");
            env.remove("KAFKA_BROKERS");
            env.remove("KAFKA_CONSUMER_AUTO_OFFSET_RESET");
            env.put("STREAMER_NAME", "POLLING");
            env.put("POLLING_INTERVAL_SECONDS", "0.2");
            env.put("POLLING_RUNS_BATCH_SIZE", "5");
            List<String> runIds = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String runId = "r_polljar_" + i;
                runIds.add(runId);
                world.port.addPendingRun(claimed(world, runId));
            }
            try (BerthProcess first = BerthProcess.start("polling-1", env);
                    BerthProcess second = BerthProcess.start("polling-2", env)) {
                await().atMost(WITHIN).until(() -> world.port.acked().containsAll(runIds));
                await().atMost(WITHIN).until(() -> first.ready() && second.ready());

                for (String runId : runIds) {
                    assertThat(world.port.claimsOf(runId)).as(runId).isEqualTo(1);
                    assertThat(world.port.terminalWrites(runId)).as(runId).isEqualTo(1);
                    assertThat(world.port.terminalStatus(runId)).as(runId).contains("SUCCESS");
                    assertThat(world.receiver.findAll(postRequestedFor(urlEqualTo("/hooks/" + runId)))).as(runId)
                            .hasSize(1);
                }
                assertThat(world.port.requests()).noneMatch(request -> request.path().equals("/v1/kafka-credentials"));
                assertThat(world.port.organizationPatches()).hasSize(2).allMatch(patch ->
                        patch.at("/settings/portAgentStreamerName").asText().equals("POLLING"));
                assertThat(first.output() + second.output()).contains("Claimed");
            }
        }
    }

    /** What claim-pending hands out for an agent webhook run: port-agent's shape, unsigned. */
    private static ObjectNode claimed(JarWorld world, String runId) {
        ObjectNode message = world.agentRun(runId, "notify_" + runId, runId, JarWorld.JSON.createObjectNode());
        message.remove("headers");
        ObjectNode run = JarWorld.JSON.createObjectNode().put("id", runId);
        ObjectNode payload = run.putObject("payload").put("type", "WEBHOOK")
                .put("url", world.receiver.baseUrl() + "/hooks/" + runId).put("agent", true).put("synchronized", true)
                .put("method", "POST");
        payload.putObject("headers");
        payload.set("body", message);
        return run;
    }
}
