package io.berth.delivery.impl;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import io.berth.delivery.ControlCharacters;
import io.berth.delivery.DeadLetterFormat;
import io.berth.delivery.InboundRecord;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * What a dead letter holds, whichever producer stores it: the original key and value, and
 * SmallRye's dead-letter header names ({@code dead-letter-reason}, {@code dead-letter-topic},
 * {@code dead-letter-partition}, {@code dead-letter-offset}) so that existing tooling reads them.
 * Header values are escaped ({@link ControlCharacters}): people and tools read them.
 *
 * <p>A value over the size limit is left out (the broker would refuse it), with
 * {@code dead-letter-value-omitted} saying how large it was: the coordinates say where to find it.
 * So is the value of a record just under the limit that the topic refuses as too large once the
 * headers are added ({@link #store}).
 *
 * <p>It carries on the record's trace: {@code traceparent} is the record's span's, current when
 * {@link #store} is called, or else the record's own {@code traceparent} header (tracing off).
 */
public record DeadLetterRecord(String key, byte[] value, Headers headers) {

    static final String VALUE_OMITTED = "dead-letter-value-omitted";

    private static final Logger LOG = Logger.getLogger(DeadLetterRecord.class);

    /**
     * Stores the dead letter of {@code record} through {@code producer}: with its value when it fits,
     * and once more without it when the topic refuses it as too large.
     *
     * @param maxRecordBytes values larger than this are stored without their value
     */
    static Uni<Void> store(InboundRecord record, String reason, int maxRecordBytes,
            Function<DeadLetterRecord, Uni<Void>> producer) {
        return store(record, reason, null, DeadLetterFormat.ORIGINAL, maxRecordBytes, producer);
    }

    /**
     * The same, with the value written by {@code format} from the record and the capability's
     * {@code detail}.
     */
    static Uni<Void> store(InboundRecord record, String reason, Object detail, DeadLetterFormat format,
            int maxRecordBytes, Function<DeadLetterRecord, Uni<Void>> producer) {
        Map<String, String> trace = traceOf(record);
        Function<DeadLetterRecord, Uni<Void>> traced = letter -> {
            trace.forEach((name, value) -> letter.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            return producer.apply(letter);
        };
        int size = record.value() == null ? 0 : record.value().length;
        if (size > maxRecordBytes) {
            return traced.apply(of(record, reason, true, detail, format));
        }
        // The headers added here can push a record just under the limit past the producer's
        // max.request.size or the topic's max.message.bytes: then its coordinates must do.
        return Uni.createFrom().deferred(() -> traced.apply(of(record, reason, false, detail, format)))
                .onFailure(DeadLetterRecord::tooLarge).recoverWithUni(tooLarge -> {
                    LOG.warnf("%s: too large for the dead-letter topic with its value (%d bytes): stored without it",
                            record, size);
                    return traced.apply(of(record, reason, true, detail, format));
                });
    }

    static DeadLetterRecord of(InboundRecord record, String reason, boolean omitValue) {
        return of(record, reason, omitValue, null, DeadLetterFormat.ORIGINAL);
    }

    static DeadLetterRecord of(InboundRecord record, String reason, boolean omitValue, Object detail,
            DeadLetterFormat format) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", header(reason));
        headers.add("dead-letter-topic", header(record.topic()));
        headers.add("dead-letter-partition", header(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", header(Long.toString(record.offset())));
        if (omitValue) {
            headers.add(VALUE_OMITTED, header(value.length + " bytes"));
            value = new byte[0];
        }
        return new DeadLetterRecord(record.key(), format.value(record, value, reason, detail), headers);
    }

    /** The trace headers of the current span, or the record's {@code traceparent} (and {@code tracestate}). */
    private static Map<String, String> traceOf(InboundRecord record) {
        Map<String, String> trace = new LinkedHashMap<>();
        Tracing.injectInto(Context.current(), trace::put);
        if (trace.isEmpty()) {
            record.headers().forEach((name, value) -> {
                if (name.equalsIgnoreCase("traceparent") || name.equalsIgnoreCase("tracestate")) {
                    trace.put(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        return trace;
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static byte[] header(String text) {
        return ControlCharacters.escape(text).getBytes(StandardCharsets.UTF_8);
    }
}
