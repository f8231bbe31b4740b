package io.berth.bridge.impl;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.berth.bridge.BridgeConfiguration.ConsumerOptions;
import io.berth.bridge.Subscription;
import io.berth.delivery.impl.ProducerDeadLetters;

/**
 * The kafka-clients configuration of a subscription's consumer and of the bridge's dead-letter
 * producer: the connection (the file's brokers or {@code KAFKA_*}), the file's group (kafka-hooks'
 * own, so Berth resumes where kafka-hooks committed), manual commits only, and the
 * @platformatic/kafka options that kafka-clients has.
 */
final class BridgeClients {

    private final Map<String, Object> connection;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;

    BridgeClients(Map<String, Object> connection, Duration reconnectInitialDelay, Duration reconnectMaxDelay) {
        this.connection = Map.copyOf(connection);
        this.reconnectInitialDelay = reconnectInitialDelay;
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    Map<String, Object> consumer(Subscription subscription, ConsumerOptions options) {
        Map<String, Object> config = connection();
        config.putAll(options.kafkaProperties());
        config.put("group.id", options.groupId());
        config.put("client.id", "berth-bridge-" + subscription.topic());
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", options.autoOffsetReset());
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        // A poll's records wait in their partition's backlog: this bounds the memory of a paused partition
        // (the fetched bytes are held by the consumer either way). Kafka's default of 500 at least: fewer
        // polls per record.
        config.put("max.poll.records", Math.min(Math.max(Batcher.recordsInFlightPerPartition(subscription), 500),
                10_000));
        return config;
    }

    Map<String, Object> producer() {
        return ProducerDeadLetters.producerConfig(connection(), "berth-bridge-dlq");
    }

    private Map<String, Object> connection() {
        Map<String, Object> config = new HashMap<>(connection);
        config.put("reconnect.backoff.ms", reconnectInitialDelay.toMillis());
        config.put("reconnect.backoff.max.ms", reconnectMaxDelay.toMillis());
        return config;
    }
}
