package io.berth.config;

import java.util.Map;
import java.util.Optional;

/**
 * Whether this process runs a one-off command ({@code java -jar quarkus-run.jar validate} or
 * {@code list}) instead of the service. A command starts Berth's beans to read its settings and files,
 * but nothing consumes, claims, publishes or announces: the Kafka channels are switched off before
 * SmallRye reads them, the wirings that start consumers return at once, the HTTP server binds no port
 * (a command run next to a running Berth, in its container, must not collide with it), and log lines
 * go to stderr so that stdout holds only the command's output.
 *
 * <p>Why system properties: they are set in {@code main}, before Quarkus reads any configuration, and
 * they win over every other source (a {@code MP_MESSAGING_INCOMING_RUNS_ENABLED=true} in the
 * environment must not make {@code validate} join the runs' consumer group).
 */
public final class CommandMode {

    /** The command this process runs, e.g. {@code validate}; unset when it runs the service. */
    public static final String PROPERTY = "berth.command";

    private CommandMode() {
    }

    /** Whether a command runs (set by {@link #enter}), not the service. */
    public static boolean active() {
        return command().isPresent();
    }

    /** The command this process runs, if any. */
    public static Optional<String> command() {
        return Optional.ofNullable(System.getProperty(PROPERTY));
    }

    /**
     * Switches this process to {@code command}: called by {@code main} before Quarkus starts.
     *
     * @param environment the process environment: a log level set there is kept
     */
    public static void enter(String command, Map<String, String> environment) {
        System.setProperty(PROPERTY, command);
        for (String channel : new String[] { RunsConsumption.CHANNEL_ENABLED, RunsConsumption.DEAD_LETTERS_ENABLED,
                RunsConsumption.CHANGELOG_ENABLED, RunsConsumption.CHANGELOG_DEAD_LETTERS_ENABLED }) {
            System.setProperty(channel, "false");
        }
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.log.console.stderr", "true");
        if (!environment.containsKey("LOG_LEVEL") && !environment.containsKey("QUARKUS_LOG_LEVEL")) {
            // Only what needs attention: the command's own lines say the rest.
            System.setProperty("quarkus.log.level", "WARN");
        }
        // What these would say at start-up is the service's concern, or a FAIL line already says it.
        for (String category : new String[] { "org.apache.kafka", "io.smallrye.reactive.messaging.provider",
                "io.berth.console.ConsoleGuard" }) {
            System.setProperty("quarkus.log.category.\"" + category + "\".level", "ERROR");
        }
    }
}
