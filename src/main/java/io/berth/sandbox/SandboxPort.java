package io.berth.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The state of the Port sandbox: Port's executor API as {@code ../shared/port/README.md} documents
 * it, as strict as Port. It accepts the credentials Berth is configured with, keeps one active
 * token per credentials, refuses keys Port does not know, and refuses writes after a terminal
 * status (422). It keeps what it received, bounded, so the console can show it.
 *
 * <pre>
 *   run: IN_PROGRESS ──PATCH status / log terminationStatus──► SUCCESS | FAILURE ──any write──► 422
 *   node run (wfnr_): IN_PROGRESS ──PATCH {status: COMPLETED, result: SUCCESS|FAILED}──► COMPLETED ──PATCH──► 422
 * </pre>
 *
 * Dev mode and tests only: the production build has no sandbox.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public final class SandboxPort {

    static final long TOKEN_LIFETIME_SECONDS = 10_800;
    static final int MAX_RUNS = 500;
    static final int MAX_ITEMS_PER_RUN = 500;
    /** How long a claimed run stays invisible to other claims: long enough for the sample handlers. */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(60);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An answer: HTTP status and JSON body. */
    public record Answer(int status, ObjectNode body) {
    }

    private final String clientId;
    private final Secret clientSecret;

    // guarded by this
    private String token;
    private Instant tokenExpiry = Instant.EPOCH;
    private final PendingRuns pending = new PendingRuns(VISIBILITY_TIMEOUT, MAX_RUNS, Clock.systemUTC());
    private String streamerName;
    private final Map<String, Run> runs = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
            return size() > MAX_RUNS;
        }
    };

    /** One run as the sandbox knows it. Runs are known implicitly and start IN_PROGRESS. */
    private static final class Run {
        String status = "IN_PROGRESS";
        final ObjectNode fields = JSON.objectNode();
        final List<String> logs = new ArrayList<>();
        final List<JsonNode> entities = new ArrayList<>();
        final List<JsonNode> responses = new ArrayList<>();

        boolean ended() {
            return PortRequestRules.TERMINAL.contains(status) || PortRequestRules.NODE_RUN_COMPLETED.equals(status);
        }
    }

    @Inject
    SandboxPort(PortSettings port) {
        this(port.clientId().orElse(""), port.clientSecret().orElse(Secret.of("")));
    }

    SandboxPort(String clientId, Secret clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** {@code POST /v1/auth/access_token}: a JSON body {@code {clientId, clientSecret}}. */
    public synchronized Answer issueToken(JsonNode credentials) {
        if (credentials == null || !credentials.isObject() || clientId.isEmpty()
                || !clientId.equals(credentials.path("clientId").asText(null))
                || !clientSecret.reveal().equals(credentials.path("clientSecret").asText(null))) {
            return error(401, "unauthorized", "Wrong client id or client secret");
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        // Port keeps one active token per credentials: this one revokes the previous one.
        token = "sbx_" + HexFormat.of().formatHex(random);
        tokenExpiry = Instant.now().plusSeconds(TOKEN_LIFETIME_SECONDS);
        return new Answer(200, JSON.objectNode().put("ok", true).put("accessToken", token)
                .put("expiresIn", TOKEN_LIFETIME_SECONDS).put("tokenType", "Bearer"));
    }

    /** True when {@code authorization} is {@code Bearer <the active token>}. */
    public synchronized boolean authorized(String authorization) {
        return token != null && authorization != null && authorization.equals("Bearer " + token)
                && Instant.now().isBefore(tokenExpiry);
    }

    /** {@code PATCH /v1/actions/runs/{runId}}. */
    public synchronized Answer patchRun(String runId, JsonNode body) {
        Optional<String> problem = PortRequestRules.patchProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        Run run = run(runId);
        if (run.ended()) {
            return alreadyEnded(runId, run);
        }
        run.fields.setAll((ObjectNode) body.deepCopy());
        if (body.has("status")) {
            run.status = body.get("status").asText();
        }
        return runAnswer(200, runId);
    }

    /** {@code POST /v1/actions/runs/{runId}/logs}. */
    public synchronized Answer addLog(String runId, JsonNode body) {
        Optional<String> problem = PortRequestRules.logProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        Run run = run(runId);
        JsonNode termination = body.get("terminationStatus");
        if (termination != null) {
            if (run.ended()) {
                return alreadyEnded(runId, run);
            }
            run.status = termination.asText();
        }
        if (body.has("statusLabel")) {
            run.fields.put("statusLabel", body.get("statusLabel").asText());
        }
        bounded(run.logs, body.get("message").asText());
        ObjectNode answer = JSON.objectNode().put("ok", true);
        answer.putObject("runLog").put("runId", runId).put("message", body.get("message").asText());
        return new Answer(201, answer);
    }

    /** {@code PATCH /v1/workflows/nodes/runs/{nodeRunId}}: completes a workflow node run, once. */
    public synchronized Answer patchNodeRun(String nodeRunId, JsonNode body) {
        Optional<String> problem = PortRequestRules.nodeRunPatchProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        Run run = run(nodeRunId);
        if (run.ended()) {
            return alreadyEnded(nodeRunId, run);
        }
        run.status = PortRequestRules.NODE_RUN_COMPLETED;
        run.fields.put("result", body.get("result").asText());
        if (body.has("output")) {
            run.fields.set("output", body.get("output").deepCopy());
        }
        ObjectNode answer = JSON.objectNode().put("ok", true);
        answer.putObject("nodeRun").put("identifier", nodeRunId).put("status", run.status)
                .put("result", body.get("result").asText());
        return new Answer(200, answer);
    }

    /** {@code POST /v1/workflows/nodes/runs/{nodeRunId}/logs}: {@code {"logs": [{"level", "message"}]}}. */
    public synchronized Answer addNodeRunLogs(String nodeRunId, JsonNode body) {
        Optional<String> problem = PortRequestRules.nodeRunLogsProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        Run run = run(nodeRunId);
        for (JsonNode log : body.get("logs")) {
            bounded(run.logs, log.get("message").asText());
        }
        return new Answer(201, JSON.objectNode().put("ok", true));
    }

    /** {@code GET /v1/actions/runs/{runId}}. */
    public synchronized Answer getRun(String runId) {
        return runAnswer(200, runId);
    }

    /** {@code POST /v1/blueprints/{blueprint}/entities?upsert=true&merge=true&run_id=...}. */
    public synchronized Answer upsertEntity(String blueprint, String runId, JsonNode body) {
        if (body == null || !body.isObject() || !body.path("identifier").isTextual()) {
            return error(422, "invalid_request", "An entity needs a string \"identifier\"");
        }
        ObjectNode entity = ((ObjectNode) body.deepCopy()).put("blueprint", blueprint);
        if (runId != null) {
            Run run = run(runId);
            if (run.ended()) {
                return alreadyEnded(runId, run);
            }
            bounded(run.entities, entity);
        }
        ObjectNode answer = JSON.objectNode().put("ok", true);
        answer.set("entity", entity);
        return new Answer(201, answer);
    }

    /** {@code PATCH /v1/actions/runs/{runId}/response}: exactly {@code {"response": ...}}. */
    public synchronized Answer reportResponse(String runId, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("response") || body.size() != 1) {
            return error(422, "invalid_request", "The body must be {\"response\": ...}");
        }
        bounded(run(runId).responses, body.get("response"));
        return new Answer(200, JSON.objectNode().put("ok", true));
    }

    /**
     * Not Port's: puts a run in the queue that {@code claim-pending} hands out, as Port does for an
     * agent webhook action when the organisation's agent polls. {@code message} is the run message
     * (with {@code context.runId}); it becomes port-agent's claimed shape: {@code {"id", "payload":
     * {"type", "url", "agent", "synchronized", "method", "headers", "body"}}}.
     */
    public synchronized void addPendingRun(String runId, JsonNode message) {
        ObjectNode run = JSON.objectNode().put("id", runId);
        JsonNode invocation = message.at("/payload/action/invocationMethod");
        ObjectNode payload = run.putObject("payload")
                .put("type", invocation.path("type").asText("WEBHOOK"))
                .put("url", invocation.path("url").asText(""))
                .put("agent", true)
                .put("synchronized", invocation.path("synchronized").asBoolean(false))
                .put("method", invocation.path("method").asText("POST"));
        payload.putObject("headers");
        payload.set("body", message.deepCopy());
        pending.add(run);
        run(runId);
    }

    /** {@code POST /v1/actions/runs/claim-pending}: {@code {"ok", "runs": [...]}}. */
    public synchronized Answer claimPending(JsonNode body) {
        Optional<String> problem = PortRequestRules.claimProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        ObjectNode answer = JSON.objectNode().put("ok", true);
        pending.claim(body.get("limit").asInt()).forEach(answer.putArray("runs")::add);
        return new Answer(200, answer);
    }

    /** {@code PATCH /v1/actions/runs/ack}: {@code {"ok", "ackedCount"}}. */
    public synchronized Answer ack(JsonNode body) {
        Optional<String> problem = PortRequestRules.ackProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        List<String> ids = new ArrayList<>();
        body.get("runIds").forEach(id -> ids.add(id.asText()));
        return new Answer(200, JSON.objectNode().put("ok", true).put("ackedCount", pending.ack(ids)));
    }

    /** {@code PATCH /v1/organization}: only {@code settings.portAgentStreamerName}. */
    public synchronized Answer patchOrganization(JsonNode body) {
        Optional<String> problem = PortRequestRules.organizationProblem(body);
        if (problem.isPresent()) {
            return error(422, "invalid_request", problem.get());
        }
        streamerName = body.at("/settings/portAgentStreamerName").asText();
        return new Answer(200, JSON.objectNode().put("ok", true));
    }

    /** The streamer the organisation's agent last announced, if any. */
    public synchronized Optional<String> streamerName() {
        return Optional.ofNullable(streamerName);
    }

    /** Everything received, newest run first: what the console shows as "seen by the sandbox". */
    public synchronized ArrayNode received() {
        ArrayNode all = JSON.arrayNode();
        List<String> ids = new ArrayList<>(runs.keySet());
        for (int i = ids.size() - 1; i >= 0; i--) {
            Run run = runs.get(ids.get(i));
            ObjectNode node = all.addObject().put("id", ids.get(i)).put("status", run.status);
            node.set("fields", run.fields.deepCopy());
            run.logs.forEach(node.putArray("logs")::add);
            run.entities.forEach(node.putArray("entities")::add);
            run.responses.forEach(node.putArray("responses")::add);
        }
        return all;
    }

    /** The run's status as the sandbox sees it: IN_PROGRESS, SUCCESS or FAILURE. */
    public synchronized String status(String runId) {
        Run run = runs.get(runId);
        return run == null ? "IN_PROGRESS" : run.status;
    }

    static Answer error(int status, String error, String message) {
        return new Answer(status, JSON.objectNode().put("ok", false).put("error", error).put("message", message));
    }

    private Run run(String runId) {
        return runs.computeIfAbsent(runId, id -> new Run());
    }

    private Answer runAnswer(int status, String runId) {
        ObjectNode answer = JSON.objectNode().put("ok", true);
        ObjectNode node = answer.putObject("run").put("id", runId).put("status", run(runId).status);
        ObjectNode fields = run(runId).fields.deepCopy();
        fields.remove("status");
        node.setAll(fields);
        return new Answer(status, answer);
    }

    private static Answer alreadyEnded(String runId, Run run) {
        return error(422, "run_already_ended", "Run " + runId + " already ended with " + run.status);
    }

    private static <T> void bounded(List<T> list, T item) {
        if (list.size() >= MAX_ITEMS_PER_RUN) {
            list.remove(0);
        }
        list.add(item);
    }
}
