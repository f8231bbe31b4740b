package io.berth.webhook;

import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.retry.Retrying;

/**
 * A webhook's answer, after retries.
 *
 * @param headers response headers as port-agent's {@code dict(response.headers)}: one value per
 *        name, repeated headers joined with ", "
 * @param text the body as text (UTF-8); when truncated, the bytes read, an incomplete last character left out
 * @param json the body parsed as JSON, null when it is not JSON or was truncated
 * @param truncated the answer was longer than {@code BERTH_WEBHOOK_MAX_ANSWER_BYTES}: only that much was read
 * @param redirects the redirects followed to reach this answer
 * @param attempts the attempts made, this one included
 * @param elapsed from the first attempt to this answer
 */
public record WebhookResponse(int statusCode, ObjectNode headers, String text, JsonNode json, boolean truncated,
        int redirects, int attempts, Duration elapsed) implements Retrying.Describable {

    public WebhookResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(elapsed, "elapsed");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }

    /** A whole answer, reached without redirects. */
    public WebhookResponse(int statusCode, ObjectNode headers, String text, JsonNode json, int attempts,
            Duration elapsed) {
        this(statusCode, headers, text, json, false, 0, attempts, elapsed);
    }

    /** Python requests' {@code response.ok}, which port-agent's report follows: below 400. */
    public boolean ok() {
        return statusCode < 400;
    }

    /** A header's value, by case-insensitive name; null when absent. */
    public String header(String name) {
        for (var field : headers.properties()) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().asText();
            }
        }
        return null;
    }

    /**
     * The response as the report's jq sees it: {@code {statusCode, headers, text, json, truncated}}
     * ({@code truncated} is Berth's: true when only the first {@code BERTH_WEBHOOK_MAX_ANSWER_BYTES}
     * were read, and then {@code json} is null).
     */
    ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("statusCode", statusCode);
        out.set("headers", headers);
        out.put("text", text);
        out.set("json", json == null ? JsonNodeFactory.instance.nullNode() : json);
        out.put("truncated", truncated);
        return out;
    }

    /**
     * The output port-agent ends a synchronized workflow node run with: {@code {"response": {"status",
     * "data"}}}, {@code data} the answer's JSON, else its text (left out when the answer was truncated).
     */
    JsonNode asNodeOutput() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("status", statusCode);
        if (!truncated) {
            answer.set("data", bodyForPort());
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.set("response", answer);
        return output;
    }

    /** What port-agent reports for a synchronized run: the JSON if there is some, else the text. */
    JsonNode bodyForPort() {
        return json != null ? json : JsonNodeFactory.instance.textNode(text);
    }

    WebhookResponse withAttempts(int attempts, Duration elapsed) {
        return new WebhookResponse(statusCode, headers, text, json, truncated, redirects, attempts, elapsed);
    }

    WebhookResponse withRedirects(int redirects) {
        return new WebhookResponse(statusCode, headers, text, json, truncated, redirects, attempts, elapsed);
    }

    @Override
    public String describe() {
        return "status " + statusCode;
    }

    @Override
    public String toString() {
        return "WebhookResponse[" + statusCode + "]";
    }
}
