package io.berth.runs;

import java.time.Duration;

import io.berth.handlers.RunResult;

/**
 * Every way a record from the runs topic can end. Each record gets exactly one; listeners
 * ({@link RecordOutcomeListener}) turn them into offset commits, metrics and log lines.
 *
 * <pre>
 *  record ─► bad bytes, bad JSON, bad signature, no run id ─────────────► DeadLettered
 *                                      (dead-letter topic refuses it) ─► DeadLetterFailed
 *        └─► run ─► no Java handler, no mapping claims it ──────────────► NotClaimed
 *               └─► seen already (memory, or terminal in Port) ─────────► Duplicate
 *               └─► handled ─► terminal status (or none) reported ──────► Finished
 *                           └─► shutting down before it was reported ──► Abandoned (not committed)
 *        └─► an unexpected failure of Berth's own, anywhere on the way ───► DeadLettered
 * </pre>
 */
public sealed interface RecordOutcome {

    /** Whether the record's offset may be committed. Only an abandoned run must be redelivered. */
    default boolean committable() {
        return true;
    }

    /** Short label for metrics. */
    String label();

    record DeadLettered(String reason) implements RecordOutcome {
        @Override
        public String label() {
            return "dead_lettered";
        }
    }

    /**
     * The dead-letter topic refused the record for longer than the retries allow (missing topic), or
     * with a failure that retrying cannot fix (no write permission): logged at ERROR with the record's coordinates and committed, so that one
     * unwritable topic does not stop its partition for good.
     */
    record DeadLetterFailed(String reason) implements RecordOutcome {
        @Override
        public String label() {
            return "dead_letter_failed";
        }
    }

    record NotClaimed(String runId, String action) implements RecordOutcome {
        @Override
        public String label() {
            return "not_claimed";
        }
    }

    record Duplicate(String runId, String howRecognised) implements RecordOutcome {
        @Override
        public String label() {
            return "duplicate";
        }
    }

    /**
     * @param handler the handler's name
     * @param alreadyEnded Port refused the terminal status because the run had ended already
     */
    record Finished(String runId, String action, String handler, RunResult result, Duration took,
            boolean alreadyEnded) implements RecordOutcome {
        @Override
        public String label() {
            if (result instanceof RunResult.Succeeded) {
                return "success";
            }
            return result instanceof RunResult.Failed ? "failure" : "left_open";
        }
    }

    record Abandoned(String runId, String reason) implements RecordOutcome {
        @Override
        public boolean committable() {
            return false;
        }

        @Override
        public String label() {
            return "abandoned";
        }
    }
}
