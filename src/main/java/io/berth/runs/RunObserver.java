package io.berth.runs;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Told of a run's life while it is handled, as it happens: picked up, then whatever the handler
 * reports through its {@link RunContext}. How the run ended comes afterwards as a
 * {@link RecordOutcome} ({@link RecordOutcomeListener}). The implementation is a CDI bean (at most
 * one; without one nothing is observed); it must return at once, and what it throws is logged and
 * never reaches the handler.
 *
 * <pre>
 *  started ─► progress | linked | externalRunId | published ... ─► (outcome listener) Finished
 * </pre>
 */
public interface RunObserver {

    /** The run was picked up and is about to go to {@code handler}. */
    default void started(RunContext run, String handler) {
    }

    /** The handler reported progress; {@code estimatedCompletion} may be null. */
    default void progress(RunContext run, int percent, String message, Instant estimatedCompletion) {
    }

    /** The handler set the run's links. */
    default void linked(RunContext run, List<String> urls) {
    }

    /** The handler set the run's id in the system it called. */
    default void externalRunId(RunContext run, String id) {
    }

    /** The handler published a domain event ({@link RunContext#publish}); {@code key} may be null. */
    default void published(RunContext run, String name, String key, ObjectNode data) {
    }
}
