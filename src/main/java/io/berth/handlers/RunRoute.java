package io.berth.handlers;

import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

/** Where a run goes: a named way to run it (a Java handler, a webhook mapping). */
public interface RunRoute {

    /** Names the route in logs and metrics, e.g. {@code java:DeployHandler} or {@code mapping#2}. */
    String name();

    /**
     * True for a route that acts towards other systems in Port's name and must never be chosen by
     * whoever can write to the runs topic (a mapping-file webhook): an unsigned run routed here is
     * dead-lettered instead.
     */
    default boolean signedRunsOnly() {
        return false;
    }

    /** Runs the action; never blocks the calling thread. A failed {@code Uni} is a FAILURE. */
    Uni<RunResult> run(RunContext run);
}
