package io.berth.publish;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one run publishes: its entry's jq already evaluated over the run.
 *
 * @param key the record key, null for none
 * @param headers header name to value (UTF-8)
 * @param value the value as JSON, before any schema or encoding
 * @param registry the schema to check and encode against, if the entry names one
 * @param runId names the run in log lines
 */
public record Publication(String topic, String key, Map<String, String> headers, JsonNode value,
        ProducerOptions options, Optional<SchemaRegistryOptions> registry, String runId) {

    public Publication {
        Objects.requireNonNull(topic, "topic");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(runId, "runId");
    }
}
