package io.berth.runs;

import java.time.Duration;

import io.berth.delivery.RecordOutcome;
import io.berth.handlers.RunResult;

/**
 * How a record of the runs topic can end, beyond the outcomes every capability shares
 * ({@link RecordOutcome}: dead-lettered, abandoned).
 *
 * <pre>
 *  record ─► bad bytes, bad JSON, bad signature, no run id ─────────────► RecordOutcome.DeadLettered
 *        └─► run ─► no Java handler, no mapping claims it ──────────────► NotClaimed
 *               └─► seen already (memory, or terminal in Port) ─────────► Duplicate
 *               └─► handled ─► terminal status (or none) reported ──────► Finished
 *                           └─► shutting down before it was reported ──► RecordOutcome.Abandoned
 * </pre>
 */
public sealed interface RunOutcome extends RecordOutcome {

    /** The run id the outcome is about. */
    String runId();

    record NotClaimed(String runId, String action) implements RunOutcome {
        @Override
        public String label() {
            return "not_claimed";
        }
    }

    record Duplicate(String runId, String howRecognised) implements RunOutcome {
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
            boolean alreadyEnded) implements RunOutcome {
        @Override
        public String label() {
            if (result instanceof RunResult.Succeeded) {
                return "success";
            }
            return result instanceof RunResult.Failed ? "failure" : "left_open";
        }
    }
}
