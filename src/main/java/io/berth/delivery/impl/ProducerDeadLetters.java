package io.berth.delivery.impl;

import java.util.Objects;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

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

    public ProducerDeadLetters(Producer<String, byte[]> producer, String topic, int maxRecordBytes) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        return DeadLetterRecord.store(record, reason, maxRecordBytes, this::produce);
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

    /** The dead-letter topic, for log lines. */
    public String topic() {
        return topic;
    }
}
