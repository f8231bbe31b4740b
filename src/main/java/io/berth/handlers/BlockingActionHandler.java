package io.berth.handlers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.berth.runs.RunContext;

/**
 * An {@link ActionHandler} whose code blocks. Berth calls it on a bounded worker pool, never on an
 * event loop. Returning normally without a result means success; any exception is a FAILURE
 * carrying the exception's message.
 */
public interface BlockingActionHandler {

    /**
     * How long one run may take before it fails (and, for a blocking handler, is interrupted);
     * empty: {@code BERTH_RUNS_HANDLER_TIMEOUT}.
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * Why this handler is not offered, or empty when it is. A handler whose configuration is absent
     * answers with the setting a user must give (e.g. {@code "BERTH_DATABASE_ADMIN_URL is not set"});
     * Berth then routes none of its actions to it, and {@code list} prints the reason. Answer from
     * configuration alone: this is called once at start-up and must not connect anywhere. A handler
     * marked {@link OfferedWhenSet} is not even made while none of its properties is set, which
     * spares its bean and what it loads.
     */
    default Optional<String> inactiveReason() {
        return Optional.empty();
    }

    /** As {@link ActionHandler#settingsProblems()}: asked at start-up; a problem stops it. */
    default List<String> settingsProblems() {
        return List.of();
    }

    /** The action identifiers this handler serves. */
    Set<String> actions();

    /** Runs one action run on a worker thread. */
    RunResult handle(RunContext run) throws Exception;
}
