package io.berth.bridge.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.JsonRecords;

/**
 * The body of a batched request: a JSON array with one object per record, in offset order, the
 * shape of Strimzi Kafka Bridge's consumed records (with the headers and timestamp that kafka-hooks'
 * dead letters carry):
 *
 * <pre>
 * [{"key": "k-1", "value": {"id": 1}, "headers": {"x-team": "ops"},
 *   "topic": "orders", "partition": 0, "offset": 42, "timestamp": "2026-01-01T00:00:00Z"},
 *  {"key": null, "value": "AP9vaw==", "valueEncoding": "base64", "headers": {},
 *   "topic": "orders", "partition": 0, "offset": 43, "timestamp": null}]
 * </pre>
 *
 * A value that is one JSON document (strictly: UTF-8, nothing after it) is embedded as it is, byte
 * for byte but for surrounding whitespace, as HTTP sink connectors' {@code batch.json.as.array}
 * sends JSON values; any other value
 * is its bytes in base64 with {@code "valueEncoding": "base64"}; a tombstone's value is null.
 * Headers are sorted by name. Each element is written when its record arrives, so that the batch
 * knows its exact size before it is sent.
 */
final class BatchBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchBody() {
    }

    /** One record's element of the array, as UTF-8 JSON. */
    static byte[] element(InboundRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (record.value() == null ? 0
                : record.value().length * 4 / 3));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("key", record.key());
            byte[] value = record.value();
            if (value == null) {
                json.writeNullField("value");
            } else if (JsonRecords.isOneJsonValue(JSON, value)) {
                json.writeFieldName("value");
                json.writeRawValue(new String(value, StandardCharsets.UTF_8).strip());
            } else {
                json.writeFieldName("value");
                json.writeBinary(value);
                json.writeStringField("valueEncoding", "base64");
            }
            json.writeObjectFieldStart("headers");
            if (!record.headers().isEmpty()) {
                for (Map.Entry<String, String> header : new TreeMap<>(record.headers()).entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
            }
            json.writeEndObject();
            json.writeStringField("topic", record.topic());
            json.writeNumberField("partition", record.partition());
            json.writeNumberField("offset", record.offset());
            json.writeStringField("timestamp", record.timestamp().map(BatchBody::timestamp).orElse(null));
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to memory", impossible);
        }
        return out.toByteArray();
    }

    /**
     * {@code instant} as ISO-8601, the last one's text reused: records produced together share their
     * millisecond, and formatting one was a tenth of an element's cost.
     */
    private static String timestamp(Instant instant) {
        Formatted last = lastTimestamp;
        if (last == null || !last.instant().equals(instant)) {
            last = new Formatted(instant, DateTimeFormatter.ISO_INSTANT.format(instant));
            lastTimestamp = last;
        }
        return last.text();
    }

    private record Formatted(Instant instant, String text) {
    }

    private static volatile Formatted lastTimestamp;

    /** The size of the array of elements of these sizes in all: brackets and commas included. */
    static long size(long elementBytes, int elements) {
        return 2 + elementBytes + Math.max(0, elements - 1);
    }

    /** The array of {@code elements}. */
    static byte[] array(List<byte[]> elements) {
        long total = 0;
        for (byte[] element : elements) {
            total += element.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                size(total, elements.size())));
        out.write('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(elements.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }
}
