package io.berth.config;

import java.util.Objects;

/**
 * A secret value (client secret, Kafka password). Its {@link #toString()} never shows the value,
 * so a secret that reaches a log line, an exception message or a metric by mistake reads {@code ***}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself: pass it only to the code that needs it, never to a logger. */
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "***";
    }
}
