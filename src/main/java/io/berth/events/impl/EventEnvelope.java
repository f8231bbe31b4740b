package io.berth.events.impl;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The events' JSON, field for field the FRANC portal's schemas (seed 001) plus {@code action} and
 * {@code entity}. Built as Jackson trees: nothing to register for native images.
 *
 * <p>Timestamps are ISO-8601 UTC with six fractional digits and {@code Z}
 * ({@code 2024-07-09T14:25:30.123456Z}), as the portal documents; its code writes
 * {@code 2024-07-09 14:25:30.123456+00:00}, which strict parsers refuse.
 */
final class EventEnvelope {

    static final String SOURCE = "berth";
    static final String STATUS_UPDATE = "task_status_update";
    static final String COMPLETION = "task_completion";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventEnvelope() {
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** A {@code task_status_update}: {@code started}, {@code in_progress} or {@code failed}. */
    static ObjectNode status(RunTrack run, Instant at, String status, String message, String errorDetails,
            Instant estimatedCompletion) {
        ObjectNode event = envelope(run, at, STATUS_UPDATE, "status_update_" + run.runId);
        event.put("status", status);
        event.put("progress_percentage", run.percent());
        event.put("status_message", message);
        event.put("error_details", errorDetails);
        event.put("estimated_completion", estimatedCompletion == null ? null : timestamp(estimatedCompletion));
        return event;
    }

    /**
     * The one {@code task_completion} of a run. {@code portStatus} is what Port was told:
     * {@code SUCCESS}, {@code FAILURE}, or {@code IN_PROGRESS} for a run handed to the system its
     * webhook called.
     */
    static ObjectNode completion(RunTrack run, Instant at, boolean completed, String message, String errorDetails,
            String portStatus, Duration took) {
        ObjectNode event = envelope(run, at, COMPLETION, "completion_" + run.runId);
        event.put("completion_status", completed ? "completed" : "failed");
        event.put("completion_message", message);
        ObjectNode result = event.putObject("result_data");
        result.put("port_status", portStatus);
        result.put("external_run_id", run.externalId());
        ArrayNode links = result.putArray("links");
        run.links().forEach(links::add);
        event.put("error_details", errorDetails);
        event.put("execution_duration", Math.round(took.toNanos() / 1_000_000.0) / 1000.0);
        return event;
    }

    /**
     * A handler's domain event {@code name} (e.g. {@code datacenter.deployment}, type
     * {@code datacenter_deployment}): the envelope, then {@code data}'s fields where they do not
     * take an envelope field's name.
     */
    static ObjectNode domain(RunTrack run, Instant at, String name, ObjectNode data) {
        ObjectNode event = envelope(run, at, name.replace('.', '_').replace('-', '_'), run.runId);
        if (data != null) {
            for (Map.Entry<String, JsonNode> field : data.properties()) {
                if (!event.has(field.getKey())) {
                    event.set(field.getKey(), field.getValue().deepCopy());
                }
            }
        }
        return event;
    }

    private static ObjectNode envelope(RunTrack run, Instant at, String type, String requestId) {
        ObjectNode event = JSON.objectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", type);
        event.put("change_number", run.changeNumber());
        event.put("request_id", requestId);
        event.put("timestamp", timestamp(at));
        event.put("user_id", run.user);
        event.put("source", SOURCE);
        event.put("action", run.action);
        event.put("entity", run.entity);
        event.put("original_request_id", run.runId);
        return event;
    }
}
