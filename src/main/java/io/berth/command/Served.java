package io.berth.command;

import java.util.Objects;

/**
 * One line of {@code list}: something Berth would serve and what handles it.
 *
 * @param kind {@code action}, {@code change}, {@code trigger}, {@code bridge}, {@code publish},
 *        {@code route}
 * @param name the action identifier, trigger id, topic or route
 * @param handledBy what handles it, e.g. {@code java:DeployService} or {@code webhook POST http://...}
 */
public record Served(String kind, String name, String handledBy) {

    public Served {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handledBy, "handledBy");
    }

    public String line() {
        return String.format("%-8s %-32s %s", kind, name, handledBy);
    }
}
