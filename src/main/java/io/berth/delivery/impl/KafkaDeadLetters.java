package io.berth.delivery.impl;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.berth.delivery.ControlCharacters;
import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * {@link DeadLetters} on a Kafka topic, through a reactive-messaging emitter (the runs use
 * {@code {PORT_ORG_ID}.runs.dlq} unless {@code BERTH_RUNS_DEAD_LETTER_TOPIC} says otherwise), with
 * SmallRye's dead-letter header names so that existing tooling reads them; header values are escaped ({@link ControlCharacters}). A record
 * over the size limit, or one that the dead-letter topic refuses as too large once the headers are
 * added, is stored without its value ({@code dead-letter-value-omitted}: its size): its coordinates
 * say where to find it in its topic.
 */
public final class KafkaDeadLetters implements DeadLetters {

    static final String VALUE_OMITTED = "dead-letter-value-omitted";

    private static final Logger LOG = Logger.getLogger(KafkaDeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;
    private final int maxRecordBytes;

    /** @param maxRecordBytes values larger than this are stored without their value */
    public KafkaDeadLetters(MutinyEmitter<byte[]> emitter, int maxRecordBytes) {
        this.emitter = emitter;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        int size = record.value() == null ? 0 : record.value().length;
        if (size > maxRecordBytes) {
            return store(record, reason, true);
        }
        // The headers added here can push a record just under the limit past the producer's
        // max.request.size or the topic's max.message.bytes: then its coordinates must do.
        return store(record, reason, false)
                .onFailure(KafkaDeadLetters::tooLarge).recoverWithUni(tooLarge -> {
                    LOG.warnf("%s: too large for the dead-letter topic with its value (%d bytes): stored without it",
                            record, size);
                    return store(record, reason, true);
                });
    }

    private Uni<Void> store(InboundRecord record, String reason, boolean omitValue) {
        byte[] value = record.value();
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", header(reason));
        headers.add("dead-letter-topic", header(record.topic()));
        headers.add("dead-letter-partition", header(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", header(Long.toString(record.offset())));
        if (omitValue) {
            headers.add(VALUE_OMITTED, header(value.length + " bytes"));
            value = new byte[0];
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata));
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** Header values are read by people and tools: no control character from the record reaches them. */
    private static byte[] header(String text) {
        return ControlCharacters.escape(text).getBytes(StandardCharsets.UTF_8);
    }
}
