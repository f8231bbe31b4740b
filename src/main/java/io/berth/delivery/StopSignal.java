package io.berth.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Raised once, when Berth begins to stop. Capabilities that wait (for Port to come back, for a
 * retry's pause) read it to give up and leave their record uncommitted, to be delivered again.
 */
public final class StopSignal {

    private final List<Runnable> whenRaised = new CopyOnWriteArrayList<>();
    private volatile boolean raised;

    public boolean raised() {
        return raised;
    }

    /** Raises the signal; the first call runs each {@link #whenRaised} action, on the caller's thread. */
    public void raise() {
        boolean first;
        synchronized (this) {
            first = !raised;
            raised = true;
        }
        if (first) {
            whenRaised.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code action} when the signal is raised (at once when it already is), for a capability
     * that holds records it has not begun to deliver and must let go of them without waiting.
     */
    public void whenRaised(Runnable action) {
        synchronized (this) {
            if (!raised) {
                whenRaised.add(action);
                return;
            }
        }
        action.run();
    }
}
