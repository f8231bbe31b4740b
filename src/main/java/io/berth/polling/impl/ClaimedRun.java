package io.berth.polling.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One run as {@code claim-pending} hands it out, turned into the run message the runs pipeline
 * reads, as port-agent's polling processor builds it:
 *
 * <pre>
 *  claimed {"id", "payload": {"type", "url", "agent", "synchronized", "method", "headers", "body"}}
 *  message = payload.body, with
 *     headers                             = payload.headers
 *     payload.action.invocationMethod     = {type, url, synchronized, method, headers}
 *     context.runId                       = id
 * </pre>
 *
 * Liberal in what it accepts: the id may be {@code id}, {@code runId}, {@code _id} or
 * {@code identifier} (workflow node runs' {@code wfnr_} ids pass through unchanged); a missing
 * {@code synchronized} is false, a missing {@code method} POST, a missing {@code agent} true (the run
 * was claimed for this organisation's agent); a run without a {@code payload} object is taken as a
 * run message already.
 *
 * @param id the run id, or null when the claimed run has none
 * @param forAgent false when Port says the run is not for an agent ({@code payload.agent: false}):
 *        port-agent skips those
 */
record ClaimedRun(String id, ObjectNode message, boolean forAgent) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static ClaimedRun of(JsonNode claimed) {
        String id = firstText(claimed, "id", "runId", "_id", "identifier");
        JsonNode payload = claimed.path("payload");
        if (!payload.isObject() || !(payload.has("body") || payload.has("type") || payload.has("url"))) {
            ObjectNode message = ((ObjectNode) claimed).deepCopy();
            if (id != null) {
                object(message, "context").put("runId", id);
            }
            return new ClaimedRun(id, message, true);
        }
        ObjectNode message = payload.path("body").isObject() ? (ObjectNode) payload.get("body").deepCopy()
                : JSON.objectNode();
        JsonNode headers = payload.path("headers").isObject() ? payload.get("headers") : JSON.objectNode();
        message.set("headers", headers.deepCopy());
        ObjectNode invocation = object(object(message, "payload"), "action").putObject("invocationMethod");
        invocation.put("type", payload.path("type").asText("WEBHOOK"));
        if (payload.path("url").isTextual()) {
            invocation.put("url", payload.get("url").asText());
        }
        invocation.put("synchronized", payload.path("synchronized").asBoolean(false));
        invocation.put("method", payload.path("method").isTextual() ? payload.get("method").asText() : "POST");
        invocation.set("headers", headers.deepCopy());
        if (id != null) {
            object(message, "context").put("runId", id);
        }
        boolean forAgent = !(payload.path("agent").isBoolean() && !payload.get("agent").asBoolean());
        return new ClaimedRun(id, message, forAgent);
    }

    /** The object under {@code name}, made (or replacing a value that is not an object) when needed. */
    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        return child instanceof ObjectNode object ? object : parent.putObject(name);
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.path(name);
            if (value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }
}
