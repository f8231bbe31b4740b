package io.berth.delivery;

/**
 * Raised once, when Berth begins to stop. Capabilities that wait (for Port to come back, for a
 * retry's pause) read it to give up and leave their record uncommitted, to be delivered again.
 */
public final class StopSignal {

    private volatile boolean raised;

    public boolean raised() {
        return raised;
    }

    public void raise() {
        raised = true;
    }
}
