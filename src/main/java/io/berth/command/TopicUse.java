package io.berth.command;

import java.util.Objects;
import java.util.Optional;

/**
 * A topic Berth would consume or write.
 *
 * @param brokers the brokers a capability's own file names (a trigger's, the bridge's); empty:
 *        Berth's connection ({@code KAFKA_BROKERS}, or the brokers Port issues)
 * @param use who uses it and how, e.g. {@code consumed by trigger 'orders'}
 */
public record TopicUse(String topic, Optional<String> brokers, String use) {

    public TopicUse {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(brokers, "brokers");
        Objects.requireNonNull(use, "use");
    }

    /** On Berth's own connection. */
    public static TopicUse of(String topic, String use) {
        return new TopicUse(topic, Optional.empty(), use);
    }
}
