package io.berth.changelog.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.changelog.ChangeEvent;
import io.berth.port.PortClient;
import io.berth.runs.RunContext;
import io.berth.runs.RunReports;
import io.smallrye.mutiny.Uni;

/**
 * The run a change event carries ({@code context.runId}), as a webhook mapping reports to it: each
 * report is sent to Port in call order, one after another, within the Port client's own retries
 * ({@code BERTH_PORT_RETRY_*}). A progress report Port still refuses is logged and skipped; an
 * entity upsert or a response report fails the {@code Uni} its caller got. The terminal status is
 * the record handler's, after {@link #close()}, through the same {@link RunReports} (an action
 * run's endpoints, or a workflow node run's for a {@code wfnr_} id).
 */
final class ChangeRunContext implements RunContext {

    private static final Logger LOG = Logger.getLogger(ChangeRunContext.class);

    private final ChangeEvent event;
    private final String runId;
    private final RunReports reports;
    private final String where;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    ChangeRunContext(ChangeEvent event, PortClient port, String where) {
        this.event = Objects.requireNonNull(event, "event");
        this.runId = event.runId().orElseThrow(() -> new IllegalArgumentException("change event without a run"));
        this.reports = RunReports.forRun(runId, Objects.requireNonNull(port, "port"));
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public String runId() {
        return runId;
    }

    /** The change's action ({@code UPDATE}, ...): a change event names no self-service action. */
    @Override
    public String action() {
        return event.action().name();
    }

    @Override
    public ObjectNode inputs() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The entity as the change left it ({@code diff.after}), or as it was before a DELETE. */
    @Override
    public Optional<JsonNode> entity() {
        return event.after().or(event::before);
    }

    @Override
    public Optional<String> blueprint() {
        return event.blueprint();
    }

    @Override
    public Optional<String> triggeredBy() {
        return Optional.empty();
    }

    @Override
    public JsonNode message() {
        return event.message();
    }

    @Override
    public void log(String message) {
        progress("run log", () -> reports.log(String.valueOf(message)));
    }

    @Override
    public void statusLabel(String label) {
        progress("status label", () -> reports.statusLabel(label));
    }

    @Override
    public void link(List<String> urls) {
        if (urls != null && !urls.isEmpty()) {
            List<String> links = List.copyOf(urls);
            progress("link", () -> reports.link(links));
        }
    }

    @Override
    public void externalRunId(String id) {
        if (id != null) {
            progress("external run id", () -> reports.externalRunId(id));
        }
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
        Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(entity, "entity");
        return Uni.createFrom().completionStage(enqueue(() -> reports.upsertEntity(blueprint, entity)));
    }

    @Override
    public Uni<Void> respond(JsonNode response) {
        return Uni.createFrom().completionStage(enqueue(() -> reports.respond(response)));
    }

    /** Where this run's reports, its terminal status included, go in Port. */
    RunReports reports() {
        return reports;
    }

    /** Completes when every report made so far has been sent or given up. */
    Uni<Void> close() {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = tail.exceptionally(ignored -> null);
        }
        return Uni.createFrom().completionStage(last);
    }

    private void progress(String what, Supplier<Uni<Void>> call) {
        enqueue(() -> call.get().onFailure().invoke(failure -> LOG.warnf("%s run %s: %s not reported to Port: %s",
                where, escape(runId), what, failure.getMessage())).onFailure().recoverWithNull());
    }

    /** Runs {@code call} after every report queued before it; the future fails when the call does. */
    private synchronized CompletableFuture<Void> enqueue(Supplier<Uni<Void>> call) {
        CompletableFuture<Void> mine = tail.exceptionally(ignored -> null)
                .thenCompose(ignored -> call.get().subscribeAsCompletionStage());
        tail = mine;
        return mine;
    }
}
