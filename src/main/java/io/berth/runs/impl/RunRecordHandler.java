package io.berth.runs.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.berth.delivery.ControlCharacters.escape;

import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.OrderedLanes;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordWithdrawn;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.handlers.RunResult;
import io.berth.handlers.RunRoute;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.PortPatience;
import io.berth.port.RunPatch;
import io.berth.runs.PortRun;
import io.berth.runs.RunObserver;
import io.berth.runs.RunOutcome;
import io.berth.runs.RunReceived;
import io.berth.runs.RunReports;
import io.berth.tracing.RecordMdc;
import io.berth.tracing.TracedPortClient;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

/**
 * What a record of the runs topic means, and what to call for it: the runs' part of the delivery
 * core ({@link io.berth.delivery.RecordDispatcher} holds the permits, dead letters and outcomes).
 *
 * <pre>
 *  handle(record)
 *   ├─ parse ─ unusable ─► UnusableRecord(reason): the core dead-letters it
 *   ├─ route ─ nobody claims it ──────────────────► NotClaimed (another executor's run)
 *   ├─ unsigned run routed to a mapping webhook ─► UnusableRecord: dead-lettered
 *   ├─ run id in recent memory ───────────────────► Duplicate (once the original's outcome is safe)
 *   └─ lane of its entity (runs of one entity in order, others concurrently)
 *        ├─ record older than our assignment, or signed/produced
 *        │  longer ago than the replay bound? GET run: terminal ─► Duplicate
 *        ├─ log "picked up" ─ handler ─ its reports, in order
 *        └─ terminal PATCH (none if left open) ──────► Finished
 *             Port unreachable: retried until it answers or Berth stops (► Abandoned)
 * </pre>
 */
final class RunRecordHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(RunRecordHandler.class);

    /** Pause between rounds of retries while Port is unreachable. */
    private static final Duration PORT_OUTAGE_PAUSE = Duration.ofSeconds(5);

    private final RunMessageParser parser;
    private final RunRouter router;
    private final PortClient port;
    private final AssignmentWatermarks watermarks;
    private final OrderedLanes lanes = new OrderedLanes();
    private final RecentRuns recentRuns;
    private final PortPatience patience;
    private final ReplayCheck replays;
    private final RunObserver observer;
    private final Consumer<RunReceived> received;

    /** @param received told of every record once parsed and routed (the {@link RunReceived.Listener} beans) */
    RunRecordHandler(RunMessageParser parser, RunRouter router, PortClient port, AssignmentWatermarks watermarks,
            int recentRunsMemory, RunObserver observer, Consumer<RunReceived> received, ReplayCheck replays,
            StopSignal stop) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.router = Objects.requireNonNull(router, "router");
        this.port = Objects.requireNonNull(port, "port");
        this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
        this.recentRuns = new RecentRuns(recentRunsMemory);
        this.replays = Objects.requireNonNull(replays, "replays");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.received = Objects.requireNonNull(received, "received");
        this.patience = new PortPatience(PORT_OUTAGE_PAUSE, stop::raised);
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        // The record's span, current while the core calls this (Tracing.record): the run's Port calls
        // and handler are its children, wherever their callbacks run.
        Context trace = Context.current();
        ParsedRecord parsed = parser.parse(record);
        if (parsed instanceof ParsedRecord.Unusable unusable) {
            tell(RunReceived.unusable());
            return Uni.createFrom().failure(new UnusableRecord(unusable.reason()));
        }
        ParsedRecord.Run parsedRun = (ParsedRecord.Run) parsed;
        PortRun run = parsedRun.run();
        Tracing.describeRun(trace, run.runId(), run.action());
        Optional<RunRoute> route = router.route(run);
        tell(new RunReceived(run.action(), route.map(RunRoute::name).orElse(null)));
        if (route.isEmpty()) {
            LOG.debugf("%s run %s: no handler or mapping claims action '%s'; left to other executors", record,
                    escape(run.runId()), escape(run.action()));
            return Uni.createFrom().item(new RunOutcome.NotClaimed(run.runId(), run.action()));
        }
        if (route.get().signedRunsOnly() && !parsedRun.signed()) {
            return Uni.createFrom().failure(new UnusableRecord("unsigned run routed to " + route.get().name()
                    + ": mapping-file webhooks take only runs signed by Port (X-Port-Signature)"));
        }
        Optional<CompletableFuture<Boolean>> original = recentRuns.claim(run.runId());
        if (original.isPresent()) {
            LOG.infof("%s run %s: already taken on by this Berth; waiting for it to end", record, escape(run.runId()));
            return Uni.createFrom().completionStage(original.get())
                    .map(committable -> committable
                            ? new RunOutcome.Duplicate(run.runId(), "recent runs memory")
                            : abandoned(run, "the first delivery of this run was abandoned"));
        }
        // A failure here is a fault: the core dead-letters the record, so it is committed all the same.
        // Withdrawn (its partition revoked, or Berth stopping) before it started: not committed, like an abandoned run.
        return lanes.submit(record, run.orderingKey(), () -> handleOnce(record, run, route.get(),
                        parsedRun.inputProblem(), parsedRun.signedAt(), trace))
                .onTermination().invoke((outcome, failure, cancelled) -> recentRuns.ended(run.runId(),
                        failure != null ? !(failure instanceof RecordWithdrawn) : outcome != null && outcome.committable()));
    }

    /** Counting must not change what happens to the record: what an observer throws is logged. */
    private void tell(RunReceived receipt) {
        try {
            received.accept(receipt);
        } catch (RuntimeException e) {
            LOG.warnf("An observer of received runs failed (%s); the run goes on", e.getClass().getSimpleName());
        }
    }

    private Uni<RecordOutcome> handleOnce(InboundRecord record, PortRun run, RunRoute route, String inputProblem,
            Instant signedAt, Context trace) {
        RunReports reports = RunReports.forRun(run.runId(), new TracedPortClient(port, trace));
        boolean suspect = watermarks.mayHaveBeenHandled(record.topic(), record.partition(), record.offset())
                || replays.due(record, signedAt);
        Uni<Boolean> endedBefore = suspect
                ? patience.untilAnswered(() -> reports.endedInPort().map(Optional::ofNullable),
                                record + " GET run " + run.runId())
                        .map(answer -> answer.map(ended -> ended.orElse(false)).orElse(null))
                        .onFailure(PortCallException.class).recoverWithItem(refused -> {
                            LOG.warnf("%s run %s: could not ask Port whether the run ended (%s); handling it",
                                    record, escape(run.runId()), refused.getMessage());
                            return false;
                        })
                : Uni.createFrom().item(false);
        return endedBefore.chain(ended -> {
            if (ended == null) {
                return Uni.createFrom().item(abandoned(run, "stopping before Port answered"));
            }
            if (ended) {
                LOG.infof("%s run %s: already ended in Port; skipped", record, escape(run.runId()));
                return Uni.createFrom().item(new RunOutcome.Duplicate(run.runId(), "terminal status in Port"));
            }
            return invoke(record, run, route, inputProblem, reports, trace);
        });
    }

    private Uni<RecordOutcome> invoke(InboundRecord record, PortRun run, RunRoute route, String inputProblem,
            RunReports reports, Context trace) {
        long started = System.nanoTime();
        String where = record.toString();
        ReportingRunContext context = new ReportingRunContext(run, reports, patience, where, observer);
        RecordMdc mdc = RecordMdc.of(record).withRun(run.runId(), run.action());
        try (Scope fields = mdc.apply()) {
            LOG.infof("%s run %s: action '%s' → %s", where, escape(run.runId()), escape(run.action()), route.name());
        }
        context.log("Berth picked up the run: action " + run.action() + ", handled by " + route.name());
        try (Scope span = trace.makeCurrent()) { // observers keep the run's span (events carry it on)
            context.started(route.name());
        }
        Uni<RunResult> result = inputProblem != null
                ? Uni.createFrom().item(RunResult.failure("Unusable inputs: " + inputProblem))
                : Tracing.of(trace).handler(trace, route.name(), mdc, () -> route.run(context))
                        .onItem().ifNull().continueWith(RunResult::success)
                        // Out of memory is Berth's state, not the run's result: the core leaves the record
                        // to be delivered again and stops the process.
                        .onFailure(failure -> !(failure instanceof OutOfMemoryError))
                        .recoverWithItem(failure -> RunResult.failure(reasonOf(failure)));
        return result
                .chain(outcome -> context.close(!(outcome instanceof RunResult.LeftOpen))
                        .chain(alongside -> reportEnd(where, run, reports, outcome, alongside))
                        .map(alreadyEnded -> alreadyEnded == null
                                ? abandoned(run, "stopping before the terminal status was reported")
                                : new RunOutcome.Finished(run.runId(), run.action(), route.name(), outcome,
                                        Duration.ofNanos(System.nanoTime() - started), alreadyEnded)));
    }

    /**
     * Sends the terminal status, with the run fields the handler set last ({@code alongside}) in the
     * same PATCH; true if Port had it already, null if Berth stopped first.
     */
    private Uni<Boolean> reportEnd(String where, PortRun run, RunReports reports, RunResult result, RunPatch alongside) {
        if (result instanceof RunResult.LeftOpen) {
            return Uni.createFrom().item(false);
        }
        String status = result instanceof RunResult.Succeeded ? "SUCCESS" : "FAILURE";
        return patience.untilAnswered(() -> reports.end(result, alongside), where + " terminal status of " + run.runId())
                .map(answer -> answer.map(patched -> patched == PortClient.PatchResult.ALREADY_TERMINAL).orElse(null))
                .onFailure(PortCallException.class).recoverWithItem(refused -> {
                    // A 4xx other than 422: retrying the same PATCH cannot succeed. Say so loudly and move on.
                    LOG.errorf("%s run %s: Port refused its terminal status %s: %s", where, escape(run.runId()),
                            status, refused.getMessage());
                    return false;
                });
    }

    private RecordOutcome abandoned(PortRun run, String reason) {
        return new RecordOutcome.Abandoned(run.runId(), reason);
    }

    static String reasonOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
