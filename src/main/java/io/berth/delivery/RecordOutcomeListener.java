package io.berth.delivery;

/**
 * Told of each record's {@link RecordOutcome}, once. Implementations are CDI beans; they must be
 * quick and must not throw (a throwing listener is logged and skipped).
 */
public interface RecordOutcomeListener {

    void onOutcome(InboundRecord record, RecordOutcome outcome);

    /** Handling {@code record} ran out of memory: the process cannot be trusted to go on. */
    default void onOutOfMemory(InboundRecord record, OutOfMemoryError error) {
    }
}
