package io.berth.runs.impl;

import java.util.Optional;

import io.berth.handlers.RunRoute;
import io.berth.runs.PortRun;

/** Chooses the route of a run, or none when the run belongs to another executor. */
@FunctionalInterface
interface RunRouter {

    Optional<RunRoute> route(PortRun run);
}
