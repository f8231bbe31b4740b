package io.berth.changelog.impl;

import io.berth.changelog.ChangeEvent;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

/** Where a change event goes: a Java {@link io.berth.changelog.ChangeHandler}, or a mapping-file webhook. */
interface ChangeRoute {

    /** For log lines, outcomes and reasons: {@code handler DeployNotifier}, {@code mapping#2}. */
    String name();

    /** Delivers an event that carries no run; fails, with a reason fit for a dead letter, when it could not. */
    Uni<Void> deliver(ChangeEvent event);

    /** Delivers an event of {@code run} (its {@code context.runId}); never fails: see the result. */
    Uni<RunResult> run(ChangeEvent event, RunContext run);
}
