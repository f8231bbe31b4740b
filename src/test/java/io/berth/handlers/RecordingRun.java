package io.berth.handlers;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

/** A run for a handler called directly, outside Berth: its inputs, and what the handler reported. */
public final class RecordingRun implements RunContext {

    private final String runId;
    private final String action;
    private final ObjectNode inputs;
    public final List<String> logs = new CopyOnWriteArrayList<>();
    public final List<String> links = new CopyOnWriteArrayList<>();

    public RecordingRun(String runId, String action, ObjectNode inputs) {
        this.runId = runId;
        this.action = action;
        this.inputs = inputs;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String action() {
        return action;
    }

    @Override
    public ObjectNode inputs() {
        return inputs;
    }

    @Override
    public Optional<JsonNode> entity() {
        return Optional.empty();
    }

    @Override
    public Optional<String> blueprint() {
        return Optional.of("service");
    }

    @Override
    public Optional<String> triggeredBy() {
        return Optional.empty();
    }

    @Override
    public JsonNode message() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void log(String message) {
        logs.add(message);
    }

    @Override
    public void statusLabel(String label) {
    }

    @Override
    public void link(List<String> urls) {
        links.addAll(urls);
    }

    @Override
    public void externalRunId(String id) {
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> respond(JsonNode response) {
        return Uni.createFrom().voidItem();
    }
}
