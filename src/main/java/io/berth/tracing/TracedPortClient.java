package io.berth.tracing;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.port.KafkaCredentials;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * A {@link PortClient} whose every call is a CLIENT span, child of one parent (a run's or a change
 * event's span, or what was current when a handler called the bean, {@link PortCallSpans}): named
 * {@code Port METHOD /url/template}, with the run id and, when Port refused, the status. The span
 * covers the call's retries and token fetch; no header, token or body is recorded. (Quarkus's own REST
 * client spans are off, {@code quarkus.otel.instrument.resteasy-client=false}: their parent would be
 * whatever span the thread happened to hold.)
 */
public final class TracedPortClient implements PortClient {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> TEMPLATE = AttributeKey.stringKey("url.template");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("berth.run.id");

    private final PortClient port;
    private final Context parent;
    private final Tracing tracing;

    /** Spans made by the tracing of {@code parent} ({@link Tracing#of}). */
    public TracedPortClient(PortClient port, Context parent) {
        this(port, parent, Tracing.of(parent));
    }

    TracedPortClient(PortClient port, Context parent, Tracing tracing) {
        this.port = Objects.requireNonNull(port, "port");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    @Override
    public Uni<Void> addRunLog(String runId, String message) {
        return call("POST", "/v1/actions/runs/{run_id}/logs", runId, () -> port.addRunLog(runId, message));
    }

    @Override
    public Uni<PatchResult> patchRun(String runId, RunPatch patch) {
        return call("PATCH", "/v1/actions/runs/{run_id}", runId, () -> port.patchRun(runId, patch));
    }

    @Override
    public Uni<RunStatus> runStatus(String runId) {
        return call("GET", "/v1/actions/runs/{run_id}", runId, () -> port.runStatus(runId));
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity) {
        return call("POST", "/v1/blueprints/{blueprint}/entities", runId,
                () -> port.upsertEntity(blueprint, runId, entity));
    }

    @Override
    public Uni<Void> reportRunResponse(String runId, JsonNode response) {
        return call("PATCH", "/v1/actions/runs/{run_id}/response", runId,
                () -> port.reportRunResponse(runId, response));
    }

    @Override
    public Uni<String> startActionRun(String action, String entity, JsonNode properties) {
        return call("POST", "/v1/actions/{action}/runs", null, () -> port.startActionRun(action, entity, properties));
    }

    @Override
    public Uni<Void> addNodeRunLog(String nodeRunId, String level, String message) {
        return call("POST", "/v1/workflows/nodes/runs/{node_run_id}/logs", nodeRunId,
                () -> port.addNodeRunLog(nodeRunId, level, message));
    }

    @Override
    public Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output) {
        return call("PATCH", "/v1/workflows/nodes/runs/{node_run_id}", nodeRunId,
                () -> port.completeNodeRun(nodeRunId, result, output));
    }

    @Override
    public Uni<KafkaCredentials> kafkaCredentials() {
        return call("GET", "/v1/kafka-credentials", null, port::kafkaCredentials);
    }

    @Override
    public Uni<List<JsonNode>> claimPendingRuns(int limit) {
        return call("POST", "/v1/actions/runs/claim-pending", null, () -> port.claimPendingRuns(limit));
    }

    @Override
    public Uni<Integer> ackRuns(List<String> runIds) {
        return call("PATCH", "/v1/actions/runs/ack", null, () -> port.ackRuns(runIds));
    }

    @Override
    public Uni<Void> announceStreamer(String streamer) {
        return call("PATCH", "/v1/organization", null, () -> port.announceStreamer(streamer));
    }

    private <T> Uni<T> call(String method, String template, String runId, Supplier<Uni<T>> call) {
        AttributesBuilder attributes = Attributes.builder().put(METHOD, method).put(TEMPLATE, template);
        if (runId != null) {
            attributes.put(RUN_ID, runId);
        }
        return tracing.portCall(parent, "Port " + method + " " + template, attributes.build(), context -> call.get()
                        .onFailure(PortCallException.class).invoke(refused -> {
                            int status = ((PortCallException) refused).status();
                            if (status > 0) {
                                Span.fromContext(context).setAttribute(STATUS, (long) status);
                            }
                        }));
    }
}
