package io.berth.changelog;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change-log event addressed to an agent, as Port wrote it.
 *
 * @param id the event's {@code id} when it has one, else {@code topic-partition-offset}: the same on
 *        every delivery of the record, so a handler can recognise a redelivery by it (webhooks get it
 *        as {@code Idempotency-Key})
 * @param resourceType {@code entity}, {@code run}, ...
 * @param blueprint {@code context.blueprint}, or {@code context.blueprintIdentifier} (automation data)
 * @param entity {@code context.entity}, or {@code context.entityIdentifier}
 * @param runId {@code context.runId}: the run Berth reports to, when Port gave one
 * @param before {@code diff.before}: empty on CREATE and TIMER_EXPIRED
 * @param after {@code diff.after}: empty on DELETE and TIMER_EXPIRED
 * @param message the whole event; do not mutate
 */
public record ChangeEvent(String id, ChangeAction action, String resourceType, Optional<String> blueprint,
        Optional<String> entity, Optional<String> runId, Optional<JsonNode> before, Optional<JsonNode> after,
        ObjectNode message) {

    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(message, "message");
    }

    /** {@code UPDATE entity service/checkout}: how log lines and dead-letter reasons name the event. */
    public String describe() {
        return action + " " + resourceType + blueprint.map(b -> " " + b).orElse("")
                + entity.map(e -> (blueprint.isPresent() ? "/" : " ") + e).orElse("");
    }
}
