package io.berth.bridge.impl;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


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

    private BatchBody() {
    }

    /**
     * One record's element of the array, as UTF-8 JSON: written byte by byte, exactly as Jackson's
     * generator would write it, without the generator, its context and its buffers per record.
     */
    static byte[] element(InboundRecord record) {
        byte[] value = record.value();
        Element json = Element.scratch(160 + (value == null ? 0 : value.length * 4 / 3));
        json.ascii("{\"key\":").string(record.key()).ascii(",\"value\":");
        if (value == null) {
            json.ascii("null");
        } else if (JsonRecords.isOneJsonValue(value)) {
            json.trimmed(value);
        } else {
            json.ascii("\"").ascii(Base64.getEncoder().encodeToString(value)).ascii("\",\"valueEncoding\":\"base64\"");
        }
        json.ascii(",\"headers\":{");
        if (!record.headers().isEmpty()) {
            boolean first = true;
            for (Map.Entry<String, String> header : new TreeMap<>(record.headers()).entrySet()) {
                json.ascii(first ? "" : ",").string(header.getKey()).ascii(":").string(header.getValue());
                first = false;
            }
        }
        json.ascii("},\"topic\":").string(record.topic())
                .ascii(",\"partition\":").number(record.partition())
                .ascii(",\"offset\":").number(record.offset())
                .ascii(",\"timestamp\":").instant(record.timestamp().orElse(null))
                .ascii("}");
        return json.bytes();
    }

    /**
     * An element's bytes as they are written, into a buffer its thread reuses: a record's element is
     * then one allocation of its exact size ({@link #bytes()}), not a guess that grows and is trimmed.
     */
    private static final class Element {

        /** A buffer grown past this for a large record is not kept for the next one. */
        private static final int KEPT = 64 * 1024;
        private static final ThreadLocal<Element> SCRATCH = ThreadLocal.withInitial(() -> new Element(1024));

        private byte[] bytes;
        private int length;
        /** The last instant written, as its quoted text: a burst of records shares its milliseconds. */
        private long lastMillis;
        private byte[] lastInstant;

        private Element(int capacity) {
            bytes = new byte[capacity];
        }

        /** The thread's buffer, emptied, with at least {@code capacity} bytes. */
        static Element scratch(int capacity) {
            Element element = SCRATCH.get();
            if (element.bytes.length > KEPT) {
                element.bytes = new byte[1024];
            }
            element.length = 0;
            element.room(capacity);
            return element;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        /** Text known to be ASCII and to need no escape (the element's own punctuation and numbers). */
        Element ascii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        /** A whole number, as {@code Long.toString} writes it, without the string. */
        Element number(long value) {
            if (value < 0) {
                return ascii(Long.toString(value)); // no offset or partition is: not worth a path of its own
            }
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            room(digits);
            for (int i = length + digits - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += digits;
            return this;
        }

        /** An instant as a JSON string, as {@link IsoInstant} writes it, or null. */
        Element instant(Instant instant) {
            if (instant == null) {
                return ascii("null");
            }
            if (instant.getNano() % 1_000_000 != 0) { // finer than Kafka's milliseconds: not from a topic
                return string(DateTimeFormatter.ISO_INSTANT.format(instant));
            }
            long epochMillis = instant.toEpochMilli();
            if (lastInstant == null || epochMillis != lastMillis) {
                lastInstant = IsoInstant.quoted(epochMillis);
                lastMillis = epochMillis;
            }
            room(lastInstant.length);
            System.arraycopy(lastInstant, 0, bytes, length, lastInstant.length);
            length += lastInstant.length;
            return this;
        }

        /**
         * A JSON string, or null, escaped as Jackson's generator escapes by default: {@code "} and
         * {@code \\}, control characters (short forms where JSON has them, else {@code \\u00XX}),
         * and each half of a surrogate pair as {@code \\uXXXX}; any other character in UTF-8.
         */
        Element string(String text) {
            if (text == null) {
                return ascii("null");
            }
            // A byte per character and the quotes; a character that takes more (at most six bytes)
            // makes room for itself, keeping a byte for each one after it and the closing quote.
            room(text.length() + 2);
            bytes[length++] = '"';
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    bytes[length++] = (byte) c;
                    continue;
                }
                room(6 + text.length() - i);
                if (c == '"' || c == '\\') {
                    escape(c);
                } else if (c < 0x20) {
                    char shortForm = switch (c) {
                        case '\b' -> 'b';
                        case '\t' -> 't';
                        case '\n' -> 'n';
                        case '\f' -> 'f';
                        case '\r' -> 'r';
                        default -> 0;
                    };
                    if (shortForm != 0) {
                        escape(shortForm);
                    } else {
                        unicodeEscape(c);
                    }
                } else if (c < 0x800) {
                    bytes[length++] = (byte) (0xC0 | c >> 6);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c);
                } else {
                    bytes[length++] = (byte) (0xE0 | c >> 12);
                    bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                }
            }
            bytes[length++] = '"';
            return this;
        }

        private void escape(char c) {
            bytes[length++] = '\\';
            bytes[length++] = (byte) c;
        }

        private void unicodeEscape(char c) {
            bytes[length++] = '\\';
            bytes[length++] = 'u';
            for (int shift = 12; shift >= 0; shift -= 4) {
                bytes[length++] = (byte) "0123456789ABCDEF".charAt(c >> shift & 0xF);
            }
        }

        /** A JSON value's bytes without the whitespace around it. */
        Element trimmed(byte[] value) {
            int from = 0;
            int to = value.length;
            while (from < to && isWhitespace(value[from])) {
                from++;
            }
            while (to > from && isWhitespace(value[to - 1])) {
                to--;
            }
            room(to - from);
            System.arraycopy(value, from, bytes, length, to - from);
            length += to - from;
            return this;
        }

        private static boolean isWhitespace(byte b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t';
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, length);
        }
    }

    /** The size of the array of elements of these sizes in all: brackets and commas included. */
    static long size(long elementBytes, int elements) {
        return 2 + elementBytes + Math.max(0, elements - 1);
    }

    /** The array of {@code elements}, written once into a body of its exact size. */
    static byte[] array(List<byte[]> elements) {
        long total = 0;
        for (byte[] element : elements) {
            total += element.length;
        }
        byte[] body = new byte[Math.toIntExact(size(total, elements.size()))];
        int at = 0;
        body[at++] = '[';
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] element = elements.get(i);
            System.arraycopy(element, 0, body, at, element.length);
            at += element.length;
        }
        body[at] = ']';
        return body;
    }
}
