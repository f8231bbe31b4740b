package io.berth.delivery.impl;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static io.berth.delivery.ControlCharacters.escape;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.DirectUni;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.RecordWithdrawn;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryRules;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * The delivery core, shared by every capability that consumes records. Records arrive one at a
 * time from their source; each ends in one {@link RecordOutcome}, announced to the listeners.
 *
 * <pre>
 *  dispatch(record)                              (on the source's thread, in offset order)
 *   ├─ stopping? ──────────────────────────────► left unacknowledged: redelivered after restart
 *   ├─ the dispatcher itself fails to take it ──► dead-letter topic (as a fault, below)
 *   ├─ await a permit (at most `concurrency` records, `maxInFlightBytes` of values, in flight)
 *   └─ handler.handle(record) ──► its outcome ──────────────────────────────┐
 *        ├─ fails out of memory ─► listeners told (liveness DOWN) ─► Abandoned │
 *        ├─ fails with UnusableRecord(reason) ─┐                              │
 *        └─ fails otherwise (a fault) ─────────┴► dead-letter topic           │
 *              stored ─► DeadLettered; refused past the retries ─► DeadLetterFailed
 *                                                                             ▼
 *                       announce(outcome) to every listener (commit, count, show), then release
 * </pre>
 *
 * <p>Each partition's records are kept in a {@link PartitionLedger} until their outcome is known. When
 * a rebalance revokes a partition ({@link #revoke}), the ones not yet started (waiting for a permit or
 * behind their lane) are withdrawn and end {@code Abandoned}; the started ones are waited for, within
 * a bound below the consumer's rebalance timeout; then the ledger gives the offset to commit, so that
 * the partition's next owner starts after what ended here and never starts what still runs here:
 *
 * <pre>
 *  revoke(p3) ─► p3's waiting records withdrawn ─► wait: p3's started records end (≤ bound)
 *             ─► offsets to commit (below every record of p3 not safely ended) ─► caller commits, lets p3 go
 * </pre>
 *
 * The permit is released only once the outcome is known, so a slow or unreachable target fills
 * the permits and stops consumption instead of piling up undelivered records.
 */
public final class RecordDispatcherImpl implements RecordDispatcher {

    private static final Logger LOG = Logger.getLogger(RecordDispatcherImpl.class);

    /** Storing a dead letter: about four minutes of retries before the record is given up on, loudly. */
    private static final Duration DEAD_LETTER_FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration DEAD_LETTER_MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int DEAD_LETTER_ATTEMPTS = 10;

    private final String source;
    private final RecordHandler handler;
    private final DeadLetters deadLetters;
    private final List<RecordOutcomeListener> listeners;
    private final AsyncPermits permits;
    private final Duration shutdownGrace;
    private final StopSignal stop;
    private final Tracing tracing;
    private final PartitionLedgers ledgers = new PartitionLedgers();

    private RecordDispatcherImpl(Builder builder) {
        this.source = Objects.requireNonNull(builder.source, "source");
        this.handler = Objects.requireNonNull(builder.handler, "handler");
        this.deadLetters = Objects.requireNonNull(builder.deadLetters, "deadLetters");
        this.listeners = List.copyOf(builder.listeners);
        this.permits = new AsyncPermits(builder.concurrency, builder.maxInFlightBytes);
        this.shutdownGrace = Objects.requireNonNull(builder.shutdownGrace, "shutdownGrace");
        this.stop = Objects.requireNonNull(builder.stop, "stop");
        this.tracing = Objects.requireNonNull(builder.tracing, "tracing");
    }

    /** @param source what one record is, for log lines: "run", "record of trigger orders" */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    @Override
    public Uni<Void> dispatch(InboundRecord record) {
        return DirectUni.of(accepted -> {
            Acceptance acceptance = new Acceptance(() -> accepted.complete(null));
            Runnable withdraw = take(record, acceptance);
            if (acceptance.atOnce()) {
                accepted.complete(null);
            }
            return withdraw;
        });
    }

    @Override
    public boolean offer(InboundRecord record, Runnable acceptedLater) {
        Acceptance acceptance = new Acceptance(acceptedLater);
        take(record, acceptance);
        return acceptance.atOnce();
    }

    /**
     * Admits the record and asks for its permit; holding it, the record starts ({@link #deliver}), then
     * {@code accepted} runs.
     *
     * @return what withdraws the record while it waits for its permit, or null when it does not wait
     */
    private Runnable take(InboundRecord record, Runnable accepted) {
        if (stop.raised()) {
            accepted.run();
            return null;
        }
        long bytes = record.value() == null ? 0 : record.value().length;
        PartitionLedger ledger = ledgers.admit(record);
        received(record);
        boolean[] delivering = {false};
        try {
            return permits.request(bytes, permit -> {
                delivering[0] = true;
                deliver(record, ledger, permit); // which ends the record, whatever happens in it
                accepted.run();
            });
        } catch (RuntimeException failure) {
            if (delivering[0]) {
                throw failure; // the record is on its way to its outcome: not a second one
            }
            // Should the dispatcher itself fail to take the record, it must still end: left
            // unacknowledged, it would hold back its partition's commits for good.
            deadLetter(record, failure, Context.root()).subscribe().with(outcome -> {
                announce(record, ledger, outcome);
                accepted.run();
            }, unexpected -> accepted.run());
            return null;
        }
    }

    /**
     * Holding a permit: the record's way to its outcome, which releases the permit once announced.
     * One subscriber follows it (no Mutiny operator per record: see {@link DirectUni}); only a
     * failure takes the operators of the dead-letter path.
     */
    private void deliver(InboundRecord record, PartitionLedger ledger, AsyncPermits.Permit permit) {
        Ending ending = new Ending(record, ledger, permit);
        if (stop.raised() || !record.start()) {
            ending.end(new RecordOutcome.Abandoned(null,
                    stop.raised() ? "stopping" : "its partition was revoked before it started"));
            return;
        }
        try {
            // The record's span: current while the handler is called, its parent for what follows.
            tracing.record(source, record, () -> {
                if (tracing != Tracing.off()) {
                    ending.span = Context.current(); // a dead letter's traceparent (none without tracing)
                }
                return handler.handle(record);
            }).subscribe().withSubscriber(ending);
        } catch (Throwable failure) { // as a failed answer: dead-lettered, or out of memory
            ending.onFailure(failure);
        }
    }

    /** How a started record ends: its handler's outcome, or what its failure makes of it. */
    private final class Ending implements UniSubscriber<RecordOutcome> {

        private final InboundRecord record;
        private final PartitionLedger ledger;
        private final AsyncPermits.Permit permit;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Context span = Context.root();

        private Ending(InboundRecord record, PartitionLedger ledger, AsyncPermits.Permit permit) {
            this.record = record;
            this.ledger = ledger;
            this.permit = permit;
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            // Never cancelled: the record ends with its outcome.
        }

        @Override
        public void onItem(RecordOutcome outcome) {
            end(outcome);
        }

        @Override
        public void onFailure(Throwable failure) {
            if (failure instanceof RecordWithdrawn) {
                end(new RecordOutcome.Abandoned(null,
                        stop.raised() ? "stopping before it started" : "its partition was revoked before it started"));
            } else if (outOfMemory(failure)) {
                end(outOfMemory(record, failure));
            } else {
                deadLetter(record, failure, span).subscribe().with(this::end, unexpected -> {
                    // Only a fault of the dead-letter path itself lands here; it must still end the record.
                    LOG.errorf(unexpected, "%s: unexpected failure while dead-lettering a %s record", record, source);
                    end(new RecordOutcome.DeadLetterFailed("unexpected failure: " + unexpected.getClass().getName()));
                });
            }
        }

        /** Acknowledges first: drain() ends when the permits are back, and by then every outcome must have reached the commit strategy. */
        void end(RecordOutcome outcome) {
            if (ended.compareAndSet(false, true)) {
                announce(record, ledger, outcome);
                permit.release();
            }
        }
    }

    /** Whether a record was accepted at once; if not, what runs once it is. */
    private static final class Acceptance implements Runnable {

        private static final int TAKING = 0;
        private static final int AT_ONCE = 1;
        private static final int LATER = 2;

        private final Runnable later;
        private final AtomicInteger state = new AtomicInteger(TAKING);

        private Acceptance(Runnable later) {
            this.later = later;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(TAKING, AT_ONCE)) {
                later.run();
            }
        }

        /** Called once the taking returned: true when it accepted the record meanwhile. */
        boolean atOnce() {
            return !state.compareAndSet(TAKING, LATER);
        }
    }

    /**
     * Out of memory is no verdict on the record: it is left uncommitted, to be delivered again, and
     * every listener hears of it (one turns liveness DOWN and stops the process).
     */
    private RecordOutcome outOfMemory(InboundRecord record, Throwable failure) {
        OutOfMemoryError error = outOfMemoryIn(failure);
        for (RecordOutcomeListener listener : listeners) {
            try {
                listener.onOutOfMemory(record, error);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: outcome listener %s failed", record, listener.getClass().getSimpleName());
            }
        }
        return new RecordOutcome.Abandoned(null, "out of memory");
    }

    private static boolean outOfMemory(Throwable failure) {
        return outOfMemoryIn(failure) != null;
    }

    private static OutOfMemoryError outOfMemoryIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutOfMemoryError error) {
                return error;
            }
        }
        return null;
    }

    @Override
    public void drain() {
        stop.raise();
        ledgers.all().forEach(PartitionLedger::withdrawWaitingAndCountStarted);
        int left = waitWhileAny(permits::inUse, shutdownGrace);
        if (left > 0) {
            LOG.warnf("Stopping with %d %s(s) unfinished after %d s: they stay uncommitted and will be "
                    + "redelivered", left, source, shutdownGrace.toSeconds());
        } else {
            LOG.infof("Every in-flight %s has ended", source);
        }
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        ledgers.assigned(partitions);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions, Duration bound) {
        List<PartitionLedger> leaving = ledgers.revoke(partitions);
        int left = waitWhileAny(() -> leaving.stream().mapToInt(PartitionLedger::withdrawWaitingAndCountStarted).sum(),
                bound);
        if (left > 0) {
            LOG.warnf("Partitions %s revoked with %d %s(s) still going after %d s: they stay uncommitted, and the "
                    + "partitions' next owner may deliver them again", partitions, left, source, bound.toSeconds());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        leaving.forEach(ledger -> ledger.committableOffset()
                .ifPresent(offset -> offsets.put(ledger.partition(), new OffsetAndMetadata(offset))));
        return offsets;
    }

    /** Waits, polling, until {@code count} is zero or {@code bound} has passed; answers the last count. */
    private static int waitWhileAny(IntSupplier count, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        int left = count.getAsInt();
        while (left > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = count.getAsInt();
        }
        return left;
    }

    /** @param span the record's span, current while the dead letter is made: its {@code traceparent} */
    private Uni<RecordOutcome> deadLetter(InboundRecord record, Throwable failure, Context span) {
        String reason;
        Object detail = null;
        if (failure instanceof UnusableRecord unusable) {
            reason = unusable.reason();
            detail = unusable.detail();
        } else {
            reason = "unexpected failure: " + failure.getClass().getName();
            LOG.errorf(failure, "%s: unexpected failure in the %s pipeline; dead-lettering the record", record, source);
        }
        LOG.warnf("%s: dead-lettered: %s", record, escape(reason));
        // Retried only while retrying can help (RetryRules.forDeadLetterFailure): not a record too
        // large for the topic, nor a topic Berth may not write to.
        Object letterDetail = detail;
        return Uni.createFrom().deferred(() -> {
                    try (Scope current = span.makeCurrent()) {
                        return deadLetters.send(record, reason, letterDetail);
                    }
                })
                .onFailure(refusal -> !stop.raised()
                        && RetryRules.forDeadLetterFailure(refusal) != RetryDecision.DONE).retry()
                .withBackOff(DEAD_LETTER_FIRST_RETRY, DEAD_LETTER_MAX_BACKOFF).atMost(DEAD_LETTER_ATTEMPTS)
                .replaceWith((RecordOutcome) new RecordOutcome.DeadLettered(reason))
                .onFailure().recoverWithItem(refusal -> {
                    if (stop.raised()) {
                        return new RecordOutcome.Abandoned(null, "stopping before the dead letter was stored");
                    }
                    LOG.errorf("%s: the dead-letter topic refused this record (%s): it stays only in its topic at "
                            + "this offset; check that the dead-letter topic exists and is writable. Reason: %s",
                            record, refusal.getClass().getSimpleName(), escape(reason));
                    return new RecordOutcome.DeadLetterFailed(reason);
                });
    }

    private void received(InboundRecord record) {
        for (RecordOutcomeListener listener : listeners) {
            try {
                listener.onReceived(record);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: outcome listener %s failed", record, listener.getClass().getSimpleName());
            }
        }
    }

    private void announce(InboundRecord record, PartitionLedger ledger, RecordOutcome outcome) {
        ledger.settle(record, outcome.committable());
        for (RecordOutcomeListener listener : listeners) {
            try {
                listener.onOutcome(record, outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: outcome listener %s failed", record, listener.getClass().getSimpleName());
            }
        }
    }

    /** What a dispatcher is made of; every part but the listeners is required. */
    public static final class Builder {

        private final String source;
        private RecordHandler handler;
        private DeadLetters deadLetters;
        private List<RecordOutcomeListener> listeners = List.of();
        private int concurrency = 1;
        private long maxInFlightBytes = Long.MAX_VALUE;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private StopSignal stop = new StopSignal();
        private Tracing tracing = Tracing.off();

        private Builder(String source) {
            this.source = source;
        }

        public Builder handler(RecordHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder deadLetters(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        public Builder listeners(List<RecordOutcomeListener> listeners) {
            this.listeners = listeners;
            return this;
        }

        /** At most this many records in flight: the source waits for a permit before the next. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /**
         * At most this many bytes of record values in flight; a record larger than this runs alone,
         * once nothing else is in flight.
         */
        public Builder maxInFlightBytes(long maxInFlightBytes) {
            this.maxInFlightBytes = maxInFlightBytes;
            return this;
        }

        /** How long {@link RecordDispatcher#drain()} waits for in-flight records. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** The signal this dispatcher raises on drain, shared with a handler that waits. */
        public Builder stopSignal(StopSignal stop) {
            this.stop = stop;
            return this;
        }

        /** A span per record, continuing its producer's trace ({@link Tracing#record}); none by default. */
        public Builder tracing(Tracing tracing) {
            this.tracing = tracing;
            return this;
        }

        public RecordDispatcher build() {
            return new RecordDispatcherImpl(this);
        }
    }
}
