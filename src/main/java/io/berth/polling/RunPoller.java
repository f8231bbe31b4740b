package io.berth.polling;

import java.time.Instant;
import java.util.Optional;

/**
 * Claims runs from Port and feeds them to the runs' delivery core, one claim at a time.
 *
 * <p>Lifecycle: {@code STARTING} until the first claim answers, then {@code POLLING}; a claim that
 * fails is tried again after a growing pause, and {@code GAVE_UP} once claims have failed for longer
 * than {@code POLLING_MAX_FAILURE_DURATION_SECONDS}; {@code STOPPED} on shutdown, after which it
 * claims nothing more (runs it claimed and did not finish come back after Port's visibility timeout).
 */
public interface RunPoller {

    enum State {
        STARTING,
        POLLING,
        GAVE_UP,
        STOPPED
    }

    State state();

    /** Runs claimed here and not yet acknowledged (an abandoned run stays counted: Berth is stopping). */
    int inFlight();

    /** Since when claims have been failing without a success in between; empty while they succeed. */
    Optional<Instant> failingSince();
}
