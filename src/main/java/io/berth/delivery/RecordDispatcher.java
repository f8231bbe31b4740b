package io.berth.delivery;

import io.smallrye.mutiny.Uni;

/**
 * Takes the records of one source (a topic's channel, records pushed over HTTP) and sees each
 * through to its {@link RecordOutcome}, through the source's {@link RecordHandler}.
 *
 * <p>{@link #dispatch} completes as soon as the record is accepted, which may be before it is
 * delivered: that is how the source is held back (backpressure) while the configured number of
 * records is in flight. The outcome is announced to the {@link RecordOutcomeListener}s when known.
 */
public interface RecordDispatcher {

    Uni<Void> dispatch(InboundRecord record);

    /** Stops taking new records and waits, up to the grace period, for in-flight records to end. */
    void drain();
}
