package io.berth.delivery.impl;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@link DeadLetters} on a Kafka topic, through a reactive-messaging emitter (the runs use
 * {@code {PORT_ORG_ID}.runs.dlq} unless {@code BERTH_RUNS_DEAD_LETTER_TOPIC} says otherwise), each
 * one a {@link DeadLetterRecord}.
 */
public final class KafkaDeadLetters implements DeadLetters {

    private final MutinyEmitter<byte[]> emitter;
    private final int maxRecordBytes;

    /** @param maxRecordBytes values larger than this are stored without their value */
    public KafkaDeadLetters(MutinyEmitter<byte[]> emitter, int maxRecordBytes) {
        this.emitter = emitter;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        return DeadLetterRecord.store(record, reason, maxRecordBytes, letter -> {
            OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(letter.key())
                    .withHeaders(letter.headers())
                    .build();
            return emitter.sendMessage(Message.of(letter.value()).addMetadata(metadata));
        });
    }
}
