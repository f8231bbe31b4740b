package io.berth.triggers.impl;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.triggers.RunningTriggers.TriggerStatus;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerRecordListener;

/**
 * What one trigger is doing, heard as one of its dispatcher's outcome listeners: each record taken
 * (consumed or pushed alike) and each record's end, which goes on to the {@link TriggerRecordListener}s
 * with the trigger. Being the trigger's own listener is how outcomes are told from the runs'.
 */
final class TriggerActivity implements RecordOutcomeListener {

    private static final Logger LOG = Logger.getLogger(TriggerActivity.class);

    private final TriggerDefinition trigger;
    private final List<TriggerRecordListener> listeners;
    private final AtomicInteger inFlight = new AtomicInteger();

    TriggerActivity(TriggerDefinition trigger, List<TriggerRecordListener> listeners) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onReceived(InboundRecord record) {
        inFlight.incrementAndGet();
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        inFlight.decrementAndGet();
        for (TriggerRecordListener listener : listeners) {
            try {
                listener.onOutcome(trigger, record, outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s trigger %s: listener %s failed", record, trigger.id(),
                        listener.getClass().getSimpleName());
            }
        }
    }

    /**
     * @param member the trigger's consumer in the roster: whether it has joined its group, with how many
     *        partitions; {@code null} when the trigger's records are pushed and it has no consumer
     */
    TriggerStatus status(ConsumerRoster.Member member) {
        int taken = Math.max(0, inFlight.get());
        return member == null ? new TriggerStatus(trigger, false, 0, taken, true)
                : new TriggerStatus(trigger, member.joined(), member.assignedPartitions(), taken, false);
    }
}
