package io.berth.webhook;

import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request a mapping makes of a message (port-agent's {@code RequestPayload}), before Berth adds
 * its own headers ({@code Content-Type}, {@code Idempotency-Key}, the signature).
 *
 * @param headers header name to value; values are not to be logged
 * @param query query parameter name to value
 */
record WebhookRequest(String method, String url, JsonNode body, ObjectNode headers, ObjectNode query) {

    // Compiled once: JsonNode.at(String) compiles its pointer at every call.
    private static final JsonPointer AT_PAYLOAD_ACTION_INVOCATIONMETHOD = JsonPointer.compile("/payload/action/invocationMethod");

    WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(query, "query");
    }

    /**
     * port-agent's {@code _prepare_payload}: the invocation method's method (or POST) and url (or
     * ""), the whole message as body, no headers nor query; each field the mapping has replaces its
     * default with its evaluation on the message.
     */
    static WebhookRequest prepare(Mapping mapping, JsonNode message) {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(message, "message");
        JsonNode invocation = invocationMethod(message);
        JsonNode method = mapping.method().map(t -> t.evaluate(message)).orElse(invocation.path("method"));
        JsonNode url = mapping.url().map(t -> t.evaluate(message)).orElse(invocation.path("url"));
        JsonNode body = mapping.body().map(t -> t.evaluate(message)).orElse(message);
        JsonNode headers = mapping.headers().map(t -> t.evaluate(message)).orElse(null);
        JsonNode query = mapping.query().map(t -> t.evaluate(message)).orElse(null);
        return new WebhookRequest(
                method.isTextual() && !method.textValue().isBlank()
                        ? method.textValue().toUpperCase(Locale.ROOT) : "POST",
                url.isTextual() ? url.textValue() : "",
                body,
                headers instanceof ObjectNode h ? h : JsonNodeFactory.instance.objectNode(),
                query instanceof ObjectNode q ? q : JsonNodeFactory.instance.objectNode());
    }

    /**
     * Where the defaults come from: a run's {@code payload.action.invocationMethod}, or a change-log
     * message's {@code changelogDestination} (port-agent passes the one of the topic it read).
     */
    static JsonNode invocationMethod(JsonNode message) {
        JsonNode run = message.at(AT_PAYLOAD_ACTION_INVOCATIONMETHOD);
        if (run.isObject()) {
            return run;
        }
        JsonNode changeLog = message.path("changelogDestination");
        return changeLog.isObject() ? changeLog : JsonNodeFactory.instance.objectNode();
    }

    /** The request as the report's jq sees it: {@code {method, url, body, headers, query}}. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("method", method);
        json.put("url", url);
        json.set("body", body);
        json.set("headers", headers);
        json.set("query", query);
        return json;
    }

    /** The url without query string nor credentials, for log lines and failure reasons. */
    String safeUrl() {
        return SafeUrl.of(url);
    }

    @Override
    public String toString() {
        // Headers and body may carry tokens and decrypted inputs: never in a log line.
        return "WebhookRequest[" + method + " " + safeUrl() + "]";
    }
}
