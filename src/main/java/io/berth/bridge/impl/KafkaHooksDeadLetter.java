package io.berth.bridge.impl;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.delivery.DeadLetterFormat;
import io.berth.delivery.InboundRecord;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * kafka-hooks' dead-letter value, so that tooling written for its DLQ keeps working, with Berth's
 * {@code timestamp} added:
 *
 * <pre>
 * {"key": "k-1", "value": "&lt;base64 of the original value&gt;", "headers": {"name": "value"},
 *  "topic": "orders", "partition": 0, "offset": "42",
 *  "errors": [{"statusCode": 503, "error": "Service Unavailable", "message": "Webhook replied with an error",
 *              "attempt": 1, "requestedAt": "2026-01-01T00:00:00Z", "body": "&lt;first 1024 characters&gt;"},
 *             {"statusCode": 499, "error": "Client Closed Request", "message": "Generic error: connection refused",
 *              "attempt": 2, "requestedAt": "..."}],
 *  "retries": 3, "timestamp": "&lt;the record's timestamp, ISO-8601, or null&gt;"}
 * </pre>
 *
 * As in kafka-hooks, a request that got no answer is recorded as 499; {@code retries} is the
 * subscription's setting (attempts in all), {@code errors} has one entry per attempt made. Headers
 * are sorted by name, so the value is the same bytes for the same record and attempts.
 */
final class KafkaHooksDeadLetter implements DeadLetterFormat {

    static final int BODY_EXCERPT_CHARACTERS = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int configuredAttempts;

    KafkaHooksDeadLetter(int configuredAttempts) {
        this.configuredAttempts = configuredAttempts;
    }

    @Override
    public byte[] value(InboundRecord record, byte[] value, String reason, Object detail) {
        ObjectNode letter = JSON.createObjectNode();
        letter.put("key", record.key());
        letter.put("value", Base64.getEncoder().encodeToString(value));
        ObjectNode headers = letter.putObject("headers");
        new TreeMap<>(record.headers()).forEach(headers::put);
        letter.put("topic", record.topic());
        letter.put("partition", record.partition());
        letter.put("offset", Long.toString(record.offset()));
        ArrayNode errors = letter.putArray("errors");
        if (detail instanceof DeliveryFailure failure) {
            failure.attempts().forEach(attempt -> error(errors.addObject(), attempt));
            letter.put("retries", failure.configuredAttempts());
        } else {
            // Not a delivery that failed but a fault on Berth's side: the reason says which.
            ObjectNode error = errors.addObject();
            error.put("statusCode", 500);
            error.put("error", HttpResponseStatus.INTERNAL_SERVER_ERROR.reasonPhrase());
            error.put("message", reason);
            letter.put("retries", configuredAttempts);
        }
        letter.put("timestamp", record.timestamp().map(DateTimeFormatter.ISO_INSTANT::format).orElse(null));
        try {
            return JSON.writeValueAsString(letter).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of text and numbers always serializes", impossible);
        }
    }

    private static void error(ObjectNode error, DeliveryFailure.Attempt attempt) {
        if (attempt.status() != null) {
            error.put("statusCode", attempt.status());
            error.put("error", HttpResponseStatus.valueOf(attempt.status()).reasonPhrase());
            error.put("message", "Webhook replied with an error");
        } else {
            error.put("statusCode", 499);
            error.put("error", "Client Closed Request");
            error.put("message", "Generic error: " + attempt.message());
        }
        error.put("attempt", attempt.number());
        error.put("requestedAt", DateTimeFormatter.ISO_INSTANT.format(attempt.requestedAt()));
        if (attempt.body() != null) {
            error.put("body", attempt.body());
        }
    }

    /** The first {@value #BODY_EXCERPT_CHARACTERS} characters of {@code text}, whole code points. */
    static String excerpt(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.codePointCount(0, text.length()) <= BODY_EXCERPT_CHARACTERS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, BODY_EXCERPT_CHARACTERS));
    }
}
