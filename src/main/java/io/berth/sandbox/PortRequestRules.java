package io.berth.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Port accepts in the bodies of run PATCHes and run logs ({@code ../shared/port/README.md}),
 * written once for every stand-in of Port: the dev-mode sandbox and the tests' WireMock stand-in.
 * Each check answers the reason a body is refused (Port's 422 {@code invalid_request}), or empty.
 */
public final class PortRequestRules {

    /** The statuses that end a run. */
    public static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILURE");

    static final Set<String> PATCH_KEYS = Set.of("status", "statusLabel", "link", "summary", "externalRunId");
    static final Set<String> LOG_KEYS = Set.of("message", "terminationStatus", "statusLabel");
    static final Set<String> CLAIM_KEYS = Set.of("installationId", "limit", "invocationMethod");

    /** The most runs one claim may ask for: Port documents none, so the stand-ins take port-agent's default tenfold. */
    public static final int MAX_CLAIM_LIMIT = 1000;

    /** What {@code settings.portAgentStreamerName} may be. */
    public static final Set<String> STREAMER_NAMES = Set.of("KAFKA", "POLLING");

    private PortRequestRules() {
    }

    /** {@code PATCH /v1/actions/runs/{runId}}: only Port's keys, each with a value of its type. */
    public static Optional<String> patchProblem(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.of("The body must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            JsonNode value = field.getValue();
            boolean valid = switch (field.getKey()) {
                case "status" -> value.isTextual() && TERMINAL.contains(value.asText());
                case "statusLabel", "summary", "externalRunId" -> value.isTextual();
                case "link" -> value.isTextual() || (value.isArray() && allTextual(value));
                default -> false;
            };
            if (!valid) {
                return Optional.of(PATCH_KEYS.contains(field.getKey())
                        ? "Bad value for " + field.getKey()
                        : "Unknown key " + field.getKey() + " (allowed: " + PATCH_KEYS + ")");
            }
        }
        return Optional.empty();
    }

    /** {@code POST /v1/actions/runs/{runId}/logs}: a string message, optional label and termination. */
    public static Optional<String> logProblem(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("message").isTextual()) {
            return Optional.of("A log needs a string \"message\"");
        }
        for (String key : (Iterable<String>) body::fieldNames) {
            if (!LOG_KEYS.contains(key)) {
                return Optional.of("Unknown key " + key + " (allowed: " + LOG_KEYS + ")");
            }
        }
        if (body.has("statusLabel") && !body.get("statusLabel").isTextual()) {
            return Optional.of("Bad value for statusLabel");
        }
        JsonNode termination = body.get("terminationStatus");
        if (termination != null && !(termination.isTextual() && TERMINAL.contains(termination.asText()))) {
            return Optional.of("Bad value for terminationStatus");
        }
        return Optional.empty();
    }

    /** What ends a workflow node run: {@code status} COMPLETED. */
    public static final String NODE_RUN_COMPLETED = "COMPLETED";

    static final Set<String> NODE_RUN_PATCH_KEYS = Set.of("status", "result", "output");
    static final Set<String> NODE_RUN_RESULTS = Set.of("SUCCESS", "FAILED");
    static final Set<String> NODE_RUN_LOG_LEVELS = Set.of("DEBUG", "INFO", "WARN", "ERROR");

    /**
     * {@code PATCH /v1/workflows/nodes/runs/{id}}: {@code status} COMPLETED with a {@code result}
     * SUCCESS or FAILED, an optional {@code output}, no other key.
     */
    public static Optional<String> nodeRunPatchProblem(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.of("The body must be a JSON object");
        }
        for (String key : (Iterable<String>) body::fieldNames) {
            if (!NODE_RUN_PATCH_KEYS.contains(key)) {
                return Optional.of("Unknown key " + key + " (allowed: " + NODE_RUN_PATCH_KEYS + ")");
            }
        }
        if (!NODE_RUN_COMPLETED.equals(body.path("status").asText(null)) || !body.get("status").isTextual()) {
            return Optional.of("Bad value for status (must be " + NODE_RUN_COMPLETED + ")");
        }
        JsonNode result = body.path("result");
        if (!result.isTextual() || !NODE_RUN_RESULTS.contains(result.textValue())) {
            return Optional.of("Bad value for result (must be one of " + NODE_RUN_RESULTS + ")");
        }
        return Optional.empty();
    }

    /** {@code POST /v1/workflows/nodes/runs/{id}/logs}: {@code {"logs": [{"level", "message"}, ...]}}, nothing else. */
    public static Optional<String> nodeRunLogsProblem(JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.path("logs").isArray()
                || body.get("logs").isEmpty()) {
            return Optional.of("The body must be {\"logs\": [{\"level\", \"message\"}, ...]}");
        }
        for (JsonNode log : body.get("logs")) {
            if (!log.isObject() || log.size() != 2 || !log.path("message").isTextual()
                    || !NODE_RUN_LOG_LEVELS.contains(log.path("level").asText(""))) {
                return Optional.of("Each log must be exactly {\"level\": one of " + NODE_RUN_LOG_LEVELS
                        + ", \"message\": a string}");
            }
        }
        return Optional.empty();
    }

    /**
     * {@code POST /v1/actions/runs/claim-pending}: port-agent's {@code {"installationId", "limit",
     * "invocationMethod"}}, {@code limit} a whole number from 1 to {@link #MAX_CLAIM_LIMIT}.
     */
    public static Optional<String> claimProblem(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.of("The body must be a JSON object");
        }
        for (String key : (Iterable<String>) body::fieldNames) {
            if (!CLAIM_KEYS.contains(key)) {
                return Optional.of("Unknown key " + key + " (allowed: " + CLAIM_KEYS + ")");
            }
        }
        JsonNode limit = body.get("limit");
        if (limit == null || !limit.isIntegralNumber() || limit.asInt() < 1 || limit.asInt() > MAX_CLAIM_LIMIT) {
            return Optional.of("\"limit\" must be a whole number from 1 to " + MAX_CLAIM_LIMIT);
        }
        for (String key : List.of("installationId", "invocationMethod")) {
            if (body.has(key) && !body.get(key).isTextual()) {
                return Optional.of("Bad value for " + key);
            }
        }
        return Optional.empty();
    }

    /** {@code PATCH /v1/actions/runs/ack}: exactly {@code {"runIds": [...]}}, at least one id, all strings. */
    public static Optional<String> ackProblem(JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.path("runIds").isArray()) {
            return Optional.of("The body must be {\"runIds\": [...]}");
        }
        JsonNode ids = body.get("runIds");
        return ids.isEmpty() || !allTextual(ids) ? Optional.of("\"runIds\" must list run ids (strings)")
                : Optional.empty();
    }

    /** {@code PATCH /v1/organization} as port-agent sends it: {@code {"settings": {"portAgentStreamerName"}}}. */
    public static Optional<String> organizationProblem(JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.path("settings").isObject()) {
            return Optional.of("The body must be {\"settings\": {...}}");
        }
        JsonNode settings = body.get("settings");
        JsonNode streamer = settings.get("portAgentStreamerName");
        if (settings.size() != 1 || streamer == null) {
            return Optional.of("Unknown settings (allowed: portAgentStreamerName)");
        }
        return streamer.isTextual() && STREAMER_NAMES.contains(streamer.asText()) ? Optional.empty()
                : Optional.of("portAgentStreamerName must be one of " + STREAMER_NAMES);
    }

    private static boolean allTextual(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
