package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;

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
}
