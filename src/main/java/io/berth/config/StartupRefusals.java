package io.berth.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * What a start-up check does with the problems it found. The service stops: one
 * {@link ConfigurationException} naming each. A command ({@code validate}, {@link CommandMode}) keeps
 * them here and lets start-up go on, so that it can print every check it can still run, these
 * problems first ({@link #recorded}), and exit non-zero.
 */
public final class StartupRefusals {

    private static final String PREFIX = "Berth cannot start:\n  - ";
    private static final List<String> RECORDED = new CopyOnWriteArrayList<>();

    private StartupRefusals() {
    }

    /** Stops start-up with {@code problems} (each names the variable and the fix), or records them in a command. */
    public static void refuse(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        if (!CommandMode.active()) {
            throw new ConfigurationException(PREFIX + String.join("\n  - ", problems));
        }
        RECORDED.addAll(problems);
    }

    /** A refusal a bean threw while it was made (its message in the service's format): recorded, in a command. */
    public static void record(RuntimeException refusal) {
        if (!CommandMode.active()) {
            throw refusal;
        }
        RECORDED.addAll(problemsIn(refusal));
    }

    /** The problems of a refusal's message, one per "  - " line. */
    public static List<String> problemsIn(Throwable refusal) {
        String message = String.valueOf(refusal.getMessage());
        return List.of(message.replaceFirst("^Berth cannot start:\\s*(-\\s*)?", "").split("\\R\\s*-\\s*"));
    }

    /** The problems recorded so far, in the order they were found. */
    public static List<String> recorded() {
        return List.copyOf(RECORDED);
    }
}
