package io.berth.runs.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.port.PortPatience;
import io.berth.port.RunPatch;
import io.berth.runs.PortRun;
import io.berth.runs.RunContext;
import io.berth.runs.RunObserver;
import io.berth.runs.RunProgress;
import io.berth.runs.RunReports;
import io.smallrye.mutiny.Uni;

/**
 * The {@link RunContext} a handler gets: every report is queued and sent to Port in call order,
 * one after another, so that Port sees the logs in the order they were written and the terminal
 * status after all of them.
 *
 * <pre>
 *  handler: log(a)  statusLabel(b)  log(c)  upsertEntity(d)      ... returns
 *  queue:   POST a ─► PATCH b ─► POST c ─► POST entity d ─► ... ─► drained() ─► terminal PATCH
 * </pre>
 *
 * Fields of the run itself (status label, link, external id) set back to back go as one PATCH:
 * they wait in the queue for at most {@link #FIELDS_WINDOW} for more, and go at once when any
 * other report is queued after them. Those still waiting when the handler returns go with the
 * terminal status, in its PATCH (Port's {@code PATCH /v1/actions/runs/{id}} takes them all):
 *
 * <pre>
 *  webhook answered: link(l) externalRunId(e) ... SUCCESS   ─►  one PATCH {link, externalRunId, status, summary}
 *  Java handler:     statusLabel(b) link(l) ... 2 s of work ─►  PATCH {statusLabel, link} within 100 ms
 * </pre>
 *
 * Where each report goes in Port (an action run's or a workflow node run's endpoints) is
 * {@link RunReports}' business. While Port is unreachable each report waits ({@link PortPatience}). A progress report that Port
 * refuses for good (a 4xx) is logged and skipped: a lost log line must not fail a deployment that
 * worked. An entity upsert or a response report that Port refuses fails the {@code Uni} the
 * handler got, so the handler decides.
 *
 * <p>Progress, links, the external id and domain events are also told to the {@link RunObserver}
 * (lifecycle events), at once and on the caller's thread: observers return without waiting.
 */
final class ReportingRunContext implements RunContext {

    private static final Logger LOG = Logger.getLogger(ReportingRunContext.class);

    /** The longest a run field waits for others to go with it: short next to a person watching Port. */
    static final Duration FIELDS_WINDOW = Duration.ofMillis(100);

    private final PortRun run;
    private final RunReports reports;
    private final PortPatience patience;
    private final String where;
    private final RunObserver observer;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean closed;
    /** The fields at the queue's tail, still taking more; null when the tail is another report. */
    private CoalescedFields openFields;

    ReportingRunContext(PortRun run, RunReports reports, PortPatience patience, String where, RunObserver observer) {
        this.run = Objects.requireNonNull(run, "run");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.patience = Objects.requireNonNull(patience, "patience");
        this.where = Objects.requireNonNull(where, "where");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public String action() {
        return run.action();
    }

    @Override
    public ObjectNode inputs() {
        return run.inputs();
    }

    @Override
    public Optional<JsonNode> entity() {
        return run.entityNode();
    }

    @Override
    public Optional<String> blueprint() {
        return run.blueprintName();
    }

    @Override
    public Optional<String> triggeredBy() {
        return run.triggeredByEmail();
    }

    @Override
    public JsonNode message() {
        return run.message();
    }

    @Override
    public void log(String message) {
        progress("run log", () -> reports.log(String.valueOf(message)));
    }

    @Override
    public void statusLabel(String label) {
        field("status label", RunPatch.statusLabel(label));
    }

    @Override
    public void link(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            return;
        }
        List<String> links = List.copyOf(urls);
        field("link", RunPatch.link(links));
        tell(() -> observer.linked(this, links));
    }

    @Override
    public void externalRunId(String id) {
        if (id == null) {
            return;
        }
        field("external run id", RunPatch.externalRunId(id));
        tell(() -> observer.externalRunId(this, id));
    }

    @Override
    public void progress(int percent, String message, Instant estimatedCompletion) {
        RunContext.super.progress(percent, message, estimatedCompletion);
        tell(() -> observer.progress(this, RunProgress.clamp(percent), message, estimatedCompletion));
    }

    @Override
    public void publish(String name, String key, ObjectNode data) {
        tell(() -> observer.published(this, name, key, data));
    }

    /** The run was picked up and goes to {@code handler}: tells the observer. */
    void started(String handler) {
        tell(() -> observer.started(this, handler));
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
        Objects.requireNonNull(blueprint, "blueprint");
        Objects.requireNonNull(entity, "entity");
        return awaited(() -> reports.upsertEntity(blueprint, entity));
    }

    @Override
    public Uni<Void> respond(JsonNode response) {
        return awaited(() -> reports.respond(response));
    }

    /**
     * Completes when every report queued so far has been sent (or given up); later ones are refused.
     * With {@code terminalFollows}, the run fields still waiting at the queue's tail are not sent:
     * the item is them, for the terminal PATCH to carry ({@link RunPatch#NONE} when none wait).
     */
    Uni<RunPatch> close(boolean terminalFollows) {
        CompletableFuture<Void> last;
        CoalescedFields waiting;
        synchronized (this) {
            closed = true;
            last = tail;
            waiting = openFields;
            openFields = null;
        }
        RunPatch alongside = RunPatch.NONE;
        if (waiting != null) {
            if (terminalFollows) {
                synchronized (this) {
                    alongside = waiting.take();
                }
            }
            waiting.release();
        }
        return Uni.createFrom().completionStage(last).replaceWith(alongside);
    }

    private void progress(String what, Supplier<Uni<Void>> call) {
        enqueue(what, () -> sent(what, call));
    }

    /** A progress report: one Port refuses for good is logged and skipped. */
    private CompletionStage<Void> sent(String what, Supplier<Uni<Void>> call) {
        return patientlyCall(what, call)
                .onFailure().invoke(failure -> LOG.warnf("%s run %s: %s not reported to Port: %s", where,
                        escape(run.runId()), what, failure.getMessage()))
                .onFailure().recoverWithNull()
                .subscribeAsCompletionStage();
    }

    /** A run field: joins the fields at the queue's tail, or starts new ones that wait {@link #FIELDS_WINDOW}. */
    private void field(String what, RunPatch field) {
        CoalescedFields fields;
        synchronized (this) {
            if (closed) {
                LOG.warnf("%s run %s: %s after the run ended is ignored", where, escape(run.runId()), what);
                return;
            }
            if (openFields != null) {
                openFields.add(field);
                return;
            }
            fields = new CoalescedFields(field);
            openFields = fields;
            tail = tail.thenCompose(ignored -> fields.due().thenCompose(due -> sendFields(fields)));
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(FIELDS_WINDOW).subscribe().with(due -> fields.release());
    }

    private CompletionStage<Void> sendFields(CoalescedFields fields) {
        RunPatch patch;
        synchronized (this) {
            if (openFields == fields) {
                openFields = null;
            }
            patch = fields.take();
        }
        if (patch == null) {
            return CompletableFuture.completedFuture(null);
        }
        return sent(patch.fieldNames(), () -> reports.update(patch));
    }

    private Uni<Void> awaited(Supplier<Uni<Void>> call) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        boolean queued = enqueue("report", () -> patientlyCall("report", call).subscribeAsCompletionStage()
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(null);
                    }
                })
                .handle((ignored, failure) -> (Void) null));
        if (!queued) {
            result.completeExceptionally(new IllegalStateException("run " + run.runId() + " has ended"));
        }
        return Uni.createFrom().completionStage(result);
    }

    /** Waits out an outage; a report still unsent when Berth stops fails with the reason. */
    private Uni<Void> patientlyCall(String what, Supplier<Uni<Void>> call) {
        return patience.untilAnswered(() -> call.get().replaceWith(Boolean.TRUE), where + " run " + run.runId() + " " + what)
                .map(sent -> {
                    if (sent.isEmpty()) {
                        throw new IllegalStateException("Berth is stopping: " + what + " not sent to Port");
                    }
                    return (Void) null;
                });
    }

    /** An observer's failure is logged here: it must never reach the handler or the pipeline. */
    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s run %s: run observer %s failed", where, run.runId(), observer.getClass().getSimpleName());
        }
    }

    /** Queues a report that is not a run field; fields waiting before it go now, as they can take no more. */
    private boolean enqueue(String what, Supplier<CompletionStage<Void>> send) {
        CoalescedFields before;
        synchronized (this) {
            if (closed) {
                LOG.warnf("%s run %s: %s after the run ended is ignored", where, escape(run.runId()), what);
                return false;
            }
            before = openFields;
            openFields = null;
            tail = tail.thenCompose(ignored -> send.get());
        }
        if (before != null) {
            before.release();
        }
        return true;
    }
}
