package io.berth.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.runs.Runs.nodeRun;
import static io.berth.runs.Runs.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandIn.RecordedRequest;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Workflow node runs ({@code wfnr_...}) end to end: the runs topic, a Java handler or the test
 * mapping file ({@code wfnr_hook...} ids go to the node's webhook), the Port stand-in's
 * {@code /v1/workflows/nodes/runs/...} endpoints, as strict as Port.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class WorkflowNodeRunsIT {

    static final Duration WITHIN = Duration.ofSeconds(30);

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    PortStandIn port = PortStandInResource.standIn();

    @Test
    void aNodeRunThroughAJavaHandlerEndsWithOneCompletingPatchCarryingTheHandlersOutput() {
        String id = nodeRunId("wfnr_java");
        produce(id, javaNode(id, "test_node_build"));

        await().atMost(WITHIN).until(() -> port.nodeRunResult(id).isPresent());
        assertThat(port.nodeRunResult(id)).contains("SUCCESS");
        assertThat(port.terminalWrites(id)).isEqualTo(1);
        JsonNode completion = port.patches(id).get(0);
        assertThat(port.patches(id)).hasSize(1);
        assertThat(completion.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(completion.at("/output/image").asText()).isEqualTo("registry.example.com/app:1.4.2");
        assertThat(port.logs(id)).hasSize(3);
        assertThat(port.logs(id).get(0)).contains("picked up").contains("test_node_build");
        assertThat(port.logs(id).subList(1, 3)).containsExactly("Building " + id, "Built app:1.4.2");
        assertThat(port.logLevels(id)).containsOnly("INFO");
        assertThat(TestHandlers.invocations(id)).isEqualTo(1);
        assertThat(actionRunCalls(id)).isEmpty();
        // Port ties entities to action runs only: the node's entity is upserted without run_id.
        assertThat(port.requests()).filteredOn(r -> r.path().equals("/v1/blueprints/build/entities"))
                .anySatisfy(r -> assertThat(r.body()).contains(id))
                .allSatisfy(r -> assertThat(r.query()).doesNotContain("run_id"));
    }

    @Test
    void aFailingHandlersNodeRunCompletesFailedAfterAnErrorLineWithTheReason() {
        String id = nodeRunId("wfnr_fail");
        produce(id, javaNode(id, "test_node_fail"));

        await().atMost(WITHIN).until(() -> port.nodeRunResult(id).isPresent());
        assertThat(port.nodeRunResult(id)).contains("FAILED");
        assertThat(port.patches(id)).singleElement().satisfies(patch -> assertThat(patch.has("output")).isFalse());
        List<String> logs = port.logs(id);
        assertThat(logs.get(logs.size() - 1)).isEqualTo("image registry refused the push");
        List<String> levels = port.logLevels(id);
        assertThat(levels.get(levels.size() - 1)).isEqualTo("ERROR");
    }

    @Test
    void aSynchronizedWebhookNodeRunCompletesWithTheWebhooksAnswerAsItsOutput() {
        String id = nodeRunId("wfnr_hook");
        receiver.stubFor(post(urlEqualTo("/hooks/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"deploymentId\":\"d-7\"}")));
        produce(id, signed(nodeRun(id, webhook(id, true)), Instant.now()));

        await().atMost(WITHIN).until(() -> port.nodeRunResult(id).isPresent());
        assertThat(port.nodeRunResult(id)).contains("SUCCESS");
        assertThat(port.terminalWrites(id)).isEqualTo(1);
        JsonNode output = port.patches(id).get(0).path("output");
        assertThat(output.at("/response/status").asInt()).isEqualTo(200);
        assertThat(output.at("/response/data/deploymentId").asText()).isEqualTo("d-7");
        assertThat(webhookCalls(id)).isEqualTo(1);
        assertThat(actionRunCalls(id)).isEmpty();
        assertThat(port.requestsFor(id)).filteredOn(r -> r.method().equals("POST"))
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/workflows/nodes/runs/" + id + "/logs"));
    }

    @Test
    void anAsynchronousWebhookNodeRunThatAnswered2xxIsLeftForTheCalledSystemToComplete() {
        String id = nodeRunId("wfnr_hook");
        receiver.stubFor(post(urlEqualTo("/hooks/" + id)).willReturn(aResponse().withStatus(202)));
        produce(id, signed(nodeRun(id, webhook(id, false)), Instant.now()));

        await().atMost(WITHIN).until(() -> webhookCalls(id) == 1 && port.logs(id).size() >= 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> port.requestsFor(id).stream().noneMatch(r -> r.method().equals("PATCH")));
        assertThat(port.nodeRunResult(id)).isEmpty();
        assertThat(port.logs(id).get(port.logs(id).size() - 1)).contains("answered 202");
    }

    @Test
    void aWebhookNodeRunRefusedWith4xxCompletesFailed() {
        String id = nodeRunId("wfnr_hook");
        receiver.stubFor(post(urlEqualTo("/hooks/" + id)).willReturn(aResponse().withStatus(400)));
        produce(id, signed(nodeRun(id, webhook(id, true)), Instant.now()));

        await().atMost(WITHIN).until(() -> port.nodeRunResult(id).isPresent());
        assertThat(port.nodeRunResult(id)).contains("FAILED");
        assertThat(port.logs(id)).contains("Failed to invoke the webhook with status code: 400");
    }

    @Test
    void aNodeRunDeliveredTwiceRunsOnceAndCompletesOnce() {
        String id = nodeRunId("wfnr_twice");
        ObjectNode message = javaNode(id, "test_node_build");
        produce(id, message);
        produce(id, message);

        await().atMost(WITHIN).until(() -> port.nodeRunResult(id).isPresent());
        String later = nodeRunId("wfnr_after");
        produce(id, javaNode(later, "test_node_build")); // same key: same partition, after both copies
        await().atMost(WITHIN).until(() -> port.nodeRunResult(later).isPresent());
        assertThat(TestHandlers.invocations(id)).isEqualTo(1);
        assertThat(port.terminalWrites(id)).isEqualTo(1);
        assertThat(port.logs(id)).filteredOn(line -> line.contains("picked up")).hasSize(1);
    }

    @Test
    void aReplayedNodeRunThatPortCompletedEndsAtTheRefusedPatchWithoutAGet() {
        String id = nodeRunId("wfnr_hook");
        port.markRun(id, "COMPLETED");
        receiver.stubFor(post(urlEqualTo("/hooks/" + id)).willReturn(aResponse().withStatus(200)));
        produce(id, signed(nodeRun(id, webhook(id, true)), Instant.parse("2001-09-09T01:46:40Z")));

        await().atMost(WITHIN).until(() -> port.requestsFor(id).stream().anyMatch(r -> r.method().equals("PATCH")));
        assertThat(port.terminalWrites(id)).isZero();
        assertThat(port.requestsFor(id)).noneMatch(r -> r.method().equals("GET"));
        assertThat(actionRunCalls(id)).isEmpty();
    }

    private static String nodeRunId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A node whose invocation is Kafka (unsigned, as Port sends such runs), routed by its node identifier. */
    private static ObjectNode javaNode(String id, String node) {
        ObjectNode message = nodeRun(id, Runs.JSON.createObjectNode().put("type", "KAFKA"));
        message.putObject("node").put("identifier", node);
        return message;
    }

    private static ObjectNode webhook(String id, boolean synchronize) {
        return Runs.JSON.createObjectNode().put("type", "WEBHOOK").put("agent", true).put("synchronized", synchronize)
                .put("method", "POST").put("url", receiver.baseUrl() + "/hooks/" + id);
    }

    private static int webhookCalls(String id) {
        return receiver.findAll(postRequestedFor(urlEqualTo("/hooks/" + id))).size();
    }

    private List<RecordedRequest> actionRunCalls(String id) {
        return port.requests().stream().filter(r -> r.path().startsWith("/v1/actions/runs/" + id)).toList();
    }

    private static void produce(String key, ObjectNode message) {
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, key, message.toString()))
                .awaitCompletion(WITHIN);
    }
}
