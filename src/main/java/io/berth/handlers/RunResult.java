package io.berth.handlers;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a handler ended a run. Exactly one of these is reported to Port per run:
 *
 * <ul>
 *   <li>{@link Succeeded}: terminal status SUCCESS, with an optional summary (and, for a workflow
 *       node run, an optional output: the node's {@code output} in Port);
 *   <li>{@link Failed}: terminal status FAILURE, the reason as summary;
 *   <li>{@link LeftOpen}: no terminal status; the system the handler called finishes the run
 *       (port-agent's rule for an asynchronous webhook that answered 2xx).
 * </ul>
 */
public sealed interface RunResult {

    static RunResult success() {
        return new Succeeded(null);
    }

    static RunResult success(String summary) {
        return new Succeeded(summary);
    }

    /**
     * Success with an output: a workflow node run ends with it as its {@code output}, which later
     * nodes of the workflow read; an action run has no output, so there it is not sent.
     */
    static RunResult success(String summary, JsonNode output) {
        return new Succeeded(summary, output);
    }

    static RunResult failure(String reason) {
        return new Failed(reason);
    }

    static RunResult leftOpen() {
        return LeftOpen.INSTANCE;
    }

    /** The run succeeded; {@code summary} and {@code output} may be null. */
    record Succeeded(String summary, JsonNode output) implements RunResult {

        public Succeeded(String summary) {
            this(summary, null);
        }
    }

    /** The run failed for {@code reason}, which Port shows as the run's summary. */
    record Failed(String reason) implements RunResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The run stays IN_PROGRESS: another system reports its end. */
    enum LeftOpen implements RunResult {
        INSTANCE
    }
}
