package io.berth.handlers.deploy;

/**
 * A deployment that cannot go on, with a message for the user who ran it (what happened, what to
 * check). Never carries a token: messages are built from statuses, ids and the system's error text.
 */
class DeployFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DeployFailure(String message) {
        super(message, null, false, false);
    }

    /** A failure that may pass (a 5xx, a 429, no answer): reading the state is tried again. */
    static final class Transient extends DeployFailure {
        private static final long serialVersionUID = 1L;

        Transient(String message) {
            super(message);
        }
    }
}
