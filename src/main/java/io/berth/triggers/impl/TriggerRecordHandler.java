package io.berth.triggers.impl;

import java.util.Objects;

import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.OrderedLanes;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerEnvelope;
import io.berth.triggers.TriggerOutcome;
import io.berth.ops.HandlerDurations;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * A trigger's part of the delivery core: what a record means (its {@link TriggerEnvelope}) and what
 * to call (the trigger's target). Permits, dead letters and commits are the dispatcher's.
 *
 * <pre>
 *  handle(record) ─► envelope ─► lane (ordering: key | partition | none)
 *    └─ target.fire (retried under its rules) ─┬─ success ─────────────► Fired
 *                                             ├─ fails, Berth stopping ► Abandoned (redelivered)
 *                                             └─ fails ─────────────────► UnusableRecord(reason): dead-lettered
 * </pre>
 */
final class TriggerRecordHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(TriggerRecordHandler.class);

    private final TriggerDefinition trigger;
    private final TriggerTarget target;
    private final Envelopes envelopes;
    private final StopSignal stop;
    private final HandlerDurations durations;
    private final OrderedLanes lanes = new OrderedLanes();

    TriggerRecordHandler(TriggerDefinition trigger, TriggerTarget target, Envelopes envelopes, StopSignal stop) {
        this(trigger, target, envelopes, stop, HandlerDurations.none());
    }

    TriggerRecordHandler(TriggerDefinition trigger, TriggerTarget target, Envelopes envelopes, StopSignal stop,
            HandlerDurations durations) {
        this.durations = Objects.requireNonNull(durations, "durations");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.target = Objects.requireNonNull(target, "target");
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        String lane = lane(record);
        // The record's span (Tracing.record), current again when its turn comes: its webhooks' parent.
        Context trace = Context.current();
        return lane == null ? fire(record) : lanes.submit(lane, () -> Tracing.within(trace, () -> fire(record)));
    }

    private Uni<RecordOutcome> fire(InboundRecord record) {
        TriggerEnvelope envelope = envelopes.of(record);
        return durations.trigger(trigger.id(), () -> fire(record, envelope), RecordOutcome::label);
    }

    private Uni<RecordOutcome> fire(InboundRecord record, TriggerEnvelope envelope) {
        return Uni.createFrom().deferred(() -> target.fire(envelope))
                .map(detail -> {
                    LOG.infof("%s trigger %s: %s fired (%s)", record, trigger.id(), target.describe(), detail);
                    return (RecordOutcome) new TriggerOutcome.Fired(trigger.id(), target.describe(), detail);
                })
                .onFailure().recoverWithUni(failure -> {
                    if (stop.raised()) {
                        return Uni.createFrom().item(new RecordOutcome.Abandoned(envelope.id(),
                                "stopping before " + target.describe() + " succeeded"));
                    }
                    String reason = failure instanceof UnusableRecord unusable ? unusable.reason()
                            : target.describe() + " failed: " + reasonOf(failure);
                    return Uni.createFrom().failure(new UnusableRecord("trigger " + trigger.id() + ": " + reason));
                });
    }

    /** Records of one lane run one after another; null: no lane, run at once. */
    private String lane(InboundRecord record) {
        return io.berth.delivery.Ordering.valueOf(trigger.ordering().name()).lane(record);
    }

    private static String reasonOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
