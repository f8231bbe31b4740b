package io.berth.triggers.impl;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.triggers.RunningTriggers.TriggerStatus;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerRecordListener;

/**
 * What one trigger is doing: its consumer reports joining and its assignment, its dispatcher (as
 * one of its outcome listeners) each record's end, which goes on to the {@link TriggerRecordListener}s
 * with the trigger. Being the trigger's own listener is how outcomes are told from the runs'.
 */
final class TriggerActivity implements RecordOutcomeListener, PolledConsumer.Activity {

    private static final Logger LOG = Logger.getLogger(TriggerActivity.class);

    private final TriggerDefinition trigger;
    private final List<TriggerRecordListener> listeners;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean joined;
    private volatile int assignedPartitions;

    TriggerActivity(TriggerDefinition trigger, List<TriggerRecordListener> listeners) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void taken() {
        inFlight.incrementAndGet();
    }

    @Override
    public void assigned(int partitions) {
        assignedPartitions = partitions;
        joined = true;
    }

    @Override
    public void lost(int partitions) {
        assignedPartitions = partitions;
        joined = false;
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

    TriggerStatus status() {
        return new TriggerStatus(trigger, joined, assignedPartitions, Math.max(0, inFlight.get()));
    }
}
