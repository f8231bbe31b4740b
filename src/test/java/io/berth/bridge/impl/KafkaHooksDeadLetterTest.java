package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;

/** The dead letter's value: kafka-hooks' JSON, byte for byte. */
class KafkaHooksDeadLetterTest {

    static final Instant PRODUCED = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant FIRST = Instant.parse("2026-03-01T10:00:01.250Z");
    static final Instant SECOND = Instant.parse("2026-03-01T10:00:02.500Z");

    static InboundRecord record(byte[] value, Map<String, String> headers) {
        return new InboundRecord("orders", 2, 41, "order-7", value, PRODUCED, headers,
                () -> CompletableFuture.completedFuture(null));
    }

    @Test
    void writesKafkaHooksFieldsWithEveryAttemptAndTheRecordsTimestamp() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-team", "ops");
        headers.put("content-type", "application/json");
        byte[] value = "{\"amount\": 9.5}".getBytes(StandardCharsets.UTF_8);
        DeliveryFailure failure = new DeliveryFailure(List.of(
                new DeliveryFailure.Attempt(1, FIRST, 503, "status 503", "{\"error\":\"down\"}"),
                new DeliveryFailure.Attempt(2, SECOND, null, "connection refused", null)), 2);

        byte[] letter = new KafkaHooksDeadLetter(2).value(record(value, headers), value, "ignored", failure);

        assertThat(new String(letter, StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"order-7\","
                + "\"value\":\"eyJhbW91bnQiOiA5LjV9\","
                + "\"headers\":{\"content-type\":\"application/json\",\"x-team\":\"ops\"},"
                + "\"topic\":\"orders\",\"partition\":2,\"offset\":\"41\","
                + "\"errors\":["
                + "{\"statusCode\":503,\"error\":\"Service Unavailable\",\"message\":\"Webhook replied with an error\","
                + "\"attempt\":1,\"requestedAt\":\"2026-03-01T10:00:01.250Z\",\"body\":\"{\\\"error\\\":\\\"down\\\"}\"},"
                + "{\"statusCode\":499,\"error\":\"Client Closed Request\",\"message\":\"Generic error: connection refused\","
                + "\"attempt\":2,\"requestedAt\":\"2026-03-01T10:00:02.500Z\"}],"
                + "\"retries\":2,\"timestamp\":\"2026-03-01T10:00:00Z\"}");
    }

    @Test
    void aValueTooLargeToKeepIsEmptyAndAFaultIsItsOnlyError() {
        byte[] letter = new KafkaHooksDeadLetter(3).value(record(new byte[2_000_000], Map.of()), new byte[0],
                "unexpected failure: java.lang.IllegalStateException", null);

        assertThat(new String(letter, StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"order-7\",\"value\":\"\","
                + "\"headers\":{},\"topic\":\"orders\",\"partition\":2,\"offset\":\"41\",\"errors\":[{\"statusCode\":500,"
                + "\"error\":\"Internal Server Error\",\"message\":\"unexpected failure: java.lang.IllegalStateException\"}],"
                + "\"retries\":3,\"timestamp\":\"2026-03-01T10:00:00Z\"}");
    }

    @Test
    void keepsOnlyTheFirstKilobyteOfAnAnswerInWholeCharacters() {
        String answer = "é".repeat(2000);
        assertThat(KafkaHooksDeadLetter.excerpt(answer)).hasSize(1024);
        assertThat(KafkaHooksDeadLetter.excerpt("😀".repeat(1500)).codePointCount(0, 2048)).isEqualTo(1024);
        assertThat(KafkaHooksDeadLetter.excerpt("")).isNull();
    }
}
