package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.config.Secret;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortEncryption;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * port-agent's webhook invoker end to end: a run on Kafka, the mapping file of
 * {@code src/test/resources/webhook-it-mapping.json}, a real HTTP receiver, Port's reports.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class WebhookInvokerIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static WireMockServer receiver;

    PortStandIn port = PortStandInResource.standIn();

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void reportsSuccessAndTheResponseOfASynchronizedWebhook() throws Exception {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"deployed\":true}")));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode().put("version", "1.4.2")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.responses(runId)).singleElement()
                .satisfies(response -> assertThat(response.path("deployed").asBoolean()).isTrue());
        LoggedRequest sent = single(path);
        assertThat(sent.getHeader("Idempotency-Key")).isEqualTo(runId);
        assertThat(sent.getHeader("X-Port-Signature")).startsWith("v1,");
        assertThat(sent.getHeader("X-Port-Timestamp")).matches("\\d+");
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertThat(body.at("/context/runId").asText()).isEqualTo(runId);
        assertThat(body.at("/payload/properties/version").asText()).isEqualTo("1.4.2");
    }

    @Test
    void leavesAnAsynchronousWebhooksRunToTheCalledSystem() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(202)));

        produce(run(runId, "test_webhook_async", path, false, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(path))).size() == 1
                && port.logs(runId).size() >= 2);
        assertThat(port.logs(runId).get(1)).contains("answered 202");
        assertThat(port.terminalStatus(runId)).isEmpty();
    }

    @Test
    void retriesA503AndThenReportsSuccess() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).inScenario(runId).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        receiver.stubFor(post(path).inScenario(runId).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        List<LoggedRequest> attempts = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(attempts).hasSize(2);
        assertThat(attempts).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(runId);
    }

    @Test
    void failsAt400WithPortAgentsSummaryAndNoRetry() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(400).withBody("bad version")));

        produce(run(runId, "test_webhook_sync", path, false, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText())
                .startsWith("Failed to invoke the webhook with status code: 400");
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1);
    }

    @Test
    void appliesTheReportMappingToStatusLinkSummaryAndExternalRunId() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).withHeader("X-Deploy-Token", equalTo("static-token"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"url\":\"https://deploys.example.com/42\",\"deploymentId\":\"dep-42\"}")));

        produce(run(runId, "test_webhook_report", path, false, JSON.createObjectNode().put("version", "2.0.0")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        List<JsonNode> patches = port.patches(runId);
        assertThat(patches).extracting(p -> p.path("link").asText(null)).contains("https://deploys.example.com/42");
        assertThat(patches).extracting(p -> p.path("externalRunId").asText(null)).contains("dep-42");
        assertThat(lastPatch(runId).path("summary").asText()).isEqualTo("Deployed 2.0.0");
        JsonNode body = bodyOf(single(path));
        assertThat(body.path("service").asText()).isEqualTo("checkout");
        assertThat(body.path("version").asText()).isEqualTo("2.0.0");
    }

    @Test
    void aSynchronizedWebhooksRunTakesFourPortCalls() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"deployed\":true}")));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.callsFor(runId)).containsExactly("POST /v1/actions/runs/{id}/logs",
                "POST /v1/actions/runs/{id}/logs", "PATCH /v1/actions/runs/{id}/response", "PATCH /v1/actions/runs/{id}");
    }

    @Test
    void aReportMappingsLinkAndExternalIdGoInTheTerminalPatch() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"url\":\"https://deploys.example.com/43\",\"deploymentId\":\"dep-43\"}")));

        produce(run(runId, "test_webhook_report", path, true, JSON.createObjectNode().put("version", "2.0.1")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        // One PATCH carries the report, as port-agent's does (Berth sent the link and the external id apart: six calls).
        assertThat(port.callsFor(runId)).containsExactly("POST /v1/actions/runs/{id}/logs",
                "POST /v1/actions/runs/{id}/logs", "PATCH /v1/actions/runs/{id}/response", "PATCH /v1/actions/runs/{id}");
        JsonNode terminal = lastPatch(runId);
        assertThat(terminal.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(terminal.path("summary").asText()).isEqualTo("Deployed 2.0.1");
        assertThat(terminal.path("link").asText()).isEqualTo("https://deploys.example.com/43");
        assertThat(terminal.path("externalRunId").asText()).isEqualTo("dep-43");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
    }

    @Test
    void anAsynchronousWebhooksRunTakesTwoPortCalls() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(202)));

        produce(run(runId, "test_webhook_async", path, false, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.callsFor(runId).size() >= 2);
        await().during(Duration.ofMillis(500)).atMost(WITHIN).until(() -> port.callsFor(runId).size() == 2);
        assertThat(port.callsFor(runId)).containsExactly("POST /v1/actions/runs/{id}/logs",
                "POST /v1/actions/runs/{id}/logs");
    }

    @Test
    void decryptsTheFieldsTheMappingNamesBeforeSending() throws Exception {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)));
        ObjectNode inputs = JSON.createObjectNode().put("db_password", PortEncryption.encrypt("s3cr3t-pässword"));

        produce(run(runId, "test_webhook_secret", path, true, inputs));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(bodyOf(single(path)).path("password").asText()).isEqualTo("s3cr3t-pässword");
    }

    @Test
    void reportsFailureWhenAnEncryptedFieldCannotBeDecrypted() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)));
        ObjectNode inputs = JSON.createObjectNode()
                .put("db_password", Base64.getEncoder().encodeToString(new byte[48]));

        produce(run(runId, "test_webhook_secret", path, true, inputs));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText()).contains("payload.properties.db_password");
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).isEmpty();
    }

    @Test
    void aWebhookDrippingOneByteASecondFailsItsRunWithinTheTimeout() {
        String runId = runId();
        String path = "/hooks/" + runId;
        // One byte a second for a minute: WEBHOOK_INVOKER_TIMEOUT (2 s in tests) must cut every attempt.
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(60)).withChunkedDribbleDelay(60, 60_000)));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText())
                .isEqualTo("Webhook POST " + receiver.baseUrl() + path + " did not answer: no answer within 2000 ms after "
                        + receiver.findAll(postRequestedFor(urlEqualTo(path))).size() + " attempts");
    }

    @Test
    void anAnswerLargerThanOneMebibyteIsTruncatedAndTheRunSaysSo() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[" + "0,".repeat(3_000_000) + "0]")));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line)
                .startsWith("The webhook's answer was truncated at 1048576 bytes (BERTH_WEBHOOK_MAX_ANSWER_BYTES)"));
        assertThat(port.responses(runId)).isEmpty();
    }

    @Test
    void aRedirectIsFollowedToTheRealEndpoint() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(307).withHeader("Location", path + "/real")));
        receiver.stubFor(post(path + "/real").willReturn(aResponse().withStatus(200).withBody("{\"real\":true}")));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.responses(runId)).singleElement()
                .satisfies(response -> assertThat(response.path("real").asBoolean()).isTrue());
        assertThat(single(path + "/real").getHeader("Idempotency-Key")).isEqualTo(runId);
    }

    @Test
    void aRedirectLoopFailsTheRunWithTheLimitAsReason() {
        String runId = runId();
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(302).withHeader("Location", path)));
        receiver.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(path)
                .willReturn(aResponse().withStatus(302).withHeader("Location", path)));

        produce(run(runId, "test_webhook_sync", path, true, JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText()).isEqualTo("Webhook POST " + receiver.baseUrl() + path
                + " was redirected more than 10 times (BERTH_WEBHOOK_MAX_REDIRECTS), last to " + receiver.baseUrl() + path);
    }

    private static String runId() {
        return "r_wh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private ObjectNode run(String runId, String action, String path, boolean synchronized_, ObjectNode inputs) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("context").put("entity", "checkout").put("blueprint", "service").put("runId", runId);
        ObjectNode payload = message.putObject("payload");
        ObjectNode actionNode = payload.putObject("action").put("identifier", action);
        actionNode.putObject("invocationMethod").put("type", "WEBHOOK").put("agent", true)
                .put("synchronized", synchronized_).put("method", "POST").put("url", receiver.baseUrl() + path);
        payload.set("properties", inputs);
        message.putObject("trigger").putObject("by").putObject("user").put("email", "dana@example.com");
        return message;
    }

    /** Produces {@code message} signed, as Port writes every agent webhook run. */
    private void produce(ObjectNode message) {
        PortSignature.signAsPort(message, Secret.of(PortStandIn.CLIENT_SECRET), Instant.now().getEpochSecond());
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "checkout", message.toString()))
                .awaitCompletion(WITHIN);
    }

    private LoggedRequest single(String path) {
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private JsonNode lastPatch(String runId) {
        List<JsonNode> patches = port.patches(runId);
        return patches.get(patches.size() - 1);
    }

    private static JsonNode bodyOf(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
