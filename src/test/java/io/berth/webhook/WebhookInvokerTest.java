package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

class WebhookInvokerTest extends ReceiverFixture {

    private static final String SECRET = InputDecryptorTest.SECRET;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookInvoker invoker(String mappings) {
        return invoker(mappings, WebhookLimits.withTimeout(Duration.ofSeconds(2)), Duration.ofMinutes(1));
    }

    private WebhookInvoker invoker(String mappings, WebhookLimits limits, Duration handlerTimeout) {
        WebhookSender sender = new WebhookSender(WebhookSender.httpClient(vertx, true, 8, limits.timeout()), limits,
                WebhookSenderTest.quickRetries(2), Optional.of(Secret.of(SECRET)));
        return new WebhookInvoker(MappingFile.parse(mappings, "test.json", new Jq(Map.of())), sender,
                Optional.of(Secret.of(SECRET)), handlerTimeout);
    }

    private ObjectNode run(boolean sync) {
        ObjectNode run = Examples.webhookRun();
        ((ObjectNode) run.at("/payload/action/invocationMethod")).put("synchronized", sync)
                .put("url", server.baseUrl() + "/hook");
        return run;
    }

    private static RunResult invoke(WebhookInvoker invoker, FakeRun run) {
        WebhookRoute route = invoker.route(run.message()).orElseThrow();
        return invoker.invoke(route, run).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void synchronizedRunRespondsAndSucceeds() throws Exception {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)
                .withBody("{\"pipeline\":\"https://ci/1\",\"id\":7}")));
        WebhookInvoker invoker = invoker("[{\"enabled\": true, \"report\": {\"link\": \".response.json.pipeline\","
                + " \"externalRunId\": \".response.json.id\", \"statusLabel\": \"\\\"Triggered\\\"\"}}]");
        FakeRun run = new FakeRun(run(true));

        RunResult result = invoke(invoker, run);

        // The output is what a workflow node run ends with; an action run's terminal PATCH leaves it out.
        assertEquals(RunResult.success(null, JSON.readTree("{\"response\": {\"status\": 200,"
                + " \"data\": {\"pipeline\": \"https://ci/1\", \"id\": 7}}}")), result);
        assertEquals("{\"pipeline\":\"https://ci/1\",\"id\":7}", run.responded.toString());
        assertEquals(List.of("https://ci/1"), run.links);
        assertEquals("7", run.externalRunId);
        assertEquals("Triggered", run.statusLabel);
        assertTrue(run.logs.get(0).matches("Webhook POST http://localhost:\\d+/hook answered 200 in \\d+ ms"),
                run.logs.get(0));
        // the default body is the whole message
        server.verify(postRequestedFor(urlPathEqualTo("/hook")).withRequestBody(equalToJson(run(true).toString())));
    }

    @Test
    void asynchronousRunIsLeftOpen() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(202).withBody("accepted")));
        FakeRun run = new FakeRun(run(false));

        RunResult result = invoke(invoker("[{\"enabled\": true}]"), run);

        assertEquals(RunResult.leftOpen(), result);
        assertNull(run.responded);
    }

    @Test
    void serverErrorFailsWithTheStatusCode() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(500)));
        FakeRun run = new FakeRun(run(false));

        RunResult result = invoke(invoker("[{\"enabled\": true}]"), run);

        assertEquals(RunResult.failure("Failed to invoke the webhook with status code: 500"), result);
        server.verify(2, postRequestedFor(urlPathEqualTo("/hook")));
    }

    @Test
    void decryptsInputsBeforeBuildingTheBody() throws Exception {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        ObjectNode message = run(true);
        ((ObjectNode) message.at("/payload/properties")).put("pw", InputDecryptorTest.encrypt("s3cret", SECRET));
        FakeRun run = new FakeRun(message);

        invoke(invoker("[{\"body\": {\"pw\": \".payload.properties.pw\"},"
                + " \"fieldsToDecryptPaths\": [\"payload.properties.pw\"]}]"), run);

        server.verify(postRequestedFor(urlPathEqualTo("/hook")).withRequestBody(equalToJson("{\"pw\":\"s3cret\"}")));
        // the run's own message is left as it was
        assertFalse(run.message().at("/payload/properties/pw").textValue().equals("s3cret"));
    }

    @Test
    void undecryptableInputFailsTheRunWithoutCallingTheWebhook() throws Exception {
        ObjectNode message = run(true);
        ((ObjectNode) message.at("/payload/properties")).put("pw",
                InputDecryptorTest.encrypt("s3cret", "ffffffffffffffffffffffffffffffff"));
        FakeRun run = new FakeRun(message);

        RunResult result = invoke(invoker("[{\"fieldsToDecryptPaths\": [\"payload.properties.pw\"]}]"), run);

        assertTrue(result instanceof RunResult.Failed f && f.reason().startsWith("Cannot decrypt payload.properties.pw"),
                result.toString());
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void unreachableWebhookFailsWithAClearReason() {
        ObjectNode message = run(false);
        ((ObjectNode) message.at("/payload/action/invocationMethod")).put("url", "http://localhost:1/x?k=v");
        FakeRun run = new FakeRun(message);

        RunResult result = invoke(invoker("[{\"enabled\": true}]"), run);

        assertEquals(RunResult.failure("Webhook POST http://localhost:1/x did not answer: connection refused after 2 attempts"),
                result);
    }

    @Test
    void leavesAloneRunsNoMappingClaims() {
        assertTrue(invoker("[{\"enabled\": \".payload.action.identifier == \\\"other\\\"\"}]")
                .route(run(false)).isEmpty());
    }

    @Test
    void theHandlerTimeoutEndsAMappingRunThatOutlastsIt() {
        // Each attempt answers within WEBHOOK_INVOKER_TIMEOUT; the retries together do not end in time.
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(503).withFixedDelay(700)));
        FakeRun run = new FakeRun(run(true));
        WebhookInvoker invoker = invoker("[{\"enabled\": true}]", WebhookLimits.withTimeout(Duration.ofSeconds(5)),
                Duration.ofMillis(1_000));

        RunResult result = invoke(invoker, run);

        String reason = "mapping [0] did not finish within 1000 ms (BERTH_RUNS_HANDLER_TIMEOUT)";
        assertEquals(RunResult.failure(reason), result);
        assertEquals(List.of(reason), run.logs);
    }

    @Test
    void aTruncatedAnswerIsReportedAsSuchAndNotSentAsTheResponse() throws Exception {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)
                .withBody("{\"log\": \"" + "x".repeat(5_000) + "\"}")));
        WebhookInvoker invoker = invoker("[{\"report\": {\"summary\": \"if .response.truncated and .response.json == null"
                + " then \\\"cut at \\\" + (.response.text | length | tostring) else \\\"whole\\\" end\"}}]",
                new WebhookLimits(Duration.ofSeconds(5), 1_000, 10), Duration.ofMinutes(1));
        FakeRun run = new FakeRun(run(true));

        RunResult result = invoke(invoker, run);

        assertEquals(RunResult.success("cut at 1000", JSON.readTree("{\"response\": {\"status\": 200}}")), result,
                "a truncated answer is no node output either");
        assertNull(run.responded, "half a document is not the run's response");
        assertTrue(run.logs.get(0).matches("Webhook POST .* answered 200 in \\d+ ms \\(answer truncated\\)"),
                run.logs.get(0));
        assertTrue(run.logs.get(1).startsWith("The webhook's answer was truncated at 1000 bytes"
                + " (BERTH_WEBHOOK_MAX_ANSWER_BYTES)"), run.logs.get(1));
    }

    @Test
    void aRedirectLoopFailsTheRunWithTheLimitAsReason() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(302).withHeader("Location", "/hook")));
        FakeRun run = new FakeRun(run(true));

        RunResult result = invoke(invoker("[{\"enabled\": true}]"), run);

        String reason = "Webhook POST " + server.baseUrl() + "/hook was redirected more than 10 times"
                + " (BERTH_WEBHOOK_MAX_REDIRECTS), last to " + server.baseUrl() + "/hook";
        assertEquals(RunResult.failure(reason), result);
        assertEquals(List.of(reason), run.logs);
    }

    @Test
    void aFollowedRedirectIsReportedAsTheFinalAnswer() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(302).withHeader("Location", "/real")));
        server.stubFor(any(urlPathEqualTo("/real")).willReturn(aResponse().withStatus(500)));
        FakeRun run = new FakeRun(run(true));

        RunResult result = invoke(invoker("[{\"enabled\": true}]"), run);

        assertEquals(RunResult.failure("Failed to invoke the webhook with status code: 500"), result);
        assertTrue(run.logs.get(0).contains("answered 500") && run.logs.get(0).contains("after 1 redirect"),
                run.logs.get(0));
    }

    /** Records what the invoker reports. */
    static final class FakeRun implements RunContext {
        final ObjectNode message;
        final List<String> logs = new ArrayList<>();
        List<String> links = List.of();
        String externalRunId;
        String statusLabel;
        JsonNode responded;

        FakeRun(ObjectNode message) {
            this.message = message;
        }

        @Override
        public String runId() {
            return message.at("/context/runId").asText();
        }

        @Override
        public String action() {
            return message.at("/payload/action/identifier").asText();
        }

        @Override
        public ObjectNode inputs() {
            return (ObjectNode) message.at("/payload/properties");
        }

        @Override
        public Optional<JsonNode> entity() {
            return Optional.empty();
        }

        @Override
        public Optional<String> blueprint() {
            return Optional.empty();
        }

        @Override
        public Optional<String> triggeredBy() {
            return Optional.empty();
        }

        @Override
        public JsonNode message() {
            return message;
        }

        @Override
        public void log(String line) {
            logs.add(line);
        }

        @Override
        public void statusLabel(String label) {
            statusLabel = label;
        }

        @Override
        public void link(List<String> urls) {
            links = urls;
        }

        @Override
        public void externalRunId(String id) {
            externalRunId = id;
        }

        @Override
        public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> respond(JsonNode response) {
            responded = response;
            return Uni.createFrom().voidItem();
        }
    }
}
