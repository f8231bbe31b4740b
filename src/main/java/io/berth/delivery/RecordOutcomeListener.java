package io.berth.delivery;

/**
 * Told of each record the dispatcher takes, and of its {@link RecordOutcome}, once. Implementations are CDI beans; they must be
 * quick and must not throw (a throwing listener is logged and skipped). They are {@code @Singleton}s: called for every record,
 * an {@code @ApplicationScoped} bean's client proxy looked its instance up in the application context at each call.
 */
public interface RecordOutcomeListener {

    /**
     * The dispatcher took {@code record}: its outcome follows, once, whatever happens (records in
     * flight, their age and the counts of records received are told from this and the outcome).
     */
    default void onReceived(InboundRecord record) {
    }

    void onOutcome(InboundRecord record, RecordOutcome outcome);

    /** Handling {@code record} ran out of memory: the process cannot be trusted to go on. */
    default void onOutOfMemory(InboundRecord record, OutOfMemoryError error) {
    }
}
