package io.berth.tracing;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.port.KafkaCredentials;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Makes every call on the {@link PortClient} bean a span ({@link TracedPortClient}), whoever calls it:
 * a Java handler's injected client, a trigger's {@code port_action}, the polling streamer. The parent
 * is what is current when the method is called (a handler's span while it is called, a record's span
 * while its handler is; none: a trace of its own). Calls within a Port call's span, those a
 * {@link TracedPortClient} with an explicit parent already traces (a run's and a change event's
 * reports), are passed on untouched, so each call is one span.
 */
@Decorator
@Priority(5) // before the console's journal (10): the span covers what it adds
abstract class PortCallSpans implements PortClient {

    private final PortClient delegate;
    private final Tracing tracing;

    @Inject
    PortCallSpans(@Delegate @Any PortClient delegate, Tracing tracing) {
        this.delegate = delegate;
        this.tracing = tracing;
    }

    /** Read when the method is called: a Uni subscribed later still belongs to its caller's span. */
    private PortClient traced() {
        if (tracing == Tracing.off()) {
            return delegate;
        }
        Context current = Context.current();
        return Tracing.inPortCall(current) ? delegate : new TracedPortClient(delegate, current, tracing);
    }

    @Override
    public Uni<Void> addRunLog(String runId, String message) {
        return traced().addRunLog(runId, message);
    }

    @Override
    public Uni<PatchResult> patchRun(String runId, RunPatch patch) {
        return traced().patchRun(runId, patch);
    }

    @Override
    public Uni<RunStatus> runStatus(String runId) {
        return traced().runStatus(runId);
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity) {
        return traced().upsertEntity(blueprint, runId, entity);
    }

    @Override
    public Uni<Void> reportRunResponse(String runId, JsonNode response) {
        return traced().reportRunResponse(runId, response);
    }

    @Override
    public Uni<String> startActionRun(String action, String entity, JsonNode properties) {
        return traced().startActionRun(action, entity, properties);
    }

    @Override
    public Uni<Void> addNodeRunLog(String nodeRunId, String level, String message) {
        return traced().addNodeRunLog(nodeRunId, level, message);
    }

    @Override
    public Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output) {
        return traced().completeNodeRun(nodeRunId, result, output);
    }

    @Override
    public Uni<KafkaCredentials> kafkaCredentials() {
        return traced().kafkaCredentials();
    }

    @Override
    public Uni<List<JsonNode>> claimPendingRuns(int limit) {
        return traced().claimPendingRuns(limit);
    }

    @Override
    public Uni<Integer> ackRuns(List<String> runIds) {
        return traced().ackRuns(runIds);
    }

    @Override
    public Uni<Void> announceStreamer(String streamer) {
        return traced().announceStreamer(streamer);
    }
}
