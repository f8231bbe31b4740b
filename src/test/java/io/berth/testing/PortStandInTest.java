package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Holds the stand-in to Port's documented contract (/work/shared/port/README.md, "REST API"). */
class PortStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREDENTIALS = "{\"clientId\":\"" + PortStandIn.CLIENT_ID
            + "\",\"clientSecret\":\"" + PortStandIn.CLIENT_SECRET + "\"}";

    private static PortStandIn port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        port = PortStandIn.start();
    }

    @AfterAll
    static void stop() {
        port.stop();
    }

    @BeforeEach
    void reset() {
        port.reset();
    }

    @Test
    void issuesATokenForJsonCredentials() throws Exception {
        HttpResponse<String> answer = send("POST", "/v1/auth/access_token", null, "application/json", CREDENTIALS);

        assertEquals(200, answer.statusCode());
        JsonNode body = JSON.readTree(answer.body());
        assertTrue(body.get("ok").asBoolean());
        // 3 h, or what is left of the active token an earlier test got: Port hands that one back.
        assertTrue(body.get("expiresIn").asInt() > 10_000 && body.get("expiresIn").asInt() <= 10_800);
        assertEquals("Bearer", body.get("tokenType").asText());
        assertFalse(body.get("accessToken").asText().isBlank());
        assertTrue(answer.headers().firstValue("X-Trace-Id").isPresent());
        assertEquals(1, port.tokenCalls());
    }

    @Test
    void refusesFormCredentials() throws Exception {
        HttpResponse<String> answer = send("POST", "/v1/auth/access_token", null,
                "application/x-www-form-urlencoded",
                "clientId=" + PortStandIn.CLIENT_ID + "&clientSecret=" + PortStandIn.CLIENT_SECRET);

        assertEquals(401, answer.statusCode());
        assertFalse(JSON.readTree(answer.body()).get("ok").asBoolean());
    }

    @Test
    void refusesWrongCredentials() throws Exception {
        HttpResponse<String> answer = send("POST", "/v1/auth/access_token", null, "application/json",
                "{\"clientId\":\"berth-test-client\",\"clientSecret\":\"nope\"}");

        assertEquals(401, answer.statusCode());
    }

    @Test
    void requiresABearerTokenItIssued() throws Exception {
        assertEquals(401, send("GET", "/v1/actions/runs/r_1", null, null, null).statusCode());
        assertEquals(401, send("GET", "/v1/actions/runs/r_1", "made-up", null, null).statusCode());

        String token = token();
        HttpResponse<String> answer = send("GET", "/v1/actions/runs/r_1", token, null, null);
        assertEquals(200, answer.statusCode());
        assertEquals("IN_PROGRESS", JSON.readTree(answer.body()).at("/run/status").asText());
        for (String header : List.of("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-period",
                "x-ratelimit-reset", "X-Trace-Id")) {
            assertTrue(answer.headers().firstValue(header).isPresent(), header);
        }
    }

    @Test
    void tokenCallsWithTheSameCredentialsShareOneTokenUntilItIsRevoked() throws Exception {
        String first = token();
        String second = token();
        assertEquals(first, second);
        assertEquals(200, send("GET", "/v1/actions/runs/r_1", second, null, null).statusCode());

        port.revokeTokens();
        assertEquals(401, send("GET", "/v1/actions/runs/r_1", second, null, null).statusCode());
    }

    @Test
    void refusesAnUnknownKeyInARunPatch() throws Exception {
        String token = token();

        assertEquals(422, patch(token, "r_1", "{\"status\":\"SUCCESS\",\"message\":\"hi\"}").statusCode());
        assertEquals(422, patch(token, "r_1", "{\"status\":\"DONE\"}").statusCode());
        assertEquals(Optional.empty(), port.terminalStatus("r_1"));
        assertEquals(200, patch(token, "r_1", "{\"link\":[\"https://ci/1\"],\"statusLabel\":\"building\"}").statusCode());
    }

    @Test
    void refusesEveryPatchAfterATerminalStatus() throws Exception {
        String token = token();

        assertEquals(200, patch(token, "r_1", "{\"status\":\"SUCCESS\",\"summary\":\"done\"}").statusCode());
        assertEquals(422, patch(token, "r_1", "{\"status\":\"FAILURE\"}").statusCode());
        assertEquals(422, patch(token, "r_1", "{\"statusLabel\":\"late\"}").statusCode());

        assertEquals(Optional.of("SUCCESS"), port.terminalStatus("r_1"));
        assertEquals(1, port.terminalWrites("r_1"));
        assertEquals(1, port.patches("r_1").size());
        assertEquals(422, send("POST", "/v1/blueprints/service/entities?upsert=true&merge=true&run_id=r_1",
                token, "application/json", "{\"identifier\":\"svc\"}").statusCode());
    }

    @Test
    void aLogsTerminationStatusEndsTheRunOnce() throws Exception {
        String token = token();

        assertEquals(201, log(token, "r_2", "{\"message\":\"started\"}").statusCode());
        assertEquals(201, log(token, "r_2", "{\"message\":\"failed\",\"terminationStatus\":\"FAILURE\"}").statusCode());
        assertEquals(422, log(token, "r_2", "{\"message\":\"again\",\"terminationStatus\":\"SUCCESS\"}").statusCode());
        assertEquals(422, patch(token, "r_2", "{\"status\":\"SUCCESS\"}").statusCode());
        assertEquals(422, log(token, "r_2", "{\"terminationStatus\":\"SUCCESS\"}").statusCode());

        assertEquals(Optional.of("FAILURE"), port.terminalStatus("r_2"));
        assertEquals(1, port.terminalWrites("r_2"));
        assertEquals(List.of("started", "failed"), port.logs("r_2"));
        assertEquals("FAILURE", JSON.readTree(send("GET", "/v1/actions/runs/r_2", token, null, null).body())
                .at("/run/status").asText());
    }

    @Test
    void injects503sOnCallsOtherThanTheToken() throws Exception {
        String token = token();
        port.failNext(2, 503);

        assertEquals(200, send("POST", "/v1/auth/access_token", null, "application/json", CREDENTIALS).statusCode());
        token = token();
        assertEquals(503, patch(token, "r_3", "{\"status\":\"SUCCESS\"}").statusCode());
        assertEquals(503, patch(token, "r_3", "{\"status\":\"SUCCESS\"}").statusCode());
        assertEquals(200, patch(token, "r_3", "{\"status\":\"SUCCESS\"}").statusCode());
        assertEquals(1, port.terminalWrites("r_3"));
        assertEquals(3, port.requestsFor("r_3").size());
    }

    @Test
    void answers429WithRetryAfter() throws Exception {
        String token = token();
        port.rateLimitNext(1, 7);

        HttpResponse<String> limited = log(token, "r_4", "{\"message\":\"hi\"}");
        assertEquals(429, limited.statusCode());
        assertEquals(Optional.of("7"), limited.headers().firstValue("Retry-After"));
        assertEquals(Optional.of("0"), limited.headers().firstValue("x-ratelimit-remaining"));
        assertEquals(201, log(token, "r_4", "{\"message\":\"hi\"}").statusCode());
        assertEquals(List.of("hi"), port.logs("r_4"));
    }

    @Test
    void recordsEntitiesResponsesAndRequestsWithoutTheTokenCallsSecret() throws Exception {
        String token = token();

        assertEquals(201, send("POST", "/v1/blueprints/service/entities?upsert=true&merge=true&run_id=r_5",
                token, "application/json", "{\"identifier\":\"svc\",\"title\":\"Svc\"}").statusCode());
        assertEquals(422, send("POST", "/v1/blueprints/service/entities?upsert=true&merge=true&run_id=r_5",
                token, "application/json", "{\"title\":\"no id\"}").statusCode());
        assertEquals(200, send("PATCH", "/v1/actions/runs/r_5/response", token, "application/json",
                "{\"response\":{\"a\":1}}").statusCode());
        assertEquals(413, send("POST", "/v1/actions/runs/r_5/logs", token, "application/json",
                "{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}").statusCode());

        assertEquals("svc", port.entities("r_5").get(0).get("identifier").asText());
        assertEquals(1, port.responses("r_5").get(0).get("a").asInt());
        assertTrue(port.allRequestBodiesAndHeaders().stream().noneMatch(r -> r.contains(PortStandIn.CLIENT_SECRET)));
    }

    @Test
    void completesAWorkflowNodeRunOnceAndTakesLogsOnlyInTheNodeRunFormat() throws Exception {
        String token = token();
        String node = "/v1/workflows/nodes/runs/wfnr_1";
        assertEquals(401, send("PATCH", node, null, "application/json",
                "{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\"}").statusCode());
        assertEquals(201, send("POST", node + "/logs", token, "application/json",
                "{\"logs\":[{\"level\":\"WARN\",\"message\":\"slow registry\"}]}").statusCode());
        assertEquals(422, send("POST", node + "/logs", token, "application/json", "{\"message\":\"x\"}").statusCode());
        assertEquals(422, send("POST", node + "/logs", token, "application/json",
                "{\"logs\":[{\"level\":\"LOUD\",\"message\":\"x\"}]}").statusCode());
        assertEquals(422, send("PATCH", node, token, "application/json",
                "{\"status\":\"SUCCESS\",\"result\":\"SUCCESS\"}").statusCode());
        assertEquals(422, send("PATCH", node, token, "application/json",
                "{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\",\"link\":\"https://ci\"}").statusCode());
        assertEquals(200, send("PATCH", node, token, "application/json",
                "{\"status\":\"COMPLETED\",\"result\":\"FAILED\",\"output\":{\"error\":\"push refused\"}}").statusCode());
        assertEquals(422, send("PATCH", node, token, "application/json",
                "{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\"}").statusCode());
        assertEquals(404, send("GET", node, token, null, null).statusCode(), "Port documents no GET for a node run");

        assertEquals(Optional.of("FAILED"), port.nodeRunResult("wfnr_1"));
        assertEquals(1, port.terminalWrites("wfnr_1"));
        assertEquals(List.of("slow registry"), port.logs("wfnr_1"));
        assertEquals(List.of("WARN"), port.logLevels("wfnr_1"));
    }

    @Test
    void handsAClaimedRunToNoOtherClaimUntilItsVisibilityTimeoutThenAgainUnlessAcknowledged() throws Exception {
        String token = token();
        port.visibilityTimeout(java.time.Duration.ofMillis(300));
        port.addPendingRun((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                "{\"id\":\"r_claim\",\"payload\":{\"type\":\"WEBHOOK\",\"agent\":true,\"body\":{}}}"));
        port.addPendingRun((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                "{\"id\":\"r_acked\",\"payload\":{\"type\":\"WEBHOOK\",\"agent\":true,\"body\":{}}}"));
        String claim = "{\"installationId\":\"_PORT_EXEC_AGENT\",\"limit\":10,\"invocationMethod\":\"WEBHOOK\"}";

        assertEquals(List.of("r_claim", "r_acked"), claimedIds(send("POST", "/v1/actions/runs/claim-pending", token,
                "application/json", claim)));
        assertEquals(List.of(), claimedIds(send("POST", "/v1/actions/runs/claim-pending", token, "application/json",
                claim)));
        HttpResponse<String> ack = send("PATCH", "/v1/actions/runs/ack", token, "application/json",
                "{\"runIds\":[\"r_acked\"]}");
        assertEquals(1, JSON.readTree(ack.body()).get("ackedCount").asInt());
        Thread.sleep(400); // past the visibility timeout

        assertEquals(List.of("r_claim"), claimedIds(send("POST", "/v1/actions/runs/claim-pending", token,
                "application/json", claim)));
        assertEquals(2, port.claimsOf("r_claim"));
        assertEquals(List.of("r_acked"), port.acked());
    }

    @Test
    void refusesClaimsAcksAndOrganisationSettingsOutsidePortAgentsShapes() throws Exception {
        String token = token();
        assertEquals(401, send("POST", "/v1/actions/runs/claim-pending", null, "application/json",
                "{\"limit\":1}").statusCode());
        assertEquals(422, send("POST", "/v1/actions/runs/claim-pending", token, "application/json",
                "{\"limit\":1,\"extra\":true}").statusCode());
        assertEquals(422, send("POST", "/v1/actions/runs/claim-pending", token, "application/json",
                "{\"limit\":0}").statusCode());
        assertEquals(422, send("PATCH", "/v1/actions/runs/ack", token, "application/json",
                "{\"runIds\":[]}").statusCode());
        assertEquals(422, send("PATCH", "/v1/organization", token, "application/json",
                "{\"settings\":{\"portAgentStreamerName\":\"WEBHOOK\"}}").statusCode());
        assertEquals(200, send("PATCH", "/v1/organization", token, "application/json",
                "{\"settings\":{\"portAgentStreamerName\":\"POLLING\"}}").statusCode());
    }

    private static List<String> claimedIds(HttpResponse<String> answer) throws Exception {
        assertEquals(200, answer.statusCode());
        List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(answer.body()).get("runs").forEach(run -> ids.add(run.get("id").asText()));
        return ids;
    }

    private String token() throws Exception {
        HttpResponse<String> answer = send("POST", "/v1/auth/access_token", null, "application/json", CREDENTIALS);
        assertEquals(200, answer.statusCode());
        return JSON.readTree(answer.body()).get("accessToken").asText();
    }

    private HttpResponse<String> patch(String token, String runId, String body) throws Exception {
        return send("PATCH", "/v1/actions/runs/" + runId, token, "application/json", body);
    }

    private HttpResponse<String> log(String token, String runId, String body) throws Exception {
        return send("POST", "/v1/actions/runs/" + runId + "/logs", token, "application/json", body);
    }

    private HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(port.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
