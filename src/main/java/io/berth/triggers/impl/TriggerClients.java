package io.berth.triggers.impl;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.berth.delivery.impl.ProducerDeadLetters;
import io.berth.triggers.TriggerDefinition;

/**
 * The kafka-clients configuration of a trigger's consumer and dead-letter producer: Berth's Kafka
 * connection ({@code KAFKA_*}: brokers, TLS, SASL), the trigger's own brokers when it names them,
 * manual commits, and reconnects that back off exponentially (kafka-clients' own
 * {@code reconnect.backoff.ms} doubling up to {@code reconnect.backoff.max.ms}).
 */
final class TriggerClients {

    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;

    TriggerClients(Duration reconnectInitialDelay, Duration reconnectMaxDelay) {
        this.reconnectInitialDelay = reconnectInitialDelay;
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    Map<String, Object> consumer(TriggerDefinition trigger, Map<String, Object> connection) {
        Map<String, Object> config = connectionFor(trigger, connection);
        config.put("group.id", trigger.consumerGroup());
        config.put("client.id", "berth-trigger-" + trigger.id());
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", trigger.fromBeginning() ? "earliest" : "latest");
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        config.put("max.poll.records", Math.max(trigger.maxInFlight(), 100));
        trigger.sessionTimeoutMs().ifPresent(ms -> config.put("session.timeout.ms", ms));
        trigger.heartbeatIntervalMs().ifPresent(ms -> config.put("heartbeat.interval.ms", ms));
        return config;
    }

    Map<String, Object> producer(TriggerDefinition trigger, Map<String, Object> connection) {
        return ProducerDeadLetters.producerConfig(connectionFor(trigger, connection),
                "berth-trigger-" + trigger.id() + "-dlq");
    }

    /** KAFKA_* (SASL, TLS) or the trigger's own security, its own brokers when it names them; exponential reconnects. */
    private Map<String, Object> connectionFor(TriggerDefinition trigger, Map<String, Object> connection) {
        Map<String, Object> config = trigger.security().map(own -> own.replacing(connection))
                .orElseGet(() -> new HashMap<>(connection));
        trigger.brokers().ifPresent(brokers -> config.put("bootstrap.servers", brokers));
        config.put("reconnect.backoff.ms", reconnectInitialDelay.toMillis());
        config.put("reconnect.backoff.max.ms", reconnectMaxDelay.toMillis());
        return config;
    }
}
