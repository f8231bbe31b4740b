package io.berth.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code STREAMER_NAME}, port-agent's choice of how runs reach the agent: from the runs topic
 * ({@code KAFKA}, the default) or claimed from Port's API ({@code POLLING}, no Kafka at all).
 */
public enum Streamer {
    KAFKA,
    POLLING;

    /** The streamer a value names, in any case and with spaces around it; empty for anything else. */
    public static Optional<Streamer> parse(String value) {
        String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(streamer -> streamer.name().equals(name)).findFirst();
    }

    /** The streamer {@code settings} name; {@link #KAFKA} for a value that names none (start-up refuses it first). */
    public static Streamer of(StreamerSettings settings) {
        return parse(settings.name()).orElse(KAFKA);
    }

    /** The start-up refusal of a value that names no streamer. */
    public static String problem(String value) {
        return "STREAMER_NAME must be KAFKA (the runs topic, the default) or POLLING (claim runs from Port's API, "
                + "no Kafka), was '" + value + "'";
    }
}
