package io.berth.runs;

import io.smallrye.mutiny.Uni;

/**
 * Takes records from the runs topic and sees each through to its {@link RecordOutcome}.
 *
 * <p>{@link #dispatch} completes as soon as the record is accepted, which may be before the run
 * ends: that is how the consumer is held back (backpressure) when the configured number of runs is
 * in flight. The outcome is announced to the {@link RecordOutcomeListener}s when it is known.
 */
public interface RunDispatcher {

    Uni<Void> dispatch(InboundRecord record);

    /** Stops taking new records and waits, up to the grace period, for in-flight runs to end. */
    void drain();
}
