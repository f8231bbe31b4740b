package io.berth.webhook;

import static io.berth.webhook.Examples.gitLabRun;
import static io.berth.webhook.Examples.object;
import static io.berth.webhook.Examples.response;
import static io.berth.webhook.Examples.webhookRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** port-agent's default mappings (examples/control-the-payload.json) applied to Port's example run. */
class MappingSemanticsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static Mapping route(MappingFile file, ObjectNode message) {
        return file.match(message).orElseThrow();
    }

    @Test
    void routesToTheFirstEnabledMapping() {
        MappingFile file = Examples.controlThePayload(NO_ENV);

        assertEquals(0, route(file, gitLabRun()).index());
        assertEquals(1, route(file, webhookRun()).index());
        ObjectNode other = webhookRun();
        ((ObjectNode) other.at("/payload/action")).put("identifier", "restart");
        assertEquals(2, route(file, other).index());
    }

    @Test
    void enabledMustBeTrueOrYieldExactlyTrue() {
        Jq jq = new Jq(NO_ENV);
        MappingFile file = MappingFile.parse("[{\"enabled\": false}, {\"enabled\": \"\\\"true\\\"\"},"
                + " {\"enabled\": \".x\"}, {\"enabled\": \".missing.deep\"}, {\"url\": \"\\\"u\\\"\"}]", "f.json", jq);

        assertEquals(2, file.match(object("{\"x\": true}")).orElseThrow().index());
        // enabled absent defaults to true, as in port-agent's model
        assertEquals(4, file.match(object("{\"x\": 1}")).orElseThrow().index());
        assertTrue(MappingFile.parse("[{\"enabled\": \".x == 1\"}]", "f.json", jq).match(object("{}")).isEmpty());
    }

    @Test
    void buildsTheGitLabTriggerWithTheDefaultBaseUrl() {
        ObjectNode run = gitLabRun();
        WebhookRequest request = WebhookRequest.prepare(route(Examples.controlThePayload(NO_ENV), run), run);

        assertEquals("https://gitlab.com/api/v4/projects/my-group%2Fsub%2Fsvc/trigger/pipeline", request.url());
        assertEquals("POST", request.method());
    }

    @Test
    void buildsTheGitLabTriggerWithGitLabUrlAndTokenFromTheEnvironment() {
        ObjectNode run = gitLabRun();
        MappingFile file = Examples.controlThePayload(
                Map.of("GITLAB_URL", "https://git.example.com/", "my-group_sub_svc", "glptt-123"),
                List.of("my-group_sub_svc"));
        WebhookRequest request = WebhookRequest.prepare(route(file, run), run);

        assertEquals("https://git.example.com/api/v4/projects/my-group%2Fsub%2Fsvc/trigger/pipeline", request.url());
        assertEquals("glptt-123", request.body().get("token").textValue());
        assertEquals("main", request.body().get("ref").textValue());
        assertEquals(object("{\"version\":\"1.4.2\",\"environment\":\"production\",\"notes\":\"rollout after freeze\","
                + "\"replicas\":\"3\"}"), request.body().get("variables"));
        assertEquals(run, request.body().get("port_payload"));
    }

    @Test
    void gitLabTokenIsNullWhenTheEnvironmentHasNone() {
        ObjectNode run = gitLabRun();
        WebhookRequest request = WebhookRequest.prepare(route(Examples.controlThePayload(NO_ENV), run), run);

        assertTrue(request.body().get("token").isNull());
    }

    @Test
    void gitLabHonoursOmitUserInputsAndOmitPayload() {
        ObjectNode run = gitLabRun();
        ((ObjectNode) run.at("/payload/action/invocationMethod")).put("omitUserInputs", true).put("omitPayload", true)
                .put("defaultRef", "develop");
        WebhookRequest request = WebhookRequest.prepare(route(Examples.controlThePayload(NO_ENV), run), run);

        assertEquals("{}", request.body().get("variables").toString());
        assertEquals("{}", request.body().get("port_payload").toString());
        assertEquals("develop", request.body().get("ref").textValue());
    }

    @Test
    void buildsTheDeployRequestFromTheMapping() {
        ObjectNode run = webhookRun();
        MappingFile file = Examples.controlThePayload(Map.of("DEPLOYER_TOKEN", "t0k"));
        WebhookRequest request = WebhookRequest.prepare(route(file, run), run);

        assertEquals("http://deployer.internal/deploy", request.url());
        assertEquals("POST", request.method());
        assertEquals(object("{\"Authorization\":\"Bearer t0k\",\"Content-Type\":\"application/json\"}"),
                request.headers());
        assertEquals(object("{\"service\":\"checkout\",\"version\":\"1.4.2\",\"environment\":\"production\","
                + "\"requestedBy\":\"dana@example.com\"}"), request.body());
    }

    @Test
    void defaultsToTheInvocationMethodAndTheWholeMessage() {
        ObjectNode run = webhookRun();
        ((ObjectNode) run.at("/payload/action/invocationMethod")).put("method", "put").put("url", "http://h/x");
        Mapping empty = MappingFile.parse("[{}]", "f.json", new Jq(NO_ENV)).mappings().get(0);
        WebhookRequest request = WebhookRequest.prepare(empty, run);

        assertEquals("PUT", request.method());
        assertEquals("http://h/x", request.url());
        assertEquals(run, request.body());
        assertEquals("{}", request.headers().toString());
        assertEquals("{}", request.query().toString());
    }

    @Test
    void keepsNonStringLeavesAndEvaluatesNestedOnes() {
        Mapping mapping = MappingFile.parse("[{\"body\": {\"n\": 3, \"b\": false, \"z\": null,"
                + " \"nested\": {\"list\": [\".context.entity\", 1, {\"deep\": \".context.runId\"}]}},"
                + " \"query\": {\"env\": \".payload.properties.environment\"}}]", "f.json", new Jq(NO_ENV))
                .mappings().get(0);
        WebhookRequest request = WebhookRequest.prepare(mapping, webhookRun());

        assertEquals(object("{\"n\":3,\"b\":false,\"z\":null,\"nested\":{\"list\":[\"checkout\",1,"
                + "{\"deep\":\"r_7QmZp2LkT9xWvB4s\"}]}}"), request.body());
        assertEquals(object("{\"env\":\"production\"}"), request.query());
    }

    @Test
    void evaluatesTheReportOnBodyRequestAndResponse() {
        ObjectNode run = webhookRun();
        Mapping mapping = route(Examples.controlThePayload(NO_ENV), run);
        WebhookRequest request = WebhookRequest.prepare(mapping, run);

        RunReport report = RunReport.prepare(mapping, run, request,
                response(202, "{\"url\":\"https://deployer/d/9\",\"deploymentId\":\"dep-9\"}"));

        assertEquals(new RunReport("SUCCESS", "Deployed 1.4.2 to production", List.of("https://deployer/d/9"),
                "dep-9", null), report);
    }

    @Test
    void reportStatusFromJqOverridesTheDefault() {
        ObjectNode run = webhookRun();
        Mapping mapping = route(Examples.controlThePayload(NO_ENV), run);

        RunReport report = RunReport.prepare(mapping, run, WebhookRequest.prepare(mapping, run),
                response(503, "upstream down"));

        assertEquals("FAILURE", report.status());
        assertEquals("Deployed 1.4.2 to production", report.summary());
        assertEquals(List.of(), report.links());
        assertNull(report.externalRunId());
    }

    @Test
    void gitLabReportTakesWebUrlAndPipelineId() {
        ObjectNode run = gitLabRun();
        Mapping mapping = route(Examples.controlThePayload(NO_ENV), run);

        RunReport report = RunReport.prepare(mapping, run, WebhookRequest.prepare(mapping, run),
                response(201, "{\"id\":4711,\"web_url\":\"https://gitlab.com/g/p/-/pipelines/4711\"}"));

        assertNull(report.status());
        assertEquals(List.of("https://gitlab.com/g/p/-/pipelines/4711"), report.links());
        assertEquals("4711", report.externalRunId());
    }

    @Test
    void synchronizedSuccessReportsSuccess() {
        ObjectNode run = webhookRun();
        ((ObjectNode) run.at("/payload/action/invocationMethod")).put("synchronized", true);
        RunReport report = defaultReport(run, response(200, "{\"ok\":true}"));

        assertEquals("SUCCESS", report.status());
        assertNull(report.summary());
    }

    @Test
    void asynchronousSuccessReportsNothing() {
        RunReport report = defaultReport(webhookRun(), response(200, "{\"ok\":true}"));

        assertNull(report.status());
        assertNull(report.summary());
    }

    @Test
    void clientAndServerErrorsReportFailureWithTheStatusCode() {
        ObjectNode sync = webhookRun();
        ((ObjectNode) sync.at("/payload/action/invocationMethod")).put("synchronized", true);

        RunReport notFound = defaultReport(webhookRun(), response(404, "nope"));
        RunReport serverError = defaultReport(sync, response(500, "boom"));

        assertEquals("FAILURE", notFound.status());
        assertEquals("Failed to invoke the webhook with status code: 404", notFound.summary());
        assertEquals("FAILURE", serverError.status());
        assertEquals("Failed to invoke the webhook with status code: 500", serverError.summary());
    }

    @Test
    void ignoresAReportStatusOtherThanSuccessOrFailure() {
        Mapping mapping = MappingFile.parse("[{\"report\": {\"status\": \"\\\"DONE\\\"\", \"statusLabel\": "
                + "\".response.json.phase\", \"link\": \"[.response.json.a, .response.json.b]\"}}]", "f.json",
                new Jq(NO_ENV)).mappings().get(0);
        ObjectNode run = webhookRun();

        RunReport report = RunReport.prepare(mapping, run, WebhookRequest.prepare(mapping, run),
                response(200, "{\"phase\":\"queued\",\"a\":\"http://a\",\"b\":\"http://b\"}"));

        assertNull(report.status());
        assertEquals("queued", report.statusLabel());
        assertEquals(List.of("http://a", "http://b"), report.links());
    }

    private static RunReport defaultReport(ObjectNode run, WebhookResponse response) {
        Mapping plain = MappingFile.parse("[{\"enabled\": true}]", "f.json", new Jq(NO_ENV)).mappings().get(0);
        return RunReport.prepare(plain, run, WebhookRequest.prepare(plain, run), response);
    }
}
