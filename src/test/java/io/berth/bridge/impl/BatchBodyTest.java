package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.JsonRecords;

class BatchBodyTest {

    static InboundRecord record(byte[] value) {
        return new InboundRecord("orders", 2, 41, "order-7", value, Instant.parse("2026-03-01T10:00:00Z"),
                Map.of("x-team", "ops"), () -> CompletableFuture.completedFuture(null));
    }

    static String element(String value) {
        return element(value.getBytes(StandardCharsets.UTF_8));
    }

    static String element(byte[] value) {
        return new String(BatchBody.element(record(value)), StandardCharsets.UTF_8);
    }

    static String valueOf(String element) {
        return element.substring(element.indexOf("\"value\":") + 8, element.indexOf(",\"headers\""));
    }

    @Test
    void aJsonValueIsEmbeddedByteForByteNumbersAndSpacingIncluded() {
        assertThat(element("{\"total\": 12.50000000000000000001, \"n\": [1,2]}")).isEqualTo(
                "{\"key\":\"order-7\",\"value\":{\"total\": 12.50000000000000000001, \"n\": [1,2]},"
                        + "\"headers\":{\"x-team\":\"ops\"},\"topic\":\"orders\",\"partition\":2,\"offset\":41,"
                        + "\"timestamp\":\"2026-03-01T10:00:00Z\"}");
        assertThat(valueOf(element("\"text\""))).isEqualTo("\"text\"");
        assertThat(valueOf(element("42"))).isEqualTo("42");
        assertThat(valueOf(element("\n  [true, null]\n"))).as("surrounding whitespace trimmed").isEqualTo("[true, null]");
    }

    @Test
    void aValueThatIsNotExactlyOneJsonDocumentGoesInBase64() {
        for (String notJson : List.of("plain text", "{\"a\": 1} trailing", "{\"a\": 1}{\"b\": 2}", "{\"a\": ",
                "NaN", "", "\uFEFF{\"a\": 1}")) {
            String element = element(notJson);
            assertThat(element).as(notJson).contains("\"valueEncoding\":\"base64\"");
        }
        byte[] overlong = {'"', (byte) 0xc0, (byte) 0xaf, '"'};
        assertThat(element(overlong)).as("not well-formed UTF-8").contains("\"value\":\"IsCvIg==\",\"valueEncoding\":\"base64\"");
    }

    @Test
    void aTombstonesValueIsNullAndTheArrayIsExactlyAsLargeAsItsSizeSays() {
        assertThat(valueOf(element((byte[]) null))).isEqualTo("null");
        byte[] first = BatchBody.element(record("{}".getBytes(StandardCharsets.UTF_8)));
        byte[] second = BatchBody.element(record(new byte[] {1, 2, 3}));
        byte[] array = BatchBody.array(List.of(first, second));
        assertThat(new String(array, StandardCharsets.UTF_8)).isEqualTo("[" + new String(first, StandardCharsets.UTF_8)
                + "," + new String(second, StandardCharsets.UTF_8) + "]");
        assertThat((long) array.length).isEqualTo(BatchBody.size(first.length + second.length, 2));
    }

    /**
     * The element is written by hand; it must be what Jackson's generator writes of the same record,
     * byte for byte, whatever its key, headers and value hold: quotes, backslashes, control
     * characters, any script, surrogate pairs, no key, no timestamp.
     */
    @Test
    void anElementIsByteForByteWhatJacksonsGeneratorWrites() throws IOException {
        Random random = new Random(20261202);
        List<String> values = List.of("{\"seq\":1}", " [1, 2] ", "\"quoted\"", "plain text", "{\"a\":", "");
        for (int n = 0; n < 5_000; n++) {
            Map<String, String> headers = new HashMap<>();
            for (int h = random.nextInt(4); h > 0; h--) {
                headers.put(text(random), text(random));
            }
            byte[] value = random.nextInt(10) == 0 ? null : random.nextInt(4) == 0 ? bytes(random)
                    : values.get(random.nextInt(values.size())).getBytes(StandardCharsets.UTF_8);
            InboundRecord record = new InboundRecord(text(random), random.nextInt(100), random.nextLong() >>> 1,
                    random.nextInt(6) == 0 ? null : text(random), value,
                    timestamp(random), headers,
                    () -> CompletableFuture.completedFuture(null));
            assertThat(new String(BatchBody.element(record), StandardCharsets.UTF_8))
                    .isEqualTo(new String(jacksonElement(record), StandardCharsets.UTF_8));
        }
    }

    /**
     * The buffer an element is written into is its thread's, reused: texts that take six bytes a
     * character, a record larger than the buffer that is kept, and small ones after them are each
     * still what Jackson writes.
     */
    @Test
    void aTimestampSharedWithTheRecordBeforeOrAfterOthersIsWrittenAsJacksonWritesIt() throws IOException {
        Instant same = Instant.parse("2026-03-01T10:00:00.125Z");
        List<Instant> stamps = Arrays.asList(same, same, same.plusNanos(1), null, same,
                Instant.parse("2026-03-01T10:00:00Z"), same, Instant.ofEpochMilli(IsoInstant.LAST_FOUR_DIGIT_YEAR + 1),
                same, same.plusMillis(1), same);
        long offset = 0;
        for (Instant stamp : stamps) {
            InboundRecord record = new InboundRecord("orders", 0, offset++, "k", "{}".getBytes(StandardCharsets.UTF_8),
                    stamp, Map.of(), () -> CompletableFuture.completedFuture(null));
            assertThat(new String(BatchBody.element(record), StandardCharsets.UTF_8)).as("%s", stamp)
                    .isEqualTo(new String(jacksonElement(record), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anElementIsExactWhateverItsSizeAndWhatCameBefore() throws IOException {
        String controls = "\u0001".repeat(30_000);
        String surrogates = "😀".repeat(10_000);
        List<InboundRecord> records = List.of(
                record("{\"small\":1}".getBytes(StandardCharsets.UTF_8)),
                new InboundRecord(controls, 0, 1, surrogates, "x".repeat(200_000).getBytes(StandardCharsets.UTF_8),
                        null, Map.of(controls, surrogates), () -> CompletableFuture.completedFuture(null)),
                record("{\"small\":2}".getBytes(StandardCharsets.UTF_8)),
                new InboundRecord("t", 0, 2, "\"".repeat(5_000), null, null, Map.of(),
                        () -> CompletableFuture.completedFuture(null)),
                record(new byte[] {(byte) 0xff}));
        for (InboundRecord record : records) {
            assertThat(BatchBody.element(record)).isEqualTo(jacksonElement(record));
        }
    }

    /** None, a Kafka timestamp (milliseconds, up to the year 9999, whole seconds too), or a finer one. */
    private static Instant timestamp(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochMilli(random.nextLong(IsoInstant.LAST_FOUR_DIGIT_YEAR + 1));
            case 2 -> Instant.ofEpochSecond(random.nextLong(IsoInstant.LAST_FOUR_DIGIT_YEAR / 1000));
            case 3 -> Instant.ofEpochSecond(random.nextLong(1L << 32), random.nextInt(1_000_000_000));
            default -> Instant.ofEpochMilli(random.nextLong() >>> 24);
        };
    }

    private static String text(Random random) {
        String[] pieces = {"a", "Z", "9", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f", "\r", "\u000b", "\u0000", "\u001f", "\u007f", "é", "ß",
            "日本", "😀", "\u2028", "<", "&"};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static byte[] bytes(Random random) {
        byte[] bytes = new byte[random.nextInt(12)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The element as Jackson's generator writes it: the shape BatchBody's Javadoc gives. */
    private static byte[] jacksonElement(InboundRecord record) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("key", record.key());
            byte[] value = record.value();
            if (value == null) {
                json.writeNullField("value");
            } else if (JsonRecords.isOneJsonValue(value)) {
                json.writeFieldName("value");
                json.writeRawValue(new String(value, StandardCharsets.UTF_8).strip());
            } else {
                json.writeFieldName("value");
                json.writeBinary(value);
                json.writeStringField("valueEncoding", "base64");
            }
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : new TreeMap<>(record.headers()).entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeStringField("topic", record.topic());
            json.writeNumberField("partition", record.partition());
            json.writeNumberField("offset", record.offset());
            Optional<Instant> timestamp = record.timestamp();
            json.writeStringField("timestamp", timestamp.map(Instant::toString).orElse(null));
            json.writeEndObject();
        }
        return out.toByteArray();
    }
}
