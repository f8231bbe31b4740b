package io.berth.handlers;

import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

/** Where a run goes: a named way to run it (a Java handler, a webhook mapping). */
public interface RunRoute {

    /** Names the route in logs and metrics, e.g. {@code java:DeployHandler} or {@code mapping#2}. */
    String name();

    /** Runs the action; never blocks the calling thread. A failed {@code Uni} is a FAILURE. */
    Uni<RunResult> run(RunContext run);
}
