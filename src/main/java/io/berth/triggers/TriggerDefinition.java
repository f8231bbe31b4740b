package io.berth.triggers;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.KafkaSecurity;

import io.berth.webhook.DirectWebhook;

/**
 * One validated entry of the triggers file ({@code BERTH_TRIGGERS_PATH}), defaults applied.
 *
 * @param consumerGroup {@code configuration.consumer_group}, default {@code berth-triggers-{id}}
 * @param brokers {@code configuration.brokers}; empty: {@code KAFKA_BROKERS}
 * @param maxInFlight records of this trigger whose target is running at once
 * @param deadLetterTopic {@code dlq}, default {@code {topic}.dlq}
 * @param security {@code configuration.security}: the trigger's own TLS and SASL, replacing
 *        {@code KAFKA_*}'s; empty: {@code KAFKA_*}'s
 */
public record TriggerDefinition(String id, String topic, String consumerGroup, Optional<String> brokers,
        boolean fromBeginning, OptionalInt sessionTimeoutMs, OptionalInt heartbeatIntervalMs, int maxInFlight,
        Ordering ordering, String deadLetterTopic, Target target, Optional<KafkaSecurity> security) {

    /** A trigger that connects as {@code KAFKA_*} says. */
    public TriggerDefinition(String id, String topic, String consumerGroup, Optional<String> brokers,
            boolean fromBeginning, OptionalInt sessionTimeoutMs, OptionalInt heartbeatIntervalMs, int maxInFlight,
            Ordering ordering, String deadLetterTopic, Target target) {
        this(id, topic, consumerGroup, brokers, fromBeginning, sessionTimeoutMs, heartbeatIntervalMs, maxInFlight,
                ordering, deadLetterTopic, target, Optional.empty());
    }

    public TriggerDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(brokers, "brokers");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(security, "security");
    }

    /** Which records of a trigger wait for each other (Confluent Parallel Consumer's three orderings). */
    public enum Ordering {
        /** One record in flight per key (records without a key: per partition). */
        KEY,
        /** One record in flight per partition. */
        PARTITION,
        /** Up to {@code max_in_flight} records at once, in any order. */
        NONE
    }

    /** What a trigger fires. */
    public sealed interface Target {

        /** How log lines and the console name it; never a secret (no header, no query string). */
        String describe();

        /** The file's name for this kind of target: {@code handler}, {@code webhook} or {@code port_action}. */
        String kind();

        /** A {@link TriggerHandler} bean, by its name. */
        record Handler(String name) implements Target {
            @Override
            public String describe() {
                return "handler " + name;
            }

            @Override
            public String kind() {
                return "handler";
            }
        }

        /**
         * An HTTP call whose body is the envelope.
         *
         * @param headers sent as given; values are never logged
         */
        record Webhook(String url, String method, Map<String, String> headers) implements Target {
            public Webhook {
                headers = Map.copyOf(headers);
            }

            @Override
            public String describe() {
                return "webhook " + method + " " + DirectWebhook.safeUrl(url);
            }

            @Override
            public String kind() {
                return "webhook";
            }
        }

        /**
         * A Port self-service action run, started with {@code POST /v1/actions/{action}/runs}.
         *
         * @param entity jq over the envelope giving the entity identifier (day-2 actions), or absent
         * @param properties the action's inputs: an object whose string leaves are jq over the
         *        envelope, or one jq string
         */
        record PortAction(String action, Optional<JsonNode> entity, JsonNode properties) implements Target {
            @Override
            public String describe() {
                return "Port action " + action;
            }

            @Override
            public String kind() {
                return "port_action";
            }
        }
    }
}
