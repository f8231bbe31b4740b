package io.berth.triggers;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;

/**
 * Told of each outcome of a trigger's records, with the trigger it came from: a
 * {@link io.berth.delivery.RecordOutcomeListener} that hears only triggers (the runs never reach
 * it). Implementations are CDI beans; they must be quick and must not throw.
 */
public interface TriggerRecordListener {

    void onOutcome(TriggerDefinition trigger, InboundRecord record, RecordOutcome outcome);
}
