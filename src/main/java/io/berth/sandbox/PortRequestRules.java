package io.berth.sandbox;

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

    private static boolean allTextual(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
