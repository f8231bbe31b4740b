package io.berth.polling.impl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.polling.impl.PolledRuns.claimed;
import static io.berth.polling.impl.PolledRuns.invocations;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.berth.sandbox.SandboxPort;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;

/**
 * {@code STREAMER_NAME=POLLING} against the Port stand-in: runs claimed over HTTP, through the
 * runs' own pipeline (Java handlers, the mapping file, reports), acknowledged once their outcome is
 * recorded; visibility timeouts; two pollers; Port failing. No Kafka channel is consumed (the broker
 * resource is global to the test suite, but this Berth connects to it for nothing).
 */
@QuarkusTest
@TestProfile(PollingIT.Polling.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class PollingIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final int CONCURRENCY = 4;
    static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000);

    public static final class Polling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streamer.name", "POLLING",
                    "polling.interval-seconds", "200ms",
                    "polling.initial-backoff-seconds", "100ms",
                    "polling.max-backoff-seconds", "1s",
                    "berth.runs.concurrency", String.valueOf(CONCURRENCY));
        }
    }

    static WireMockServer receiver;

    PortStandIn port = PortStandInResource.standIn();

    @Inject
    PortClient portClient;

    @Inject
    SandboxPort sandbox;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void clean() {
        port.failNext(0, 503);
        port.visibilityTimeout(Duration.ofSeconds(30));
        PolledRuns.release = new CountDownLatch(0);
    }

    static String runId(String prefix) {
        return prefix + IDS.incrementAndGet();
    }

    @Test
    void claimsARunHandlesItWithAJavaHandlerAndAcknowledgesItOnceItsEndIsReported() {
        String runId = runId("r_polled_");
        port.addPendingRun(claimed(runId, "polling_echo", "https://unused.example.com", false));

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.patches(runId)).last().satisfies(patch -> assertThat(patch.path("summary").asText())
                .isEqualTo("Polled polled"));
        assertThat(invocations(runId)).isEqualTo(1);
        assertThat(port.logs(runId)).first().asString().startsWith("Berth picked up the run");
        assertThat(port.pending(runId)).isFalse();
    }

    @Test
    void aMappingFileWebhookRunCallsTheWebhookOnceEndsOnceAndIsAcknowledged() {
        String runId = runId("r_polled_hook_");
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        port.addPendingRun(claimed(runId, "test_webhook_polled", receiver.baseUrl() + path, true));

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        var calls = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getBodyAsString()).contains("\"runId\":\"" + runId + "\"");
        assertThat(calls.get(0).getHeader("Idempotency-Key")).isEqualTo(runId);
    }

    @Test
    void aRunWhoseHandlerOutlivesTheVisibilityTimeoutIsClaimedAgainButHandledAndEndedOnce() {
        port.visibilityTimeout(Duration.ofSeconds(1));
        PolledRuns.release = new CountDownLatch(1);
        String runId = runId("r_polled_held_");
        port.addPendingRun(claimed(runId, "polling_held", "https://unused.example.com", false));

        // Not acknowledged while its handler runs: Port hands it out again once the claim expires.
        await().atMost(WITHIN).until(() -> port.claimsOf(runId) >= 2);
        assertThat(port.acked()).doesNotContain(runId);
        PolledRuns.release.countDown();

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        await().atMost(WITHIN).until(() -> !port.pending(runId));
        assertThat(invocations(runId)).isEqualTo(1);
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.acked().stream().filter(runId::equals)).hasSize(1);
    }

    @Test
    void twoPollersNeverRunOneRunTwiceWhileItsClaimHolds() {
        Set<String> second = ConcurrentHashMap.newKeySet();
        PollingLoop other = new PollingLoop(portClient, recordingDispatcher(second), TestPollingSettings.quick(3), 3,
                Infrastructure.getDefaultWorkerPool(), Clock.systemUTC(), () -> { });
        List<String> runIds = new ArrayList<>();
        try {
            other.start();
            for (int i = 0; i < 40; i++) {
                String runId = runId("r_polled_pair_");
                runIds.add(runId);
                port.addPendingRun(claimed(runId, "polling_echo", "https://unused.example.com", false));
            }
            await().atMost(WITHIN).until(() -> port.acked().containsAll(runIds));
        } finally {
            other.stop();
        }
        for (String runId : runIds) {
            assertThat(port.claimsOf(runId)).as(runId).isEqualTo(1);
            assertThat(invocations(runId) + (second.contains(runId) ? 1 : 0)).as(runId).isEqualTo(1);
            assertThat(port.terminalWrites(runId)).as(runId).isEqualTo(1);
        }
        assertThat(second).as("runs the second poller took").isNotEmpty();
        assertThat(runIds.stream().filter(id -> invocations(id) == 1)).as("runs Berth's own poller took").isNotEmpty();
    }

    @Test
    void neverClaimsMoreRunsThanTheDispatcherHasPermitsFor() {
        PolledRuns.release = new CountDownLatch(1);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY + 3; i++) {
            String runId = runId("r_polled_permits_");
            runIds.add(runId);
            port.addPendingRun(claimed(runId, "polling_held", "https://unused.example.com", false));
        }
        await().atMost(WITHIN).until(() -> runIds.stream().filter(id -> invocations(id) == 1).count() == CONCURRENCY);
        assertThat(runIds.stream().filter(id -> port.claimsOf(id) > 0)).hasSize(CONCURRENCY);
        PolledRuns.release.countDown();

        await().atMost(WITHIN).until(() -> port.acked().containsAll(runIds));
        port.requests().stream().filter(r -> r.path().endsWith("/claim-pending"))
                .forEach(claim -> assertThat(claim.body()).doesNotContain("\"limit\":" + (CONCURRENCY + 1))
                        .doesNotContain("\"limit\":100"));
    }

    @Test
    void backsOffWhilePortAnswers503AndClaimsAgainAfterwards() {
        port.failNext(4, 503);
        String runId = runId("r_polled_storm_");
        port.addPendingRun(claimed(runId, "polling_echo", "https://unused.example.com", false));

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(invocations(runId)).isEqualTo(1);
    }

    @Test
    void aClaimedRunBerthCannotUseIsReportedFailedAndAcknowledged() {
        String runId = runId("r_polled_bad_");
        ObjectNode run = claimed(runId, "polling_echo", "https://unused.example.com", false);
        ((ObjectNode) run.at("/payload/body/payload")).remove("action");
        port.addPendingRun(run);

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(port.patches(runId)).last().satisfies(patch -> assertThat(patch.path("summary").asText())
                .startsWith("Berth could not use the run: run " + runId + " has no action identifier"));
    }

    @Test
    void aRunPortSaysIsNotForAnAgentIsAcknowledgedAndSkippedAsPortAgentDoes() {
        String runId = runId("r_polled_not_agent_");
        ObjectNode run = claimed(runId, "polling_echo", "https://unused.example.com", false);
        ((ObjectNode) run.get("payload")).put("agent", false);
        port.addPendingRun(run);

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(invocations(runId)).isZero();
        assertThat(port.terminalWrites(runId)).isZero();
    }

    @Test
    void aPolledWorkflowNodeRunCompletesThroughTheNodeRunEndpointOnce() {
        String runId = runId("wfnr_polled_");
        port.addPendingRun(claimed(runId, "polling_echo", "https://unused.example.com", false));

        await().atMost(WITHIN).until(() -> port.acked().contains(runId));
        assertThat(invocations(runId)).isEqualTo(1);
        assertThat(port.nodeRunResult(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.logs(runId)).contains("Polled polled");
    }

    @Test
    void theConsolesRunsAreQueuedInTheSandboxForBerthToClaimInDevMode() {
        String runId = given().contentType("application/json").body("{\"action\":\"polling_echo\",\"inputs\":{}}")
                .post("/console/api/runs").then().statusCode(202).extract().path("runId");

        // Dev mode points PORT_API_BASE_URL at the sandbox; this test's Berth claims from the stand-in.
        var claim = sandbox.claimPending(JsonNodeFactory.instance.objectNode().put("limit", 100));
        assertThat(claim.status()).isEqualTo(200);
        assertThat(claim.body().path("runs").findValuesAsText("id")).contains(runId);
        var claimedRun = ClaimedRun.of(claim.body().path("runs").get(0));
        assertThat(claimedRun.message().at("/payload/action/identifier").asText()).isEqualTo("polling_echo");
    }

    @Test
    void toldPortAtStartUpThatTheAgentPolls() {
        await().atMost(WITHIN).until(() -> !port.organizationPatches().isEmpty());
        assertThat(port.organizationPatches()).last().hasToString("{\"settings\":{\"portAgentStreamerName\":\"POLLING\"}}");
    }

    @Test
    void isReadyThroughThePollerWithoutConsumingTheRunsTopic() {
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.findAll { it.name == 'berth-runs-poller' }.status", hasItem("UP"))
                .body("checks.findAll { it.name == 'berth-runs-consumer' }.data.consumed", hasItem(false)));
    }

    /** A second poller's dispatcher: records the run ids it gets, ends each run SUCCESS in Port, acknowledges it. */
    private RecordDispatcher recordingDispatcher(Set<String> handled) {
        return RecordDispatcherImpl.builder("second poller's run")
                .handler(record -> {
                    handled.add(record.key());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20))
                            .chain(() -> portClient.patchRun(record.key(), RunPatch.terminal("SUCCESS", "second")))
                            .replaceWith((RecordOutcome) () -> "handled");
                })
                .deadLetters((record, reason) -> Uni.createFrom().voidItem())
                .listeners(List.of((record, outcome) -> record.ack())) // as OffsetCommits does in Berth
                .concurrency(3)
                .build();
    }
}
