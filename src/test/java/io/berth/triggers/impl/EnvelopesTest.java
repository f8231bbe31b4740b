package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.delivery.InboundRecord;

class EnvelopesTest {

    static JsonNode message(String value) {
        return Envelopes.message(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesJsonOfAnyType() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(message("{\"user_id\": \"123\"}")).isEqualTo(json.readTree("{\"user_id\": \"123\"}"));
        assertThat(message("[1, 2]")).isEqualTo(json.readTree("[1, 2]"));
        assertThat(message("\"text\"").textValue()).isEqualTo("text");
        assertThat(message("42").intValue()).isEqualTo(42);
        assertThat(message("true").booleanValue()).isTrue();
    }

    @Test
    void passesWhatIsNotJsonAsRawMessage() {
        assertThat(message("Plain text message content").path("raw_message").textValue())
                .isEqualTo("Plain text message content");
        assertThat(message("12 apples").path("raw_message").textValue()).isEqualTo("12 apples");
        assertThat(message("{\"broken\": ").path("raw_message").textValue()).isEqualTo("{\"broken\": ");
    }

    @Test
    void anEmptyValueIsNull() {
        assertThat(message(null).isNull()).isTrue();
        assertThat(message("").isNull()).isTrue();
    }

    @Test
    void theEnvelopeHasOperionsFieldsAndTheRecordTimestamp() {
        Clock clock = Clock.fixed(Instant.parse("2024-06-18T05:09:00.123456Z"), ZoneOffset.UTC);
        InboundRecord record = new InboundRecord("user-events", 2, 12345, "user-123",
                "{\"event_type\": \"login\"}".getBytes(StandardCharsets.UTF_8),
                Instant.parse("2024-06-18T05:08:59.870Z"), Map.of("source", "auth-service"),
                () -> CompletableFuture.completedFuture(null));

        JsonNode envelope = new Envelopes(clock).of(record).toJson();

        assertThat(envelope.toString()).isEqualTo("{\"topic\":\"user-events\",\"partition\":2,\"offset\":12345,"
                + "\"timestamp\":\"2024-06-18T05:09:00.123Z\",\"record_timestamp\":\"2024-06-18T05:08:59.870Z\","
                + "\"key\":\"user-123\",\"message\":{\"event_type\":\"login\"},\"headers\":{\"source\":\"auth-service\"}}");
    }
}
