package io.berth.triggers;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Berth as deployed with a triggers file: each target kind, against the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TriggersFileResource.class, restrictToAnnotatedClass = true)
class TopicTriggersIT {

    static final Duration WITHIN = Duration.ofSeconds(30);

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();

    void produce(String topic, String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(new RecordHeader("source", "auth-service".getBytes(StandardCharsets.UTF_8)));
        kafka.produceStrings().fromRecords(record).awaitCompletion(WITHIN);
    }

    @Test
    void aJavaHandlerReceivesJsonAndNonJsonValuesInTheEnvelope() {
        Instant before = Instant.now();
        produce(TriggersFileResource.HANDLED, "user-123", "{\"event_type\": \"login\"}");
        produce(TriggersFileResource.HANDLED, null, "Plain text message content");
        produce(TriggersFileResource.HANDLED, null, "[1, 2, 3]");

        await().atMost(WITHIN).until(() -> RecordingTriggerHandler.RECEIVED.size() >= 3);
        List<TriggerEnvelope> received = RecordingTriggerHandler.RECEIVED;
        TriggerEnvelope json = received.get(0);
        assertThat(json.topic()).isEqualTo(TriggersFileResource.HANDLED);
        assertThat(json.offset()).isZero();
        assertThat(json.key()).isEqualTo("user-123");
        assertThat(json.message().path("event_type").asText()).isEqualTo("login");
        assertThat(json.headers()).containsEntry("source", "auth-service");
        assertThat(json.timestamp()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(json.recordTimestamp()).isNotNull();
        assertThat(received.get(1).key()).isNull();
        assertThat(received.get(1).message().path("raw_message").asText()).isEqualTo("Plain text message content");
        assertThat(received.get(2).message().isArray()).isTrue();
        await().atMost(WITHIN).until(() -> committed("berth-triggers-handled", TriggersFileResource.HANDLED) == 3);
    }

    @Test
    void aWebhookReceivesTheEnvelopeAsItsBody() {
        produce(TriggersFileResource.HOOKED, "order-7", "{\"amount\": 99.99}");

        var receiver = TriggersFileResource.receiver;
        await().atMost(WITHIN).untilAsserted(() -> receiver.verify(postRequestedFor(urlEqualTo("/hook"))
                .withHeader("X-Team", equalTo("ops"))
                .withHeader("Idempotency-Key", equalTo(TriggersFileResource.HOOKED + "-0-0"))
                .withRequestBody(equalToJson("""
                        {"topic": "%s", "partition": 0, "offset": 0, "key": "order-7",
                         "message": {"amount": 99.99}, "headers": {"source": "auth-service"},
                         "timestamp": "${json-unit.any-string}", "record_timestamp": "${json-unit.any-string}"}
                        """.formatted(TriggersFileResource.HOOKED)))));
    }

    @Test
    void aRecordStartsAPortActionRunWithInputsTakenFromTheEnvelope() {
        produce(TriggersFileResource.PORTED, "checkout", "{\"service\": \"checkout\", \"version\": \"1.4.2\"}");

        await().atMost(WITHIN).until(() -> !port.startedRuns("deploy_service").isEmpty());
        JsonNode body = port.startedRuns("deploy_service").get(0);
        assertThat(body.path("entity").asText()).isEqualTo("checkout");
        assertThat(body.path("properties").path("service").asText()).isEqualTo("checkout");
        assertThat(body.path("properties").path("version").asText()).isEqualTo("1.4.2");
        assertThat(body.path("properties").path("from").asText()).isEqualTo(TriggersFileResource.PORTED);
        await().atMost(WITHIN).until(() -> committed("berth-triggers-ported", TriggersFileResource.PORTED) == 1);
    }

    @Test
    void aTargetThatRefusesTheRecordDeadLettersItWithTheReasonAndCommitsIt() {
        produce(TriggersFileResource.REFUSED, "k", "{\"n\": 1}");

        ConsumerRecord<String, String> letter = kafka.consumeStrings()
                .fromTopics(TriggersFileResource.REFUSED + ".dlq", 1).awaitCompletion(WITHIN).getFirstRecord();
        String reason = new String(letter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertThat(reason).startsWith("trigger refused: webhook POST http://localhost:")
                .endsWith("/refuse answered 400 after 1 attempt")
                .doesNotContain("never-logged");
        assertThat(letter.value()).isEqualTo("{\"n\": 1}");
        await().atMost(WITHIN).until(() -> committed("berth-triggers-refused", TriggersFileResource.REFUSED) == 1);
    }

    long committed(String group, String topic) {
        var offset = kafka.consumerGroups().offsets(group, new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
