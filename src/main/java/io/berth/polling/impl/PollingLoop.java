package io.berth.polling.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.polling.PollingSettings;
import io.berth.polling.RunPoller;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * port-agent's polling consumer, without a thread that sleeps: each round is one claim, scheduled
 * after the last one's answer, and never more runs claimed than the runs' dispatcher has permits
 * for.
 *
 * <pre>
 *  round ─ free = maxInFlight - claimed and not yet acknowledged
 *    ├─ free = 0 ─────────────────────────────► wait: the next acknowledgement starts the round
 *    └─ claim-pending(limit = min(POLLING_RUNS_BATCH_SIZE, free))
 *         ├─ answered: backoff reset; each run ─► InboundRecord ─► dispatcher (same pipeline as Kafka)
 *         │     full batch ─► next round at once;  fewer ─► after POLLING_INTERVAL_SECONDS
 *         └─ failed: first failure noted; failing longer than POLLING_MAX_FAILURE_DURATION_SECONDS
 *               ─► GAVE_UP (readiness DOWN, Berth exits);  else next round after Backoff.next()
 *
 *  a run's outcome recorded (reported, skipped, dead-lettered) ─► InboundRecord.ack() ─► PATCH runs/ack
 * </pre>
 *
 * <p>Acknowledged after the outcome, not on claim as port-agent does: a run whose Berth dies mid-way
 * is handed out again after Port's visibility timeout (at least once), and the runs pipeline
 * recognises a run that already ended. An abandoned run (Berth stopping) is not acknowledged.
 */
final class PollingLoop implements RunPoller {

    /** What log lines call the source of polled records: {@code claim-pending[0]@n}. */
    static final String SOURCE = "claim-pending";

    private static final Logger LOG = Logger.getLogger(PollingLoop.class);

    private final PortClient port;
    private final RecordDispatcher dispatcher;
    private final PollingSettings settings;
    private final int maxInFlight;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Runnable giveUp;
    private final Backoff backoff;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean waitingForSlot = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean running;
    private volatile State state = State.STARTING;
    private volatile Instant firstFailure;

    /**
     * @param maxInFlight the dispatcher's permits ({@code BERTH_RUNS_CONCURRENCY}): claimed runs wait for none
     * @param giveUp what to do once claims failed for too long (exit, in production)
     */
    PollingLoop(PortClient port, RecordDispatcher dispatcher, PollingSettings settings, int maxInFlight,
            ScheduledExecutorService scheduler, Clock clock, Runnable giveUp) {
        this.port = Objects.requireNonNull(port, "port");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxInFlight = maxInFlight;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.giveUp = Objects.requireNonNull(giveUp, "giveUp");
        this.backoff = new Backoff(settings, Math::random);
    }

    void start() {
        running = true;
        LOG.infof("Polling Port for runs: up to %d a claim, every %d ms when idle", settings.runsBatchSize(),
                settings.intervalSeconds().toMillis());
        schedule(Duration.ZERO);
    }

    /** Claims nothing more; the dispatcher's drain lets what was claimed end. */
    void stop() {
        running = false;
        if (state != State.GAVE_UP) {
            state = State.STOPPED;
        }
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(firstFailure);
    }

    /** Quarkus's scheduler refuses delays under a millisecond: a round due now is executed instead. */
    private void schedule(Duration pause) {
        if (!running) {
            return;
        }
        try {
            if (pause.toMillis() < 1) {
                scheduler.execute(this::round);
            } else {
                scheduler.schedule(this::round, pause.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException refused) {
            // Only while the application stops; say so rather than stop polling silently.
            LOG.errorf(refused, "Could not schedule the next claim: polling stops");
            running = false;
        }
    }

    private void round() {
        try {
            claim();
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "Unexpected failure while claiming runs");
            claimFailed(unexpected);
        }
    }

    private void claim() {
        if (!running) {
            return;
        }
        int free = maxInFlight - inFlight.get();
        if (free <= 0) {
            waitingForSlot.set(true);
            if (maxInFlight - inFlight.get() > 0) {
                resumeIfWaiting(); // a run ended between the check and the flag
            }
            return;
        }
        int limit = Math.min(settings.runsBatchSize(), free);
        Uni.createFrom().deferred(() -> port.claimPendingRuns(limit))
                .invoke(this::claimAnswered)
                .call(runs -> Multi.createFrom().iterable(runs).onItem().transformToUniAndConcatenate(this::dispatch)
                        .collect().last())
                .subscribe().with(runs -> schedule(runs.size() >= limit ? Duration.ZERO : settings.intervalSeconds()),
                        this::claimFailed);
    }

    private void claimAnswered(List<JsonNode> runs) {
        backoff.reset();
        if (firstFailure != null) {
            LOG.infof("Claiming runs from Port works again, after failing since %s", firstFailure);
            firstFailure = null;
        }
        if (running) {
            state = State.POLLING;
        }
        if (!runs.isEmpty()) {
            LOG.infof("Claimed %d pending run(s)", runs.size());
        }
    }

    private Uni<Void> dispatch(JsonNode claimed) {
        ClaimedRun run = ClaimedRun.of(claimed);
        if (run.id() == null) {
            LOG.error("A claimed run has no id (looked for id, runId, _id, identifier): it cannot be handled or "
                    + "acknowledged; Port hands it out again after its visibility timeout");
            return Uni.createFrom().voidItem();
        }
        if (!run.forAgent()) {
            LOG.warnf("Claimed run %s is not for an agent (payload.agent is false): acknowledged and skipped, as "
                    + "port-agent does", escape(run.id()));
            return acknowledge(run.id());
        }
        inFlight.incrementAndGet();
        byte[] value = run.message().toString().getBytes(StandardCharsets.UTF_8);
        InboundRecord record = new InboundRecord(SOURCE, 0, sequence.getAndIncrement(), run.id(), value,
                clock.instant(), () -> ended(run.id()));
        return dispatcher.dispatch(record);
    }

    /** The run's outcome is recorded: a slot is free, and Port may forget the run. */
    private CompletionStage<Void> ended(String runId) {
        inFlight.decrementAndGet();
        resumeIfWaiting();
        return acknowledge(runId).subscribeAsCompletionStage();
    }

    private void resumeIfWaiting() {
        if (waitingForSlot.compareAndSet(true, false)) {
            schedule(Duration.ZERO);
        }
    }

    private Uni<Void> acknowledge(String runId) {
        return Uni.createFrom().deferred(() -> port.ackRuns(List.of(runId)))
                .invoke(count -> {
                    if (count == 0) {
                        LOG.warnf("run %s: Port acknowledged none of it (its claim may have expired and been handed "
                                + "to another agent)", escape(runId));
                    } else {
                        LOG.debugf("run %s: acknowledged to Port", escape(runId));
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("run %s: acknowledging it to Port failed (%s): Port hands it "
                        + "out again after its visibility timeout, and Berth skips it if it has ended",
                        escape(runId), describe(failure)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void claimFailed(Throwable failure) {
        if (!running) {
            return;
        }
        Instant now = clock.instant();
        if (firstFailure == null) {
            firstFailure = now;
        } else if (Duration.between(firstFailure, now).compareTo(settings.maxFailureDurationSeconds()) > 0) {
            state = State.GAVE_UP;
            running = false;
            LOG.errorf("Claiming runs from Port has failed since %s, longer than POLLING_MAX_FAILURE_DURATION_SECONDS "
                    + "(%d s), last with %s: readiness is DOWN and Berth stops, for its orchestrator to restart it",
                    firstFailure, settings.maxFailureDurationSeconds().toSeconds(), describe(failure));
            giveUp.run();
            return;
        }
        Duration pause = backoff.next();
        LOG.warnf("Claiming runs from Port failed (%s); claiming again in %d ms", describe(failure), pause.toMillis());
        schedule(pause);
    }

    /** A failure in a log line: a Port call's message names the call and status, never a token. */
    private static String describe(Throwable failure) {
        return failure instanceof PortCallException ? failure.getMessage() : failure.getClass().getSimpleName();
    }
}
