package io.berth.changelog.impl;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.changelog.ChangeAction;
import io.berth.changelog.ChangeEvent;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.JsonRecords;
import io.berth.delivery.UnusableRecord;

/**
 * Turns a change-log record into a {@link ChangeEvent}, or says why it cannot.
 *
 * <pre>
 *  bytes ─ not one JSON object within the limits ─────────────► UnusableRecord (JsonRecords says why)
 *        ─ changelogDestination.agent not true ───────────────► empty: not an agent's, left alone
 *        ─ no known action, no resourceType, context or diff
 *          not objects, an unusable context.runId ────────────► UnusableRecord
 *        ─ otherwise ─────────────────────────────────────────► ChangeEvent
 * </pre>
 *
 * Whether an event is an agent's is decided before its shape is checked: an event for another
 * destination is never dead-lettered for a shape Berth would not use.
 */
final class ChangeEventParser {

    /** One URL path segment without encoding (RFC 3986 §2.3), and one header value: run ids and event ids. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,256}");

    private final ObjectMapper mapper;
    private final int maxRecordBytes;

    ChangeEventParser(ObjectMapper mapper, int maxRecordBytes) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * @return empty when the event is not addressed to an agent
     * @throws UnusableRecord when the record is not a change event Berth can deliver
     */
    Optional<ChangeEvent> parse(InboundRecord record) {
        ObjectNode message = JsonRecords.object(mapper, record.value(), maxRecordBytes, "change event");
        JsonNode agent = message.at("/changelogDestination/agent");
        if (!(agent.isBoolean() && agent.booleanValue())) {
            return Optional.empty();
        }
        ChangeAction action = text(message.path("action")).flatMap(ChangeAction::of)
                .orElseThrow(() -> new UnusableRecord("change event without a known action (CREATE, UPDATE, DELETE "
                        + "or TIMER_EXPIRED)"));
        String resourceType = text(message.path("resourceType"))
                .orElseThrow(() -> new UnusableRecord("change event without a resourceType"));
        JsonNode context = objectOrAbsent(message, "context");
        JsonNode diff = objectOrAbsent(message, "diff");
        Optional<String> runId = text(context.path("runId"));
        if (runId.isPresent() && !isSafeId(runId.get())) {
            throw new UnusableRecord("change event with an unusable context.runId of " + runId.get().length()
                    + " characters: Berth sends it to Port as one URL path segment, so it must be 1 to 256 letters, "
                    + "digits, '-', '_', '.' or '~', and not '.' or '..'");
        }
        return Optional.of(new ChangeEvent(
                text(message.path("id")).filter(ChangeEventParser::isSafeId)
                        .orElse(record.topic() + "-" + record.partition() + "-" + record.offset()),
                action, resourceType,
                text(context.path("blueprint")).or(() -> text(context.path("blueprintIdentifier"))),
                text(context.path("entity")).or(() -> text(context.path("entityIdentifier"))),
                runId, present(diff.path("before")), present(diff.path("after")), message));
    }

    private static JsonNode objectOrAbsent(ObjectNode message, String field) {
        JsonNode node = message.path(field);
        if (node.isMissingNode() || node.isNull() || node.isObject()) {
            return node;
        }
        throw new UnusableRecord("change event whose " + field + " is " + node.getNodeType().name().toLowerCase()
                + ", not an object");
    }

    private static boolean isSafeId(String id) {
        return SAFE_ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.textValue().isBlank() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static Optional<JsonNode> present(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
    }
}
