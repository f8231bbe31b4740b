package io.berth.triggers;

import java.util.List;

/** The triggers this Berth runs, as readiness and the console see them. Empty with no triggers file. */
public interface RunningTriggers {

    /** One per trigger, in the file's order. */
    List<TriggerStatus> statuses();

    /**
     * One trigger, now.
     *
     * @param joined whether its consumer has joined its group (with or without partitions)
     * @param assignedPartitions the partitions of its topic this Berth owns
     * @param inFlight its records taken and not yet ended
     * @param pushed its records are pushed on {@code POST /cloudevents} ({@code BERTH_CLOUDEVENTS_ENABLED=true}):
     *        it has no consumer to join a group
     */
    record TriggerStatus(TriggerDefinition definition, boolean joined, int assignedPartitions, int inFlight,
            boolean pushed) {
    }
}
