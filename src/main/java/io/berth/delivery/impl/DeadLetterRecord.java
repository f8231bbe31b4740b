package io.berth.delivery.impl;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.berth.delivery.InboundRecord;

/**
 * What a dead letter holds, whichever producer stores it: the original key and value, and
 * SmallRye's dead-letter header names ({@code dead-letter-reason}, {@code dead-letter-topic},
 * {@code dead-letter-partition}, {@code dead-letter-offset}) so that existing tooling reads them.
 * A value over the size limit is left out (the broker would refuse it), with
 * {@code dead-letter-value-omitted} saying how large it was: the coordinates say where to find it.
 */
public record DeadLetterRecord(String key, byte[] value, Headers headers) {

    /** @param maxRecordBytes values larger than this are stored without their value */
    public static DeadLetterRecord of(InboundRecord record, String reason, int maxRecordBytes) {
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
        return new DeadLetterRecord(record.key(), value, headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
