package io.berth.delivery.impl;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@link DeadLetters} on a Kafka topic, through a reactive-messaging emitter (the runs use
 * {@code {PORT_ORG_ID}.runs.dlq} unless {@code BERTH_RUNS_DEAD_LETTER_TOPIC} says otherwise), with
 * SmallRye's dead-letter header names so that existing tooling reads them. A record over the size limit is stored without its value (the
 * broker would refuse it): its coordinates say where to find it in the runs topic.
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
        byte[] value = record.value();
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", utf8(reason));
        headers.add("dead-letter-topic", utf8(record.topic()));
        headers.add("dead-letter-partition", utf8(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", utf8(Long.toString(record.offset())));
        if (value != null && value.length > maxRecordBytes) {
            headers.add("dead-letter-value-omitted", utf8(value.length + " bytes"));
            value = new byte[0];
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
