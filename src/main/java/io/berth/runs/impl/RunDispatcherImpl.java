package io.berth.runs.impl;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.berth.handlers.RunResult;
import io.berth.handlers.RunRoute;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.berth.runs.DeadLetters;
import io.berth.runs.InboundRecord;
import io.berth.runs.PortRun;
import io.berth.runs.RecordOutcome;
import io.berth.runs.RecordOutcomeListener;
import io.berth.runs.RunDispatcher;
import io.smallrye.mutiny.Uni;

/**
 * The run pipeline. Records arrive one at a time from the consumer; each ends in one
 * {@link RecordOutcome}, announced to the listeners (which commit, count and show it).
 *
 * <pre>
 *  dispatch(record)                                   (on the consumer's thread, in offset order)
 *   ├─ stopping? ─────────────────────────────────► left unacknowledged: redelivered after restart
 *   ├─ await a permit (at most `concurrency` records, `max-in-flight-bytes` of them, in flight: backpressure)
 *   ├─ parse ─ unusable ─► dead-letter topic ─────► DeadLettered (or, refused for minutes, DeadLetterFailed)
 *   ├─ route ─ nobody claims it ──────────────────► NotClaimed (another executor's run)
 *   ├─ run id in recent memory ───────────────────► Duplicate
 *   └─ lane of its entity (runs of one entity in order, others concurrently)
 *        ├─ record older than our assignment? GET run: terminal ─► Duplicate
 *        ├─ log "picked up" ─ handler ─ its reports, in order
 *        └─ terminal PATCH (none if left open) ──────► Finished
 *             Port unreachable: retried until it answers or Berth stops (► Abandoned)
 * </pre>
 *
 * The permit is released only once the outcome is known, so a Port outage fills the permits and
 * stops consumption instead of piling up unreported runs.
 */
final class RunDispatcherImpl implements RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcherImpl.class);

    /** Pause between rounds of retries while Port is unreachable. */
    private static final Duration PORT_OUTAGE_PAUSE = Duration.ofSeconds(5);

    /** Storing a dead letter: about four minutes of retries before the record is given up on, loudly. */
    private static final Duration DEAD_LETTER_FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration DEAD_LETTER_MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int DEAD_LETTER_ATTEMPTS = 10;

    private final RunMessageParser parser;
    private final RunRouter router;
    private final PortClient port;
    private final DeadLetters deadLetters;
    private final AssignmentWatermarks watermarks;
    private final List<RecordOutcomeListener> listeners;
    private final AsyncPermits permits;
    private final OrderedLanes lanes = new OrderedLanes();
    private final RecentRuns recentRuns;
    private final PortPatience patience;
    private final Duration shutdownGrace;
    private volatile boolean stopping;

    RunDispatcherImpl(RunMessageParser parser, RunRouter router, PortClient port, DeadLetters deadLetters,
            AssignmentWatermarks watermarks, List<RecordOutcomeListener> listeners, int concurrency,
            int recentRunsMemory, Duration shutdownGrace, long maxInFlightBytes) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.router = Objects.requireNonNull(router, "router");
        this.port = Objects.requireNonNull(port, "port");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
        this.listeners = List.copyOf(listeners);
        this.permits = new AsyncPermits(concurrency, maxInFlightBytes);
        this.recentRuns = new RecentRuns(recentRunsMemory);
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.patience = new PortPatience(PORT_OUTAGE_PAUSE, () -> stopping);
    }

    @Override
    public Uni<Void> dispatch(InboundRecord record) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        long bytes = record.value() == null ? 0 : record.value().length;
        return permits.acquire(bytes).invoke(permit -> Uni.createFrom().deferred(() -> stopping
                ? Uni.createFrom().item(new RecordOutcome.Abandoned(null, "stopping"))
                : process(record))
                .onFailure().invoke(unexpected -> watchMemory(record, unexpected))
                .onFailure().recoverWithItem(unexpected -> {
                    LOG.errorf(unexpected, "%s: unexpected failure in the run pipeline; the record stays uncommitted",
                            record);
                    return new RecordOutcome.Abandoned(null, "unexpected failure: " + unexpected.getClass().getSimpleName());
                })
                .subscribe().with(outcome -> {
                    // Acknowledge first: drain() ends when the permits are back, and by then every
                    // outcome must have reached the commit strategy.
                    announce(record, outcome);
                    permit.release();
                })).replaceWithVoid();
    }

    @Override
    public void drain() {
        stopping = true;
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        while (permits.inUse() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = permits.inUse();
        if (left > 0) {
            LOG.warnf("Stopping with %d run(s) unfinished after %d s: their records stay uncommitted and will be "
                    + "redelivered", left, shutdownGrace.toSeconds());
        } else {
            LOG.info("Every in-flight run has ended");
        }
    }

    private Uni<RecordOutcome> process(InboundRecord record) {
        ParsedRecord parsed = parser.parse(record);
        if (parsed instanceof ParsedRecord.Unusable unusable) {
            return deadLetter(record, unusable.reason());
        }
        ParsedRecord.Run parsedRun = (ParsedRecord.Run) parsed;
        PortRun run = parsedRun.run();
        Optional<RunRoute> route = router.route(run);
        if (route.isEmpty()) {
            LOG.debugf("%s run %s: no handler or mapping claims action '%s'; left to other executors", record,
                    run.runId(), run.action());
            return Uni.createFrom().item(new RecordOutcome.NotClaimed(run.runId(), run.action()));
        }
        Optional<java.util.concurrent.CompletableFuture<Boolean>> original = recentRuns.claim(run.runId());
        if (original.isPresent()) {
            LOG.infof("%s run %s: already taken on by this Berth; waiting for it to end", record, run.runId());
            return Uni.createFrom().completionStage(original.get())
                    .map(committable -> committable
                            ? new RecordOutcome.Duplicate(run.runId(), "recent runs memory")
                            : abandoned(run, "the first delivery of this run was abandoned"));
        }
        return lanes.submit(run.orderingKey(), () -> handleOnce(record, run, route.get(), parsedRun.inputProblem()))
                .onFailure().recoverWithItem(unexpected -> abandoned(run, "unexpected failure: "
                        + unexpected.getClass().getSimpleName()))
                .invoke(outcome -> recentRuns.ended(run.runId(), outcome.committable()));
    }

    private Uni<RecordOutcome> deadLetter(InboundRecord record, String reason) {
        LOG.warnf("%s: dead-lettered: %s", record, reason);
        return deadLetters.send(record, reason)
                .onFailure(failure -> !stopping).retry()
                .withBackOff(DEAD_LETTER_FIRST_RETRY, DEAD_LETTER_MAX_BACKOFF).atMost(DEAD_LETTER_ATTEMPTS)
                .replaceWith((RecordOutcome) new RecordOutcome.DeadLettered(reason))
                .onFailure().recoverWithItem(failure -> {
                    if (stopping) {
                        return new RecordOutcome.Abandoned(null, "stopping before the dead letter was stored");
                    }
                    LOG.errorf("%s: the dead-letter topic refused this record (%s): it stays only in the runs topic "
                            + "at this offset; check that BERTH_RUNS_DEAD_LETTER_TOPIC exists and is writable. Reason: %s",
                            record, failure.getClass().getSimpleName(), reason);
                    return new RecordOutcome.DeadLetterFailed(reason);
                });
    }

    private Uni<RecordOutcome> handleOnce(InboundRecord record, PortRun run, RunRoute route, String inputProblem) {
        boolean suspect = watermarks.mayHaveBeenHandled(record.topic(), record.partition(), record.offset());
        Uni<Boolean> endedBefore = suspect
                ? patience.untilAnswered(() -> port.runStatus(run.runId()), record + " GET run " + run.runId())
                        .map(status -> status.map(PortClient.RunStatus::isTerminal).orElse(null))
                        .onFailure(PortCallException.class).recoverWithItem(refused -> {
                            LOG.warnf("%s run %s: could not ask Port whether the run ended (%s); handling it",
                                    record, run.runId(), refused.getMessage());
                            return false;
                        })
                : Uni.createFrom().item(false);
        return endedBefore.chain(ended -> {
            if (ended == null) {
                return Uni.createFrom().item(abandoned(run, "stopping before Port answered"));
            }
            if (ended) {
                LOG.infof("%s run %s: already ended in Port; skipped", record, run.runId());
                return Uni.createFrom().item(new RecordOutcome.Duplicate(run.runId(), "terminal status in Port"));
            }
            return handle(record, run, route, inputProblem);
        });
    }

    private Uni<RecordOutcome> handle(InboundRecord record, PortRun run, RunRoute route, String inputProblem) {
        long started = System.nanoTime();
        String where = record.toString();
        ReportingRunContext context = new ReportingRunContext(run, port, patience, where);
        LOG.infof("%s run %s: action '%s' → %s", where, run.runId(), run.action(), route.name());
        context.log("Berth picked up the run: action " + run.action() + ", handled by " + route.name());
        Uni<RunResult> result = inputProblem != null
                ? Uni.createFrom().item(RunResult.failure("Unusable inputs: " + inputProblem))
                : Uni.createFrom().deferred(() -> route.run(context))
                        .onItem().ifNull().continueWith(RunResult::success)
                        .onFailure().invoke(failure -> watchMemory(record, failure))
                        .onFailure().recoverWithItem(failure -> RunResult.failure(reasonOf(failure)));
        return result
                .call(context::close)
                .chain(outcome -> reportEnd(where, run, outcome)
                        .map(alreadyEnded -> alreadyEnded == null
                                ? abandoned(run, "stopping before the terminal status was reported")
                                : new RecordOutcome.Finished(run.runId(), run.action(), route.name(), outcome,
                                        Duration.ofNanos(System.nanoTime() - started), alreadyEnded)));
    }

    /** Sends the terminal status; true if Port had it already, null if Berth stopped first. */
    private Uni<Boolean> reportEnd(String where, PortRun run, RunResult result) {
        RunPatch patch;
        if (result instanceof RunResult.Succeeded success) {
            patch = RunPatch.terminal("SUCCESS", success.summary());
        } else if (result instanceof RunResult.Failed failure) {
            patch = RunPatch.terminal("FAILURE", failure.reason());
        } else {
            return Uni.createFrom().item(false);
        }
        return patience.untilAnswered(() -> port.patchRun(run.runId(), patch), where + " terminal status of " + run.runId())
                .map(answer -> answer.map(patched -> patched == PortClient.PatchResult.ALREADY_TERMINAL).orElse(null))
                .onFailure(PortCallException.class).recoverWithItem(refused -> {
                    // A 4xx other than 422: retrying the same PATCH cannot succeed. Say so loudly and move on.
                    LOG.errorf("%s run %s: Port refused its terminal status %s: %s", where, run.runId(),
                            patch.status(), refused.getMessage());
                    return false;
                });
    }

    private RecordOutcome abandoned(PortRun run, String reason) {
        return new RecordOutcome.Abandoned(run.runId(), reason);
    }

    private void announce(InboundRecord record, RecordOutcome outcome) {
        for (RecordOutcomeListener listener : listeners) {
            try {
                listener.onOutcome(record, outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: outcome listener %s failed", record, listener.getClass().getSimpleName());
            }
        }
    }

    /** An {@link OutOfMemoryError} anywhere in a failure's causes is every listener's business. */
    private void watchMemory(InboundRecord record, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError error) {
                listeners.forEach(listener -> listener.onOutOfMemory(record, error));
                return;
            }
        }
    }

    static String reasonOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
