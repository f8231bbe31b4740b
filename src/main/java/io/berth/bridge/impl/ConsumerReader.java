package io.berth.bridge.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.berth.bridge.BridgeConfiguration.ConsumerOptions;

/**
 * The file's {@code consumer} object: any @platformatic/kafka consumer option is accepted (a
 * kafka-hooks file must work unchanged); the group, the start position and the options kafka-clients
 * also has are used, the others are ignored with one log line.
 *
 * <pre>
 *  mode committed ─► fallbackMode: earliest | latest | fail (auto.offset.reset none)
 *  mode earliest | latest ─► that, when the group has no committed offset
 *  (Berth always resumes from the group's committed offsets: what a restart needs to lose nothing)
 * </pre>
 */
final class ConsumerReader {

    private static final Logger LOG = Logger.getLogger(ConsumerReader.class);

    /** @platformatic/kafka's option → kafka-clients' property (both in milliseconds or bytes). */
    private static final Map<String, String> EQUIVALENTS = Map.of(
            "sessionTimeout", "session.timeout.ms",
            "heartbeatInterval", "heartbeat.interval.ms",
            "rebalanceTimeout", "max.poll.interval.ms",
            "maxWaitTime", "fetch.max.wait.ms",
            "minBytes", "fetch.min.bytes",
            "maxBytes", "fetch.max.bytes");

    private ConsumerReader() {
    }

    /** @param consumer the {@code consumer} object, or null when the file has none */
    static ConsumerOptions read(Fields consumer, List<String> problems) {
        if (consumer == null) {
            return new ConsumerOptions(ConsumerOptions.DEFAULT_GROUP, "latest", Map.of());
        }
        String groupId = consumer.text("groupId", ConsumerOptions.DEFAULT_GROUP);
        if (groupId != null && groupId.isBlank()) {
            consumer.problem("groupId", "must not be empty, e.g. \"plt-kafka-hooks\"");
        }
        String mode = consumer.text("mode", "latest");
        String fallback = consumer.text("fallbackMode", "latest");
        String reset = "latest";
        if (mode != null) {
            switch (mode) {
                case "earliest", "latest" -> reset = mode;
                case "committed" -> reset = fallback(consumer, fallback);
                case "manual" -> consumer.problem("mode", "manual (offsets given in the file) is not supported: Berth "
                        + "commits offsets itself so that a restart loses nothing; use \"committed\"");
                default -> consumer.problem("mode", "must be latest, earliest or committed, was '" + mode + "'");
            }
        }
        if (consumer.has("offsets")) {
            consumer.problem("offsets", "is not supported (it goes with mode manual): remove it");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        EQUIVALENTS.forEach((option, property) -> {
            if (consumer.has(option)) {
                properties.put(property, consumer.integer(option, 0, 0));
            }
        });
        List<String> ignored = new java.util.ArrayList<>();
        consumer.names().forEach(name -> {
            if (!EQUIVALENTS.containsKey(name) && !List.of("groupId", "mode", "fallbackMode", "offsets").contains(name)) {
                ignored.add(name);
            }
        });
        if (!ignored.isEmpty()) {
            LOG.infof("Bridge: consumer options %s have no Berth equivalent and are ignored", ignored);
        }
        return new ConsumerOptions(groupId == null || groupId.isBlank() ? ConsumerOptions.DEFAULT_GROUP : groupId,
                reset, properties);
    }

    private static String fallback(Fields consumer, String fallback) {
        if (fallback == null) {
            return "latest";
        }
        return switch (fallback) {
            case "earliest", "latest" -> fallback;
            case "fail" -> "none";
            default -> {
                consumer.problem("fallbackMode", "must be latest, earliest or fail, was '" + fallback + "'");
                yield "latest";
            }
        };
    }
}
