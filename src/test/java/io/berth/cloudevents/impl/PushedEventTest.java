package io.berth.cloudevents.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class PushedEventTest {

    static final String SOURCE = "/apis/v1/namespaces/ns/kafkasources/berth#org_1.runs";

    static MultiMap binary(String id, String source) {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("ce-specversion", "1.0")
                .add("ce-id", id).add("ce-source", source).add("ce-type", "dev.knative.kafka.event");
    }

    @Test
    void readsKafkaSourcesBinaryModeBackIntoTheRecord() {
        MultiMap headers = binary("partition:3/offset:1207", SOURCE).add("ce-subject", "partition:3#1207")
                .add("ce-key", "svc").add("ce-time", "2026-12-01T10:00:00Z").add("Ce-KafkaHeaderTraceparent", "00-ab");

        PushedEvent event = PushedEvent.of(headers, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(event.topic()).isEqualTo("org_1.runs");
        assertThat(event.partition()).isEqualTo(3);
        assertThat(event.offset()).isEqualTo(1207);
        assertThat(event.key()).isEqualTo("svc");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(event.headers()).containsEntry("traceparent", "00-ab").hasSize(1);
        assertThat(new String(event.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void readsStructuredModeWithJsonDataOrBase64Data() {
        MultiMap structured = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/cloudevents+json");
        String json = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"" + SOURCE + "\",\"type\":\"t\","
                + "\"subject\":\"partition:2#9\",\"key\":\"k\",\"kafkaheaderx-trace\":\"v\",\"data\":{\"run\":true}}";
        String base64 = "{\"specversion\":\"1.0\",\"id\":\"partition:0/offset:4\",\"source\":\"" + SOURCE
                + "\",\"type\":\"t\",\"data_base64\":\"aGVsbG8=\"}";

        PushedEvent fromJson = PushedEvent.of(structured, json.getBytes(StandardCharsets.UTF_8));
        PushedEvent fromBase64 = PushedEvent.of(structured, base64.getBytes(StandardCharsets.UTF_8));

        assertThat(fromJson.partition()).isEqualTo(2);
        assertThat(fromJson.offset()).isEqualTo(9);
        assertThat(fromJson.key()).isEqualTo("k");
        assertThat(fromJson.headers()).containsEntry("x-trace", "v");
        assertThat(new String(fromJson.value(), StandardCharsets.UTF_8)).isEqualTo("{\"run\":true}");
        assertThat(fromBase64.offset()).isEqualTo(4);
        assertThat(new String(fromBase64.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void anEventWithoutKafkaCoordinatesHasNoOffset() {
        PushedEvent event = PushedEvent.of(binary("b7c1-uuid", SOURCE), new byte[0]);

        assertThat(event.partition()).isZero();
        assertThat(event.offset()).isEqualTo(-1);
    }

    @Test
    void refusesAnEventWithoutIdOrWithoutATopicInItsSource() {
        assertThatThrownBy(() -> PushedEvent.of(binary("", SOURCE), new byte[0]))
                .isInstanceOf(PushedEvent.InvalidCloudEvent.class).hasMessageContaining("no id");
        assertThatThrownBy(() -> PushedEvent.of(binary("partition:0/offset:1", "/apis/v1/x"), new byte[0]))
                .isInstanceOf(PushedEvent.InvalidCloudEvent.class).hasMessageContaining("#<topic>");
        MultiMap structured = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/cloudevents+json");
        assertThatThrownBy(() -> PushedEvent.of(structured, "[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PushedEvent.InvalidCloudEvent.class);
    }
}
