package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.EventsOnOwnRunsTopic;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Lifecycle events end to end: runs from the real broker, Port stood in, events read back from
 * their topics. Each test checks a run's events in the order its partition holds them, field for
 * field against seed 001's schemas.
 */
@QuarkusTest
@TestProfile(EventsOnOwnRunsTopic.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class LifecycleEventsIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final String STATUS = EventsOnOwnRunsTopic.STATUS;
    static final String COMPLETION = EventsOnOwnRunsTopic.COMPLETION;
    static final String DEPLOYMENTS = EventsOnOwnRunsTopic.DEPLOYMENTS;
    static final String RUNS_TOPIC = EventsOnOwnRunsTopic.RUNS_TOPIC;
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> ENVELOPE = List.of("event_id", "event_type", "change_number", "request_id", "timestamp",
            "user_id", "source", "action", "entity", "original_request_id");
    static final List<String> STATUS_FIELDS = List.of("status", "progress_percentage", "status_message",
            "error_details", "estimated_completion");
    static final List<String> COMPLETION_FIELDS = List.of("completion_status", "completion_message", "result_data",
            "error_details", "execution_duration");

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();
    ConsumerTask<String, String> events;

    @BeforeEach
    void readEvents() {
        events = kafka.consumeStrings().fromTopics(STATUS, COMPLETION, DEPLOYMENTS);
    }

    @AfterEach
    void stopReading() {
        events.stop();
    }

    @Test
    void aSuccessfulRunEmitsStartedThenOneCompletedCompletion() {
        String runId = produce(run("test_echo", "checkout", Map.of("name", "ledger")));

        List<JsonNode> statuses = statusesOf(runId, 1);
        JsonNode completion = completionOf(runId);

        assertThat(statuses).singleElement().satisfies(started -> {
            assertStatus(started, runId, "started", 0);
            assertThat(started.get("status_message").asText()).contains("test_echo");
            assertThat(started.get("change_number").asText()).isEqualTo("checkout");
            assertThat(started.get("entity").asText()).isEqualTo("checkout");
        });
        assertCompletion(completion, runId, "completed");
        assertThat(completion.get("completion_message").asText()).isEqualTo("Echoed ledger");
        assertThat(completion.get("error_details").isNull()).isTrue();
        assertThat(completion.at("/result_data/port_status").asText()).isEqualTo("SUCCESS");
        assertThat(completion.at("/result_data/links/0").asText()).isEqualTo("https://ci.example.com/runs/" + runId);
        assertThat(completion.get("request_id").asText()).isEqualTo("completion_" + runId);
        assertInOrder(statuses, completion);
    }

    @Test
    void aFailedRunEmitsStartedFailedAndOneFailedCompletion() {
        String runId = produce(run("test_fail", "checkout", Map.of("cluster", "eu-1")));

        List<JsonNode> statuses = statusesOf(runId, 2);
        JsonNode completion = completionOf(runId);

        assertThat(statuses).extracting(s -> s.get("status").asText()).containsExactly("started", "failed");
        assertStatus(statuses.get(1), runId, "failed", 0);
        assertThat(statuses.get(1).get("error_details").asText()).isEqualTo("cluster eu-1 is unreachable");
        assertCompletion(completion, runId, "failed");
        assertThat(completion.get("completion_message").asText()).isEqualTo("cluster eu-1 is unreachable");
        assertThat(completion.get("error_details").asText()).isEqualTo("cluster eu-1 is unreachable");
        assertThat(completion.at("/result_data/port_status").asText()).isEqualTo("FAILURE");
        assertInOrder(statuses, completion);
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
    }

    @Test
    void progressReachesPortAndTheEventStreamInOrder() {
        String runId = produce(run("test_progress", null, Map.of()));

        List<JsonNode> statuses = statusesOf(runId, 3);
        JsonNode completion = completionOf(runId);

        assertThat(statuses).extracting(s -> s.get("status").asText())
                .containsExactly("started", "in_progress", "in_progress");
        assertStatus(statuses.get(1), runId, "in_progress", 10);
        assertThat(statuses.get(1).get("status_message").asText()).isEqualTo("Reserving rack space");
        assertThat(statuses.get(1).get("estimated_completion").isNull()).isTrue();
        assertThat(statuses.get(0).get("change_number").asText()).isEqualTo(runId); // no entity, no external id yet
        assertStatus(statuses.get(2), runId, "in_progress", 65);
        assertThat(statuses.get(2).get("estimated_completion").asText()).isEqualTo("2030-07-09T14:35:00.000000Z");
        assertThat(statuses.get(2).get("change_number").asText()).isEqualTo("CHG-2024-001235");
        assertCompletion(completion, runId, "completed");
        assertThat(completion.at("/result_data/external_run_id").asText()).isEqualTo("CHG-2024-001235");
        assertInOrder(statuses, completion);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.logs(runId)).contains("[10%] Reserving rack space",
                "[65%] Configuring spines (estimated completion 2030-07-09T14:35:00Z)");
        assertThat(port.patches(runId)).extracting(p -> p.path("statusLabel").asText(null))
                .contains("Reserving rack space (10%)", "Configuring spines (65%)");
    }

    @Test
    void theSlowDeployExampleReportsItsStepsAsProgress() {
        String runId = produce(run("slow_deploy", "checkout", Map.of("service", "checkout", "version", "2.1.0")));

        List<JsonNode> statuses = statusesOf(runId, 6);
        assertThat(statuses).extracting(s -> s.get("progress_percentage").asInt()).containsExactly(0, 0, 25, 50, 75, 100);
        assertThat(statuses.get(1).get("estimated_completion").asText()).matches(TIMESTAMP);
        assertCompletion(completionOf(runId), runId, "completed");
    }

    @Test
    void aHandlersDomainEventGoesToItsTopicWithTheEnvelope() {
        String runId = produce(run("test_publish", "nyc-dc-01", Map.of()));

        JsonNode completion = completionOf(runId);
        await().atMost(WITHIN).until(() -> !records(DEPLOYMENTS, "CHG-2024-001235", runId).isEmpty());
        JsonNode event = records(DEPLOYMENTS, "CHG-2024-001235", runId).get(0);

        assertThat(fieldNames(event)).containsExactlyElementsOf(concat(ENVELOPE,
                List.of("dc_name", "location", "design_pattern")));
        assertEnvelope(event, runId, "datacenter_deployment");
        assertThat(event.get("request_id").asText()).isEqualTo(runId);
        assertThat(event.get("dc_name").asText()).isEqualTo("NYC-DC-01");
        assertThat(event.get("change_number").asText()).isEqualTo("nyc-dc-01");
        // A domain event named like a lifecycle topic is refused: still one completion, Berth's own.
        assertCompletion(completion, runId, "completed");
        assertThat(records(COMPLETION, runId, runId)).hasSize(1);
        assertThat(RestAssured.get("/q/metrics").asString()).containsPattern("berth_events_total\\{[^}]*outcome=\"published\"");
    }

    // --- helpers ---------------------------------------------------------------------------------

    void assertStatus(JsonNode event, String runId, String status, int percent) {
        assertThat(fieldNames(event)).containsExactlyElementsOf(concat(ENVELOPE, STATUS_FIELDS));
        assertEnvelope(event, runId, "task_status_update");
        assertThat(event.get("request_id").asText()).isEqualTo("status_update_" + runId);
        assertThat(event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("progress_percentage").getNodeType()).isEqualTo(JsonNodeType.NUMBER);
        assertThat(event.get("progress_percentage").isInt()).isTrue();
        assertThat(event.get("progress_percentage").asInt()).isEqualTo(percent);
        assertThat(event.get("status_message").isTextual()).isTrue();
        assertThat(event.get("error_details").isNull() || event.get("error_details").isTextual()).isTrue();
        JsonNode eta = event.get("estimated_completion");
        assertThat(eta.isNull() || TIMESTAMP.matcher(eta.asText()).matches()).isTrue();
    }

    void assertCompletion(JsonNode event, String runId, String status) {
        assertThat(fieldNames(event)).containsExactlyElementsOf(concat(ENVELOPE, COMPLETION_FIELDS));
        assertEnvelope(event, runId, "task_completion");
        assertThat(event.get("completion_status").asText()).isEqualTo(status);
        assertThat(event.get("result_data").isObject()).isTrue();
        assertThat(event.get("result_data").get("links").isArray()).isTrue();
        assertThat(event.get("execution_duration").isDouble()).isTrue();
        assertThat(event.get("execution_duration").asDouble()).isPositive().isLessThan(WITHIN.toSeconds());
    }

    void assertEnvelope(JsonNode event, String runId, String type) {
        assertThat(UUID.fromString(event.get("event_id").asText())).isNotNull();
        assertThat(event.get("event_type").asText()).isEqualTo(type);
        assertThat(event.get("original_request_id").asText()).isEqualTo(runId);
        assertThat(event.get("timestamp").asText()).matches(TIMESTAMP);
        assertThat(Instant.parse(event.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(event.get("user_id").asText()).isEqualTo("dana@example.com");
        assertThat(event.get("source").asText()).isEqualTo("berth");
        assertThat(event.get("change_number").isTextual()).isTrue();
        assertThat(event.get("entity").isNull() || event.get("entity").isTextual()).isTrue();
        assertThat(event.get("action").isTextual()).isTrue();
    }

    /** Every event of a run shares one partition; status events precede the one completion. */
    void assertInOrder(List<JsonNode> statuses, JsonNode completion) {
        Instant last = Instant.MIN;
        for (JsonNode status : statuses) {
            Instant at = Instant.parse(status.get("timestamp").asText());
            assertThat(at).isAfterOrEqualTo(last);
            last = at;
        }
        assertThat(Instant.parse(completion.get("timestamp").asText())).isAfterOrEqualTo(last);
    }

    List<JsonNode> statusesOf(String runId, int count) {
        completionOf(runId);
        await().atMost(WITHIN).until(() -> records(STATUS, runId, runId).size() >= count);
        List<ConsumerRecord<String, String>> mine = events.getRecords().stream()
                .filter(r -> r.topic().equals(STATUS) && runId.equals(r.key())).toList();
        assertThat(mine).extracting(ConsumerRecord::partition).containsOnly(mine.get(0).partition());
        List<JsonNode> statuses = records(STATUS, runId, runId);
        assertThat(statuses).hasSize(count);
        return statuses;
    }

    JsonNode completionOf(String runId) {
        await().atMost(WITHIN).until(() -> !records(COMPLETION, runId, runId).isEmpty());
        return records(COMPLETION, runId, runId).get(0);
    }

    /** Events of {@code topic} with {@code key} about run {@code runId}, in their partition's order. */
    List<JsonNode> records(String topic, String key, String runId) {
        return events.getRecords().stream()
                .filter(r -> r.topic().equals(topic) && key.equals(r.key()))
                .map(r -> parse(r.value()))
                .filter(e -> runId.equals(e.path("original_request_id").asText()))
                .toList();
    }

    String produce(ObjectNode message) {
        String runId = message.at("/context/runId").asText();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(RUNS_TOPIC, runId, message.toString()))
                .awaitCompletion(WITHIN);
        return runId;
    }

    static ObjectNode run(String action, String entity, Map<String, String> inputs) {
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode message = JSON.createObjectNode();
        message.putObject("trigger").putObject("by").put("userId", "auth0|1").putObject("user")
                .put("email", "dana@example.com");
        ObjectNode context = message.putObject("context").put("blueprint", "service").put("runId", runId);
        ObjectNode payload = message.putObject("payload");
        if (entity == null) {
            context.putNull("entity");
            payload.putNull("entity");
        } else {
            context.put("entity", entity);
            payload.putObject("entity").put("identifier", entity);
        }
        payload.putObject("action").put("identifier", action).putObject("invocationMethod").put("type", "KAFKA");
        ObjectNode properties = payload.putObject("properties");
        inputs.forEach(properties::put);
        return message;
    }

    static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    static List<String> fieldNames(JsonNode event) {
        return StreamSupport.stream(((Iterable<String>) event::fieldNames).spliterator(), false).toList();
    }

    static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
