package io.berth.events.impl;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.berth.runs.RunContext;
import io.opentelemetry.context.Context;

/**
 * What the events of one run need to know about it, from pick-up to end: who, what, on which
 * entity, and what the handler reported so far (last progress, links, external id).
 */
final class RunTrack {

    // Compiled once: JsonNode.at(String) compiles its pointer at every call.
    private static final JsonPointer AT_CONTEXT_ENTITY = JsonPointer.compile("/context/entity");
    private static final JsonPointer AT_TRIGGER_BY_USERID = JsonPointer.compile("/trigger/by/userId");

    final String runId;
    final String action;
    final String entity;
    final String user;
    final Instant startedAt;
    /** The run's span, current when it started: its events' {@code traceparent}. */
    final Context trace;
    private volatile int percent;
    private volatile List<String> links = List.of();
    private volatile String externalId;

    private RunTrack(String runId, String action, String entity, String user, Instant startedAt, Context trace) {
        this.runId = runId;
        this.trace = trace;
        this.action = action;
        this.entity = entity;
        this.user = user;
        this.startedAt = startedAt;
    }

    /** Called within the run's span (its {@code started}): the span its events carry on. */
    static RunTrack of(RunContext run, Instant startedAt) {
        JsonNode message = run.message();
        String entity = text(message.at(AT_CONTEXT_ENTITY));
        if (entity == null) {
            entity = run.entity().map(node -> text(node.path("identifier"))).orElse(null);
        }
        String user = run.triggeredBy().orElseGet(() -> text(message.at(AT_TRIGGER_BY_USERID)));
        return new RunTrack(run.runId(), run.action(), entity, user, startedAt, Context.current());
    }

    /** The run's external id once the handler set one, else its entity, else the run id. */
    String changeNumber() {
        String external = externalId;
        return external != null ? external : entity != null ? entity : runId;
    }

    int percent() {
        return percent;
    }

    void percent(int percent) {
        this.percent = percent;
    }

    List<String> links() {
        return links;
    }

    void links(List<String> links) {
        this.links = List.copyOf(links);
    }

    String externalId() {
        return externalId;
    }

    void externalId(String id) {
        this.externalId = id;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
