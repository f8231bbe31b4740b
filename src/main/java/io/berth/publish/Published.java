package io.berth.publish;

import java.util.Optional;

/**
 * The broker acknowledged the record.
 *
 * @param schemaId the registry's id of the schema the value was checked against, if any
 */
public record Published(String topic, int partition, long offset, Optional<Integer> schemaId) {

    /** For the run's log: {@code Published to topic t, partition 0, offset 42 (schema id 7)}. */
    public String describe() {
        return "Published to topic " + topic + ", partition " + partition + ", offset " + offset
                + schemaId.map(id -> " (schema id " + id + ")").orElse("");
    }
}
