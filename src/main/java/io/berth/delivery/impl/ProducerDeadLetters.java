package io.berth.delivery.impl;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.berth.delivery.DeadLetterFormat;
import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;

/**
 * {@link DeadLetters} on one Kafka topic through a plain {@link Producer}, for consumers that are
 * not reactive-messaging channels (topic triggers, declared at runtime). Same record as
 * {@link KafkaDeadLetters}: {@link DeadLetterRecord}. The producer is the caller's to close.
 */
public final class ProducerDeadLetters implements DeadLetters {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final int maxRecordBytes;
    private final DeadLetterFormat format;

    public ProducerDeadLetters(Producer<String, byte[]> producer, String topic, int maxRecordBytes) {
        this(producer, topic, maxRecordBytes, DeadLetterFormat.ORIGINAL);
    }

    /** @param format writes the dead letter's value (the bridge: kafka-hooks' JSON) */
    public ProducerDeadLetters(Producer<String, byte[]> producer, String topic, int maxRecordBytes,
            DeadLetterFormat format) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.maxRecordBytes = maxRecordBytes;
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        return send(record, reason, null);
    }

    @Override
    public Uni<Void> send(InboundRecord record, String reason, Object detail) {
        return DeadLetterRecord.store(record, reason, detail, format, maxRecordBytes, this::produce);
    }

    private Uni<Void> produce(DeadLetterRecord letter) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                producer.send(new ProducerRecord<>(topic, null, letter.key(), letter.value(), letter.headers()),
                        (metadata, failure) -> {
                            if (failure != null) {
                                emitter.fail(failure);
                            } else {
                                emitter.complete(null);
                            }
                        });
            } catch (RuntimeException refused) {
                // send() throws at once when the buffer is full past max.block.ms, or the producer is closed.
                emitter.fail(refused);
            }
        });
    }

    /**
     * The settings of a producer of dead letters, on {@code connection}: every replica acknowledges
     * (a dead letter is the record's only copy once its offset is committed), idempotent, and a full
     * buffer fails a send after 10 s instead of blocking its caller for good.
     */
    public static Map<String, Object> producerConfig(Map<String, Object> connection, String clientId) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put("client.id", clientId);
        config.put("acks", "all");
        config.put("enable.idempotence", true);
        config.put("max.block.ms", 10_000);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", ByteArraySerializer.class.getName());
        return config;
    }

    /** The dead-letter topic, for log lines. */
    public String topic() {
        return topic;
    }
}
