package io.berth.delivery;

/**
 * How a record ended. Each record consumed by Berth gets exactly one, announced to every
 * {@link RecordOutcomeListener} (which commit, count and show it).
 *
 * <p>The outcomes every capability shares are here; a capability adds its own (the runs pipeline's
 * are {@code io.berth.runs.RunOutcome}). Only {@link Abandoned} leaves a record uncommitted.
 *
 * <pre>
 *  record ─► unusable (the capability says why) ─┬─► dead-letter topic ───────► DeadLettered
 *        └─► unexpected failure (its class) ─────┘   refused past the retries ─► DeadLetterFailed
 *        └─► the capability's own outcome (handled, skipped, ...) ───────────► e.g. RunOutcome.Finished
 *        └─► Berth stopping before the outcome was safe ────────────────────► Abandoned (redelivered)
 * </pre>
 */
public interface RecordOutcome {

    /** Whether the record's offset may be committed. Only an abandoned record must be redelivered. */
    default boolean committable() {
        return true;
    }

    /** Short label for metrics: a fixed vocabulary, never a value taken from the record. */
    String label();

    /** Stored on the dead-letter topic with {@code reason}. */
    record DeadLettered(String reason) implements RecordOutcome {
        @Override
        public String label() {
            return "dead_lettered";
        }
    }

    /**
     * The dead-letter topic refused the record for longer than the retries allow (missing topic, no
     * write permission), or for good (too large): logged at ERROR with the record's coordinates and
     * committed, so that one unwritable topic does not stop its partition for good.
     */
    record DeadLetterFailed(String reason) implements RecordOutcome {
        @Override
        public String label() {
            return "dead_letter_failed";
        }
    }

    /**
     * Berth stopped before the record's outcome was safe: not committed, so that the record is
     * delivered again, to this process after a restart or to another consumer of the group.
     *
     * @param subject what the record was about (a run id), or null when that is not known yet
     */
    record Abandoned(String subject, String reason) implements RecordOutcome {
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
