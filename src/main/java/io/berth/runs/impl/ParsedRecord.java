package io.berth.runs.impl;

import java.time.Instant;

import io.berth.runs.PortRun;

/** What {@link RunMessageParser} made of a record: a run, or the reason it is not one. */
sealed interface ParsedRecord {

    /**
     * @param inputProblem why the run's inputs are unusable, or null: a claimed run with a problem
     *        is reported FAILURE with it, without calling its handler
     * @param signedAt when Port signed the run (its verified {@code X-Port-Timestamp}), or null for
     *        an unsigned run
     */
    record Run(PortRun run, String inputProblem, Instant signedAt) implements ParsedRecord {

        boolean signed() {
            return signedAt != null;
        }
    }

    /** A record no executor can use: it goes to the dead-letter topic with {@code reason}. */
    record Unusable(String reason) implements ParsedRecord {
    }
}
