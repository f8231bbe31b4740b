package io.berth.triggers.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

import io.berth.delivery.InboundRecord;
import io.berth.triggers.TriggerEnvelope;

/**
 * Turns a record into its {@link TriggerEnvelope}: the value parsed as JSON of any type (object,
 * list, string, number, ...), else {@code {"raw_message": text}}; an empty value is null.
 */
final class Envelopes {

    private static final ObjectMapper JSON = new ObjectMapper()
            // "12 apples" is text, not the number 12 followed by junk.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Clock clock;

    Envelopes(Clock clock) {
        this.clock = clock;
    }

    TriggerEnvelope of(InboundRecord record) {
        return new TriggerEnvelope(record.topic(), record.partition(), record.offset(), clock.instant(),
                record.timestamp().orElse(null), record.key(), message(record.value()), record.headers());
    }

    static JsonNode message(byte[] value) {
        if (value == null || value.length == 0) {
            return NullNode.getInstance();
        }
        try {
            JsonNode parsed = JSON.readTree(value);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // Operion's rule: what is not JSON is passed on as text.
        }
        return JsonNodeFactory.instance.objectNode().put("raw_message", new String(value, StandardCharsets.UTF_8));
    }
}
