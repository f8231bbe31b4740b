package io.berth.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.berth.sandbox.PendingRuns;
import io.berth.sandbox.PortRequestRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Port's REST API as {@code /work/shared/port/README.md} documents it, strictly: an in-process
 * WireMock server whose one extension ({@link Api}) keeps per-run state and answers every call.
 *
 * <pre>
 * request ─► record ─► token call? ─► 401 | the active token, or a new one
 *                  └─► 413 (body > 1 MiB) ─► injected fault (failNext / rateLimitNext)
 *                      ─► bearer check (401) ─► route ─► 404 | 422 | 2xx, updating run state
 * every answer: X-Trace-Id, x-ratelimit-{limit,remaining,period,reset}, optional delay
 * </pre>
 *
 * <p>Port keeps one active token per credentials: while it has not expired, a token call gets that
 * same token back (turn off with {@link #singleActiveToken(boolean)}: then every call issues another
 * token, all valid). Tokens expire after {@link #tokenLifetime}; {@link #revokeTokens()} revokes them.
 *
 * <p>Workflow node runs ({@code /v1/workflows/nodes/runs/{id}}) are completed once by a PATCH
 * {@code {"status": "COMPLETED", "result": "SUCCESS"|"FAILED", "output"}}; a second one is refused
 * with 422. Their logs are {@code {"logs": [{"level", "message"}]}}. There is no GET for them.
 *
 * <p>The polling streamer's side: {@link #addPendingRun} queues a run for {@code claim-pending};
 * a claimed run is invisible to other claims for {@link #visibilityTimeout} and handed out again
 * unless {@code PATCH /v1/actions/runs/ack} removed it ({@link io.berth.sandbox.PendingRuns}).
 * {@code PATCH /v1/organization} takes only {@code settings.portAgentStreamerName}.
 *
 * <p>Runs are known implicitly and start IN_PROGRESS. A terminal status (by PATCH {@code status} or
 * by a log's {@code terminationStatus}) is accepted once; afterwards PATCHes, terminating logs and
 * entity upserts for the run are refused with 422, and {@link #terminalWrites} stays at 1.
 *
 * <p>Thread-safe: WireMock answers concurrently; all state is guarded by this object's lock.
 */
public final class PortStandIn {

    public static final String CLIENT_ID = "berth-test-client";
    public static final String CLIENT_SECRET = "berth-test-secret-0123456789abcdef0123456789";
    public static final int RATE_LIMIT = 1000;
    public static final int RATE_LIMIT_PERIOD_SECONDS = 60;

    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String TOKEN_PATH = "/v1/auth/access_token";
    private static final Pattern RUN = Pattern.compile("/v1/actions/runs/([^/?]+)");
    private static final Pattern RUN_LOGS = Pattern.compile("/v1/actions/runs/([^/?]+)/logs");
    private static final Pattern RUN_RESPONSE = Pattern.compile("/v1/actions/runs/([^/?]+)/response");
    private static final Pattern ENTITIES = Pattern.compile("/v1/blueprints/([^/?]+)/entities");
    private static final Pattern ACTION_RUNS = Pattern.compile("/v1/actions/([^/?]+)/runs");
    private static final Pattern NODE_RUN = Pattern.compile("/v1/workflows/nodes/runs/([^/?]+)");
    private static final Pattern NODE_RUN_LOGS = Pattern.compile("/v1/workflows/nodes/runs/([^/?]+)/logs");
    private static final String CLAIM_PATH = "/v1/actions/runs/claim-pending";
    private static final String ACK_PATH = "/v1/actions/runs/ack";
    private static final String ORGANIZATION_PATH = "/v1/organization";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One call as Port received it. {@code path} has no query string. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
            String body) {
    }

    private final WireMockServer server;

    // guarded by this
    private final Map<String, Instant> tokens = new HashMap<>();
    private final Map<String, RunState> runs = new HashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, List<JsonNode>> startedRuns = new LinkedHashMap<>();
    private final java.util.Set<String> unknownActions = new java.util.HashSet<>();
    private final java.util.Set<String> refusedEntities = new java.util.HashSet<>();
    private int tokenCalls;
    private int failuresLeft;
    private int failureStatus;
    private int rateLimitsLeft;
    private int retryAfterSeconds;
    private Duration delay = Duration.ZERO;
    private Duration tokenLifetime = Duration.ofSeconds(10800);
    private boolean singleActiveToken = true;
    private ObjectNode kafkaCredentials = defaultKafkaCredentials();
    private long rateWindowStart = Instant.now().getEpochSecond();
    private int rateUsed;
    private final PendingRuns pending = new PendingRuns(Duration.ofSeconds(30), Integer.MAX_VALUE,
            Clock.systemUTC());
    private final List<String> handedOut = new ArrayList<>();
    private final List<String> acked = new ArrayList<>();
    private final List<JsonNode> organizationPatches = new ArrayList<>();

    private static final class RunState {
        String status = "IN_PROGRESS";
        /** A completed workflow node run's result: SUCCESS or FAILED. */
        String result;
        int terminalWrites;
        final List<String> logLevels = new ArrayList<>();
        final List<JsonNode> patches = new ArrayList<>();
        final List<String> logs = new ArrayList<>();
        final List<JsonNode> entities = new ArrayList<>();
        final List<JsonNode> responses = new ArrayList<>();
        final List<RecordedRequest> requests = new ArrayList<>();

        boolean ended() {
            return PortRequestRules.TERMINAL.contains(status) || PortRequestRules.NODE_RUN_COMPLETED.equals(status);
        }
    }

    private PortStandIn() {
        this.server = new WireMockServer(wireMockConfig().dynamicPort().disableRequestJournal()
                .extensions(new Api()));
    }

    /** Starts a stand-in on a free port. */
    public static PortStandIn start() {
        PortStandIn standIn = new PortStandIn();
        standIn.server.start();
        standIn.server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.okForEmptyJson()));
        return standIn;
    }

    public void stop() {
        server.stop();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://localhost:<port>}: what {@code port.api-base-url} should be. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + server.port());
    }

    // ---- Test controls ----------------------------------------------------------------------

    /**
     * Forgets runs, pending runs, requests, counters and faults. Tokens already issued and the
     * organisation's settings stay.
     */
    public synchronized void reset() {
        runs.clear();
        requests.clear();
        startedRuns.clear();
        unknownActions.clear();
        refusedEntities.clear();
        tokenCalls = 0;
        failuresLeft = 0;
        rateLimitsLeft = 0;
        delay = Duration.ZERO;
        tokenLifetime = Duration.ofSeconds(10800);
        singleActiveToken = true;
        kafkaCredentials = defaultKafkaCredentials();
        pending.clear();
        pending.visibility(Duration.ofSeconds(30));
        handedOut.clear();
        acked.clear();
    }

    /**
     * A run waiting for an agent's {@code claim-pending}, in port-agent's shape: {@code {"id",
     * "payload": {"type", "url", "agent", "synchronized", "method", "headers", "body"}}}.
     */
    public synchronized void addPendingRun(ObjectNode run) {
        pending.add(run);
    }

    /** How long a claimed run stays invisible to other claims (30 s unless set). */
    public synchronized void visibilityTimeout(Duration visibility) {
        pending.visibility(visibility);
    }

    /** Every token issued so far answers 401 from now on. */
    public synchronized void revokeTokens() {
        tokens.clear();
    }

    /** The next {@code n} calls other than the token call answer {@code status} (e.g. 503). */
    public synchronized void failNext(int n, int status) {
        failuresLeft = n;
        failureStatus = status;
    }

    /** The next {@code n} calls other than the token call answer 429 with {@code Retry-After}. */
    public synchronized void rateLimitNext(int n, int retryAfterSeconds) {
        rateLimitsLeft = n;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Every answer waits this long first. */
    public synchronized void delay(Duration delay) {
        this.delay = delay;
    }

    /** How long new tokens stay valid ({@code expiresIn} in the answer); 3 h by default. */
    public synchronized void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** True (Port's behaviour, the default): a new token revokes the previous one. */
    public synchronized void singleActiveToken(boolean single) {
        this.singleActiveToken = single;
    }

    /** Sets a run's status as Port sees it, e.g. {@code markRun("r_1", "SUCCESS")} for a run ended elsewhere. */
    public synchronized void markRun(String runId, String status) {
        run(runId).status = status;
    }

    /** What {@code GET /v1/kafka-credentials} answers. */
    public synchronized void kafkaCredentials(List<String> brokers, String username, String password) {
        ObjectNode credentials = JSON.createObjectNode();
        ArrayNode list = credentials.putArray("brokers");
        brokers.forEach(list::add);
        credentials.put("username", username).put("password", password);
        kafkaCredentials = credentials;
    }

    /** Upserts of the entity {@code identifier} answer 422, as Port does for one its blueprint's schema refuses. */
    public synchronized void refuseEntity(String identifier) {
        refusedEntities.add(identifier);
    }

    /** {@code POST /v1/actions/{action}/runs} answers 404 for this action, as for one Port does not have. */
    public synchronized void unknownAction(String action) {
        unknownActions.add(action);
    }

    // ---- Inspection -------------------------------------------------------------------------

    /** How many times {@code claim-pending} handed the run out. */
    public synchronized int claimsOf(String runId) {
        return (int) handedOut.stream().filter(runId::equals).count();
    }

    /** Run ids acknowledged ({@code PATCH /v1/actions/runs/ack}, counted in {@code ackedCount}), in order. */
    public synchronized List<String> acked() {
        return List.copyOf(acked);
    }

    /** True while the run waits to be claimed or acknowledged. */
    public synchronized boolean pending(String runId) {
        return pending.pending(runId);
    }

    /** Bodies of the {@code PATCH /v1/organization} calls accepted, in order; kept by {@link #reset()} (start-up sends them). */
    public synchronized List<JsonNode> organizationPatches() {
        return List.copyOf(organizationPatches);
    }

    public synchronized int tokenCalls() {
        return tokenCalls;
    }

    /** The run's terminal status, whoever set it; empty while IN_PROGRESS. */
    public synchronized Optional<String> terminalStatus(String runId) {
        RunState run = runs.get(runId);
        return run != null && run.ended() ? Optional.of(run.status) : Optional.empty();
    }

    /** Bodies of the PATCHes Port accepted for the run, in order. */
    public synchronized List<JsonNode> patches(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).patches) : List.of();
    }

    /** Messages of the run logs Port accepted, in order. */
    public synchronized List<String> logs(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).logs) : List.of();
    }

    /** Entity bodies upserted with {@code run_id=runId}. */
    public synchronized List<JsonNode> entities(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).entities) : List.of();
    }

    /** The {@code response} values reported for the run. */
    public synchronized List<JsonNode> responses(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).responses) : List.of();
    }

    /** A workflow node run's result (SUCCESS or FAILED) once completed; empty before. */
    public synchronized Optional<String> nodeRunResult(String nodeRunId) {
        RunState run = runs.get(nodeRunId);
        return run == null ? Optional.empty() : Optional.ofNullable(run.result);
    }

    /** The levels of the run's accepted log lines, in the order of {@link #logs}. */
    public synchronized List<String> logLevels(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).logLevels) : List.of();
    }

    /** How many times a terminal status was accepted for the run: never more than 1. */
    public synchronized int terminalWrites(String runId) {
        return runs.containsKey(runId) ? runs.get(runId).terminalWrites : 0;
    }

    /** Every call about the run (accepted or not, faults included), in order. */
    public synchronized List<RecordedRequest> requestsFor(String runId) {
        return runs.containsKey(runId) ? List.copyOf(runs.get(runId).requests) : List.of();
    }

    /** Every call about the run, in order, as {@code "METHOD path"} with the run id written {@code {id}}. */
    public synchronized List<String> callsFor(String runId) {
        return requestsFor(runId).stream().map(call -> call.method() + " " + call.path().replace(runId, "{id}")).toList();
    }

    /** Bodies of the runs Port started for {@code action} ({@code POST /v1/actions/{action}/runs}), in order. */
    public synchronized List<JsonNode> startedRuns(String action) {
        return List.copyOf(startedRuns.getOrDefault(action, List.of()));
    }

    /** Every call received, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Each call rendered as text (method, URL, headers, body), for secret-leak checks. The token
     * call's body is left out: it must carry the client secret.
     */
    public synchronized List<String> allRequestBodiesAndHeaders() {
        List<String> all = new ArrayList<>();
        for (RecordedRequest r : requests) {
            StringBuilder text = new StringBuilder(r.method()).append(' ').append(r.path());
            if (r.query() != null) {
                text.append('?').append(r.query());
            }
            r.headers().forEach((name, values) -> text.append('\n').append(name).append(": ").append(values));
            if (!r.path().equals(TOKEN_PATH)) {
                text.append("\n\n").append(r.body());
            }
            all.add(text.toString());
        }
        return all;
    }

    // ---- The API ----------------------------------------------------------------------------

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "port-stand-in";
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            synchronized (PortStandIn.this) {
                return answer(serveEvent.getRequest());
            }
        }
    }

    private ResponseDefinition answer(Request request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? null : url.substring(q + 1);
        String method = request.getMethod().getName();
        byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody();
        RecordedRequest recorded = new RecordedRequest(method, path, query, headers(request),
                new String(bytes, StandardCharsets.UTF_8));
        requests.add(recorded);
        String runId = runIdOf(path, request);
        if (runId != null) {
            run(runId).requests.add(recorded);
        }

        if (bytes.length > MAX_BODY_BYTES) {
            return error(413, "payload_too_large", "Request bodies are limited to 1 MiB");
        }
        if (method.equals("POST") && path.equals(TOKEN_PATH)) {
            return issueToken(request, bytes);
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return error(failureStatus, "injected_failure", "Injected by the test");
        }
        if (rateLimitsLeft > 0) {
            rateLimitsLeft--;
            return respond(429, error("rate_limited", "Too many requests"), retryAfterSeconds).build();
        }
        if (!authorized(request.getHeader("Authorization"))) {
            return error(401, "unauthorized", "Missing, expired or revoked bearer token");
        }

        JsonNode body;
        try {
            body = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (Exception e) {
            return error(400, "invalid_json", "The body is not JSON");
        }

        if (path.equals(CLAIM_PATH) && method.equals("POST")) {
            return claimPending(body);
        }
        if (path.equals(ACK_PATH) && method.equals("PATCH")) {
            return ackRuns(body);
        }
        if (path.equals(ORGANIZATION_PATH) && method.equals("PATCH")) {
            Optional<String> problem = PortRequestRules.organizationProblem(body);
            if (problem.isPresent()) {
                return error(422, "invalid_request", problem.get());
            }
            organizationPatches.add(body);
            return respond(200, JSON.createObjectNode().put("ok", true)).build();
        }
        Matcher m;
        if ((m = NODE_RUN_LOGS.matcher(path)).matches() && method.equals("POST")) {
            return postNodeRunLogs(run(m.group(1)), body);
        }
        if ((m = NODE_RUN.matcher(path)).matches() && method.equals("PATCH")) {
            return patchNodeRun(run(m.group(1)), m.group(1), body);
        }
        if ((m = RUN_LOGS.matcher(path)).matches() && method.equals("POST")) {
            return postLog(run(m.group(1)), m.group(1), body);
        }
        if ((m = RUN_RESPONSE.matcher(path)).matches() && method.equals("PATCH")) {
            return patchResponse(run(m.group(1)), body);
        }
        if ((m = RUN.matcher(path)).matches()) {
            if (method.equals("PATCH")) {
                return patchRun(run(m.group(1)), m.group(1), body);
            }
            if (method.equals("GET")) {
                return ok(200, runNode(m.group(1)));
            }
        }
        if ((m = ENTITIES.matcher(path)).matches() && method.equals("POST")) {
            return postEntity(m.group(1), runId, body);
        }
        if ((m = ACTION_RUNS.matcher(path)).matches() && method.equals("POST") && !m.group(1).equals("runs")) {
            return startRun(m.group(1), body);
        }
        if (path.equals("/v1/kafka-credentials") && method.equals("GET")) {
            ObjectNode answer = JSON.createObjectNode().put("ok", true);
            answer.set("credentials", kafkaCredentials.deepCopy());
            return respond(200, answer).build();
        }
        return error(404, "not_found", method + " " + path + " is not part of Port's API as documented");
    }

    private ResponseDefinition issueToken(Request request, byte[] bytes) {
        tokenCalls++;
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return error(401, "invalid_request", "The body must be JSON: {\"clientId\", \"clientSecret\"}");
        }
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (Exception e) {
            return error(401, "invalid_request", "The body must be JSON: {\"clientId\", \"clientSecret\"}");
        }
        if (body == null || !body.isObject()
                || !CLIENT_ID.equals(body.path("clientId").asText(null))
                || !CLIENT_SECRET.equals(body.path("clientSecret").asText(null))) {
            return error(401, "unauthorized", "Wrong client id or client secret");
        }
        if (singleActiveToken) {
            // Port's contract: while the active token has not expired, every token call with the same
            // credentials gets that same token back, so replicas sharing credentials never revoke each other.
            tokens.values().removeIf(expiry -> !Instant.now().isBefore(expiry));
            Map.Entry<String, Instant> active = tokens.entrySet().stream().findFirst().orElse(null);
            if (active != null) {
                long left = Math.max(1, Duration.between(Instant.now(), active.getValue()).toSeconds());
                return respond(200, JSON.createObjectNode().put("ok", true).put("accessToken", active.getKey())
                        .put("expiresIn", left).put("tokenType", "Bearer")).build();
            }
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String token = "tok_" + HexFormat.of().formatHex(random);
        tokens.put(token, Instant.now().plus(tokenLifetime));
        ObjectNode answer = JSON.createObjectNode().put("ok", true).put("accessToken", token)
                .put("expiresIn", tokenLifetime.toSeconds()).put("tokenType", "Bearer");
        return respond(200, answer).build();
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        Instant expiry = tokens.get(authorization.substring("Bearer ".length()));
        return expiry != null && Instant.now().isBefore(expiry);
    }

    private ResponseDefinition claimPending(JsonNode body) {
        Optional<String> problem = PortRequestRules.claimProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        ArrayNode list = answer.putArray("runs");
        for (ObjectNode run : pending.claim(body.get("limit").asInt())) {
            handedOut.add(run.get("id").asText());
            list.add(run);
        }
        return respond(200, answer).build();
    }

    private ResponseDefinition ackRuns(JsonNode body) {
        Optional<String> problem = PortRequestRules.ackProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        List<String> ids = new ArrayList<>();
        body.get("runIds").forEach(id -> ids.add(id.asText()));
        int count = 0;
        for (String id : ids) {
            if (pending.ack(List.of(id)) == 1) {
                acked.add(id);
                count++;
            }
        }
        return respond(200, JSON.createObjectNode().put("ok", true).put("ackedCount", count)).build();
    }

    private ResponseDefinition patchRun(RunState run, String runId, JsonNode body) {
        Optional<String> problem = PortRequestRules.patchProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        if (run.ended()) {
            return error(422, "run_already_ended", "Run " + runId + " already ended with " + run.status);
        }
        run.patches.add(body);
        if (body.has("status")) {
            run.status = body.get("status").asText();
            run.terminalWrites++;
        }
        return ok(200, runNode(runId));
    }

    private ResponseDefinition patchNodeRun(RunState run, String nodeRunId, JsonNode body) {
        Optional<String> problem = PortRequestRules.nodeRunPatchProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        if (run.ended()) {
            return error(422, "node_run_already_completed", "Node run " + nodeRunId + " already completed with "
                    + run.result);
        }
        run.patches.add(body);
        run.status = PortRequestRules.NODE_RUN_COMPLETED;
        run.result = body.get("result").asText();
        run.terminalWrites++;
        ObjectNode nodeRun = JSON.createObjectNode().put("identifier", nodeRunId).put("status", run.status)
                .put("result", run.result);
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("nodeRun", nodeRun);
        return respond(200, answer).build();
    }

    private ResponseDefinition postNodeRunLogs(RunState run, JsonNode body) {
        Optional<String> problem = PortRequestRules.nodeRunLogsProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        for (JsonNode log : body.get("logs")) {
            run.logs.add(log.get("message").asText());
            run.logLevels.add(log.get("level").asText());
        }
        return respond(201, JSON.createObjectNode().put("ok", true)).build();
    }

    private ResponseDefinition postLog(RunState run, String runId, JsonNode body) {
        Optional<String> problem = PortRequestRules.logProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        JsonNode termination = body.get("terminationStatus");
        if (termination != null) {
            if (run.ended()) {
                return error(422, "run_already_ended", "Run " + runId + " already ended with " + run.status);
            }
            run.status = termination.asText();
            run.terminalWrites++;
        }
        run.logs.add(body.get("message").asText());
        run.logLevels.add("INFO");
        ObjectNode runLog = JSON.createObjectNode().put("runId", runId).put("message", body.get("message").asText());
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("runLog", runLog);
        return respond(201, answer).build();
    }

    private ResponseDefinition patchResponse(RunState run, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("response") || body.size() != 1) {
            return error(422, "invalid_request", "The body must be {\"response\": ...}");
        }
        run.responses.add(body.get("response"));
        return respond(200, JSON.createObjectNode().put("ok", true)).build();
    }

    private ResponseDefinition postEntity(String blueprint, String runId, JsonNode body) {
        if (body == null || !body.isObject() || !body.path("identifier").isTextual()) {
            return error(422, "invalid_request", "An entity needs a string \"identifier\"");
        }
        if (refusedEntities.contains(body.path("identifier").asText())) {
            return error(422, "invalid_request", "Entity " + body.path("identifier").asText()
                    + " does not match the schema of blueprint " + blueprint);
        }
        if (runId != null) {
            RunState run = run(runId);
            if (run.ended()) {
                return error(422, "run_already_ended", "Run " + runId + " already ended with " + run.status);
            }
            run.entities.add(body);
        }
        ObjectNode entity = ((ObjectNode) body.deepCopy()).put("blueprint", blueprint);
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("entity", entity);
        return respond(201, answer).build();
    }

    /** Body {@code {"properties": {...}}} (required) plus {@code "entity"}; no other keys. 202 with the new run. */
    private ResponseDefinition startRun(String action, JsonNode body) {
        if (unknownActions.contains(action)) {
            return error(404, "not_found", "Action " + action + " was not found");
        }
        if (body == null || !body.isObject() || !body.path("properties").isObject()) {
            return error(422, "invalid_request", "The body must hold \"properties\": an object");
        }
        for (var field : body.properties()) {
            if (!field.getKey().equals("properties") && !field.getKey().equals("entity")) {
                return error(422, "invalid_request", "Unknown key \"" + field.getKey() + "\"");
            }
        }
        if (body.has("entity") && !body.get("entity").isTextual()) {
            return error(422, "invalid_request", "\"entity\" must be an entity identifier");
        }
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String runId = "r_" + HexFormat.of().formatHex(random);
        run(runId);
        startedRuns.computeIfAbsent(action, a -> new ArrayList<>()).add(body);
        return ok(202, runNode(runId).put("action", action));
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private RunState run(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunState());
    }

    private ObjectNode runNode(String runId) {
        return JSON.createObjectNode().put("id", runId).put("status", run(runId).status);
    }

    private static String runIdOf(String path, Request request) {
        Matcher m = RUN.matcher(path);
        if (m.lookingAt() && !path.equals(CLAIM_PATH) && !path.equals(ACK_PATH)) {
            return m.group(1);
        }
        if ((m = NODE_RUN.matcher(path)).lookingAt()) {
            return m.group(1);
        }
        if (ENTITIES.matcher(path).matches()) {
            var runIdParameter = request.queryParameter("run_id");
            return runIdParameter != null && runIdParameter.isPresent() ? runIdParameter.firstValue() : null;
        }
        return null;
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), List.copyOf(header.values()));
        }
        return headers;
    }

    private ResponseDefinition ok(int status, ObjectNode run) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("run", run);
        return respond(status, answer).build();
    }

    private ResponseDefinition error(int status, String error, String message) {
        return respond(status, error(error, message)).build();
    }

    private static ObjectNode error(String error, String message) {
        return JSON.createObjectNode().put("ok", false).put("error", error).put("message", message);
    }

    private ResponseDefinitionBuilder respond(int status, JsonNode body) {
        return respond(status, body, -1);
    }

    /** With {@code retryAfterSeconds >= 0}: a 429's headers (Retry-After, nothing remaining until then). */
    private ResponseDefinitionBuilder respond(int status, JsonNode body, int retryAfterSeconds) {
        long now = Instant.now().getEpochSecond();
        if (now - rateWindowStart >= RATE_LIMIT_PERIOD_SECONDS) {
            rateWindowStart = now;
            rateUsed = 0;
        }
        rateUsed++;
        byte[] traceId = new byte[8];
        RANDOM.nextBytes(traceId);
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Trace-Id", HexFormat.of().formatHex(traceId))
                .withHeader("x-ratelimit-limit", String.valueOf(RATE_LIMIT))
                .withHeader("x-ratelimit-period", String.valueOf(RATE_LIMIT_PERIOD_SECONDS))
                .withBody(body.toString());
        if (retryAfterSeconds >= 0) {
            builder.withHeader("Retry-After", String.valueOf(retryAfterSeconds))
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", String.valueOf(now + retryAfterSeconds));
        } else {
            builder.withHeader("x-ratelimit-remaining", String.valueOf(Math.max(0, RATE_LIMIT - rateUsed)))
                    .withHeader("x-ratelimit-reset", String.valueOf(rateWindowStart + RATE_LIMIT_PERIOD_SECONDS));
        }
        if (!delay.isZero()) {
            builder.withFixedDelay((int) delay.toMillis());
        }
        return builder;
    }

    private static ObjectNode defaultKafkaCredentials() {
        ObjectNode credentials = JSON.createObjectNode();
        credentials.putArray("brokers").add("localhost:9196");
        credentials.put("username", "u").put("password", "p");
        return credentials;
    }
}
