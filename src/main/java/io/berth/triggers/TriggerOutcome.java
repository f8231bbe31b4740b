package io.berth.triggers;

import io.berth.delivery.RecordOutcome;

/** The outcomes of a trigger's record beyond those every capability shares (dead-lettered, abandoned). */
public interface TriggerOutcome extends RecordOutcome {

    /** The trigger that consumed the record. */
    String triggerId();

    /** The target accepted the record: a handler's success, a webhook's 2xx, a Port run started. */
    record Fired(String triggerId, String target, String detail) implements TriggerOutcome {
        @Override
        public String label() {
            return "fired";
        }
    }
}
