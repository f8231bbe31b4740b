package io.berth.runs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How a progress report reads in Port: one log line and a short status label. */
public final class RunProgress {

    private RunProgress() {
    }

    /** {@code percent} within 0..100: a handler's arithmetic slip must not fail its run. */
    public static int clamp(int percent) {
        return Math.max(0, Math.min(100, percent));
    }

    /** {@code "[65%] Configuring interfaces (estimated completion 2024-07-09T14:35:00Z)"}. */
    static String line(int percent, String message, Instant estimatedCompletion) {
        String line = "[" + clamp(percent) + "%] " + (message == null ? "" : message);
        return estimatedCompletion == null ? line
                : line + " (estimated completion " + estimatedCompletion.truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    /** {@code "Configuring interfaces (65%)"}. */
    static String label(int percent, String message) {
        return (message == null || message.isBlank() ? "In progress" : message) + " (" + clamp(percent) + "%)";
    }
}
