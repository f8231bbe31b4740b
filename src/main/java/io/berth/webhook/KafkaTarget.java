package io.berth.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.publish.ProducerOptions;
import io.berth.publish.Publication;
import io.berth.publish.PublishFailedException;
import io.berth.publish.SchemaRegistryOptions;

/**
 * A mapping entry's {@code kafka} object, Berth's own (port-agent has no such key): publish instead
 * of calling a webhook. {@code topic}, {@code key}, {@code headers} and {@code value} are jq over the
 * message; the producer options and the registry are fixed at start-up.
 *
 * @param value default: the whole message
 */
record KafkaTarget(Template topic, Optional<Template> key, Optional<Template> headers, Optional<Template> value,
        ProducerOptions options, Optional<SchemaRegistryOptions> registry) {

    /** Kafka's rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    KafkaTarget {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(registry, "registry");
    }

    /**
     * Evaluates the jq over {@code message}. A key or header that is not a string is written as JSON;
     * a null one is left out.
     *
     * @throws PublishFailedException when the topic is not a topic name, or headers not an object
     */
    Publication prepare(JsonNode message, String runId) {
        JsonNode topicName = topic.evaluate(message);
        if (!topicName.isTextual() || !TOPIC.matcher(topicName.textValue()).matches()) {
            throw new PublishFailedException("kafka.topic yielded " + (topicName.isTextual() ? "\""
                    + topicName.textValue() + "\"" : topicName.getNodeType().name().toLowerCase())
                    + ": a topic name is 1 to 249 letters, digits, '.', '_' or '-'");
        }
        String recordKey = key.map(t -> t.evaluate(message)).map(KafkaTarget::text).orElse(null);
        Map<String, String> recordHeaders = new LinkedHashMap<>();
        if (headers.isPresent()) {
            JsonNode evaluated = headers.get().evaluate(message);
            if (!evaluated.isObject() && !evaluated.isNull()) {
                throw new PublishFailedException("kafka.headers yielded " + evaluated.getNodeType().name().toLowerCase()
                        + ": it must be an object of header names to values");
            }
            evaluated.properties().forEach(header -> {
                String text = text(header.getValue());
                if (text != null) {
                    recordHeaders.put(header.getKey(), text);
                }
            });
        }
        JsonNode recordValue = value.map(t -> t.evaluate(message)).orElse(message);
        return new Publication(topicName.textValue(), recordKey, recordHeaders, recordValue, options, registry, runId);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.textValue() : node.toString();
    }
}
