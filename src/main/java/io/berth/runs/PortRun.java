package io.berth.runs;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run message as parsed from the runs topic, v1 shape or a v2 payload template. Only the run id
 * and the action identifier are required; everything else is read liberally where present.
 *
 * @param message the whole message, with Port's signature headers removed
 * @param orderingKey runs with the same key are handled one after another (the entity, else the run)
 */
public record PortRun(String runId, String action, ObjectNode message, ObjectNode inputs, JsonNode entity,
        String blueprint, String triggeredBy, String orderingKey) {

    public PortRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(orderingKey, "orderingKey");
    }

    public Optional<JsonNode> entityNode() {
        return Optional.ofNullable(entity);
    }

    public Optional<String> blueprintName() {
        return Optional.ofNullable(blueprint);
    }

    public Optional<String> triggeredByEmail() {
        return Optional.ofNullable(triggeredBy);
    }
}
