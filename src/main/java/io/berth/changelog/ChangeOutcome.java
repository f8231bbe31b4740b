package io.berth.changelog;

import java.util.List;

import io.berth.delivery.RecordOutcome;

/** The outcomes of a change-log record beyond those every capability shares (dead-lettered, abandoned). */
public interface ChangeOutcome extends RecordOutcome {

    /** Not addressed to an agent ({@code changelogDestination.agent} is not true): committed, not handled. */
    record NotForAgent() implements ChangeOutcome {
        @Override
        public String label() {
            return "not_for_agent";
        }
    }

    /** For an agent, but no handler selects it and no mapping is enabled for it: another agent's. */
    record NotClaimed(String event) implements ChangeOutcome {
        @Override
        public String label() {
            return "not_claimed";
        }
    }

    /** Every route took the event (handlers succeeded, the webhook answered 2xx). */
    record Delivered(String event, List<String> routes) implements ChangeOutcome {
        @Override
        public String label() {
            return "delivered";
        }
    }

    /**
     * The event carried {@code context.runId}: its routes ran and their result was reported to that
     * run in Port ({@code status} SUCCESS or FAILURE, or null when the webhook left the run open).
     */
    record Reported(String event, String runId, List<String> routes, String status) implements ChangeOutcome {
        @Override
        public String label() {
            return "reported";
        }
    }
}
