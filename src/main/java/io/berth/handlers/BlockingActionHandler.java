package io.berth.handlers;

import java.util.Set;

import io.berth.runs.RunContext;

/**
 * An {@link ActionHandler} whose code blocks. Berth calls it on a bounded worker pool, never on an
 * event loop. Returning normally without a result means success; any exception is a FAILURE
 * carrying the exception's message.
 */
public interface BlockingActionHandler {

    /** The action identifiers this handler serves. */
    Set<String> actions();

    /** Runs one action run on a worker thread. */
    RunResult handle(RunContext run) throws Exception;
}
