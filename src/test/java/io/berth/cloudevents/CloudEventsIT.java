package io.berth.cloudevents;

import static io.berth.runs.Runs.inputs;
import static io.berth.runs.Runs.v1;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.delivery.ConsumerRoster;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.berth.triggers.TriggersFileResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/**
 * {@code POST /cloudevents} as a Knative KafkaSource calls it: runs pushed in binary and structured
 * mode go through the runs' own pipeline and are answered 200 only once Port has their end; a Port
 * that does not answer earns a 503 the source retries, the retry costing no second run; a caller
 * without a key is refused; a change event pushed from the change log reaches its webhook; a trigger's
 * record pushed from its topic reaches the trigger's webhook, or its dead-letter topic, before the answer.
 * This Berth consumes no topic itself, triggers' included.
 */
@QuarkusTest
@TestProfile(CloudEventsIT.Pushed.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TriggersFileResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "prefix", value = CloudEventsIT.TRIGGERS))
class CloudEventsIT {

    /** The triggers file's topics: {@value}.hooked (a webhook answering 204), {@value}.refused (one answering 400), ... */
    static final String TRIGGERS = "cloudevents-it";

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final String KEY = "ce-test-key";
    static final String SOURCE = "/apis/v1/namespaces/berth/kafkasources/berth-runs#" + KafkaBrokerResource.RUNS_TOPIC;
    static final AtomicLong OFFSETS = new AtomicLong(System.nanoTime() % 1_000_000);
    static final ObjectMapper JSON = new ObjectMapper();

    public static final class Pushed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.cloudevents.enabled", "true",
                    "berth.cloudevents.api-keys", "other-key, " + KEY,
                    "berth.cloudevents.answer-within", "15s");
        }
    }

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();
    static WireMockServer receiver;

    @Inject
    ConsumerRoster roster;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @AfterEach
    void clearFaults() {
        port.failNext(0, 503);
    }

    static String runId() {
        return "r_ce_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** KafkaSource's binary mode: the record's value as the body, its coordinates in ce- headers. */
    static RequestSpecification binary(long offset, ObjectNode run) {
        return binary(offset, run, KEY);
    }

    static RequestSpecification binary(long offset, ObjectNode run, String apiKey) {
        return binary(SOURCE, 1, offset, run, apiKey);
    }

    static RequestSpecification binary(String source, int partition, long offset, ObjectNode value, String apiKey) {
        return given().header("X-API-Key", apiKey)
                .header("ce-specversion", "1.0")
                .header("ce-id", "partition:" + partition + "/offset:" + offset)
                .header("ce-source", source)
                .header("ce-type", "dev.knative.kafka.event")
                .header("ce-subject", "partition:" + partition + "#" + offset)
                .header("ce-time", Instant.now().toString())
                .header("ce-key", "checkout")
                .header("ce-kafkaheadertraceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .contentType("application/json")
                .body(value.toString());
    }

    static Response push(RequestSpecification request) {
        return request.when().post("/cloudevents");
    }

    @Test
    void aRunPushedInBinaryModeIsAnsweredOnlyOnceItsEndIsReported() {
        String runId = runId();
        Response answer = push(binary(OFFSETS.incrementAndGet(), v1(runId, "test_echo", "checkout",
                inputs("name", "ledger"))));

        assertThat(answer.statusCode()).isEqualTo(200);
        // Answered after the outcome: Port has the terminal status by the time the source hears 200.
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.logs(runId)).first().asString().startsWith("Berth picked up the run");
    }

    @Test
    void aRunPushedInStructuredModeGoesThroughTheSamePipeline() {
        String runId = runId();
        long offset = OFFSETS.incrementAndGet();
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", "partition:2/offset:" + offset)
                .put("source", SOURCE).put("type", "dev.knative.kafka.event").put("subject", "partition:2#" + offset)
                .put("key", "checkout").put("datacontenttype", "application/json");
        event.set("data", v1(runId, "test_echo", "checkout", inputs("name", "structured")));

        Response answer = push(given().header("Authorization", "Bearer " + KEY)
                .contentType("application/cloudevents+json").body(event.toString()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.patches(runId)).last().satisfies(patch -> assertThat(patch.path("summary").asText())
                .isEqualTo("Echoed structured"));
    }

    @Test
    void theSameRunPushedTwiceHasOneEffectAndBothPushesAre2xx() {
        String runId = runId();
        long offset = OFFSETS.incrementAndGet();
        ObjectNode run = v1(runId, "test_echo", "checkout", inputs("name", "twice"));

        assertThat(push(binary(offset, run)).statusCode()).isEqualTo(200);
        assertThat(push(binary(offset, run)).statusCode()).isEqualTo(200);

        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.logs(runId)).filteredOn(line -> line.startsWith("Berth picked up")).hasSize(1);
    }

    @Test
    void aPortThatDoesNotAnswerEarnsA503AndTheRetriedPushEndsTheRunOnce() {
        String runId = runId();
        long offset = OFFSETS.incrementAndGet();
        ObjectNode run = v1(runId, "test_echo", "checkout", inputs("name", "outage"));
        port.failNext(10_000, 503);

        Response during = push(binary(offset, run));

        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.header("Retry-After")).isNotBlank();
        assertThat(port.terminalStatus(runId)).isEmpty();

        port.failNext(0, 503);
        // As KafkaSource does: the same event again until it is answered 2xx.
        await().atMost(WITHIN).until(() -> push(binary(offset, run)).statusCode() == 200);
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(port.logs(runId)).filteredOn(line -> line.startsWith("Berth picked up")).hasSize(1);
    }

    @Test
    void aChangeEventPushedFromTheChangeLogTopicReachesItsMappingWebhookBeforeTheAnswer() {
        String entity = "ce-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/changes/" + entity;
        receiver.stubFor(WireMock.post(path).willReturn(WireMock.aResponse().withStatus(200)));
        ObjectNode event = JSON.createObjectNode().put("action", "CREATE").put("resourceType", "entity")
                .put("status", "SUCCESS");
        event.putObject("context").put("entity", entity).put("blueprint", "hooked");
        event.putObject("diff").putNull("before").putObject("after").put("identifier", entity);
        event.putObject("changelogDestination").put("type", "WEBHOOK").put("agent", true)
                .put("url", receiver.baseUrl() + path);
        long offset = OFFSETS.incrementAndGet();

        Response answer = push(given().header("X-API-Key", KEY).header("ce-specversion", "1.0")
                .header("ce-id", "partition:2/offset:" + offset)
                .header("ce-source", "/apis/v1/namespaces/berth/kafkasources/berth-runs#"
                        + KafkaBrokerResource.CHANGE_LOG_TOPIC)
                .header("ce-type", "dev.knative.kafka.event").header("ce-key", entity)
                .contentType("application/json").body(event.toString()));

        assertThat(answer.statusCode()).isEqualTo(200);
        var calls = receiver.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path)));
        assertThat(calls).hasSize(1);
        // The record's coordinates came through from ce-id: the change log's idempotency key is made of them.
        assertThat(calls.get(0).getHeader("Idempotency-Key"))
                .isEqualTo(KafkaBrokerResource.CHANGE_LOG_TOPIC + "-2-" + offset);
    }

    static String triggerSource(String topic) {
        return "/apis/v1/namespaces/berth/kafkasources/berth-triggers#" + topic;
    }

    @Test
    void aTriggerRecordPushedInBinaryModeReachesItsWebhookBeforeTheAnswer() {
        String topic = TRIGGERS + ".hooked";
        long offset = OFFSETS.incrementAndGet();
        ObjectNode order = JSON.createObjectNode().put("amount", 99.99);

        Response answer = push(binary(triggerSource(topic), 0, offset, order, KEY));

        assertThat(answer.statusCode()).isEqualTo(200);
        // Answered after the outcome: the trigger's webhook has had the envelope by the time the source hears 200.
        var calls = TriggersFileResource.receiver.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hook"))
                .withHeader("Idempotency-Key", WireMock.equalTo(topic + "-0-" + offset)));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getHeader("X-Team")).isEqualTo("ops");
        assertThat(calls.get(0).getBodyAsString()).contains("\"topic\":\"" + topic + "\"")
                .contains("\"key\":\"checkout\"").contains("\"message\":{\"amount\":99.99}");
    }

    @Test
    void aPushedTriggerRecordItsTargetRefusesIsDeadLetteredByBerthAndAnswered200() {
        String topic = TRIGGERS + ".refused";
        ObjectNode value = JSON.createObjectNode().put("n", OFFSETS.incrementAndGet());

        Response answer = push(binary(triggerSource(topic), 0, OFFSETS.incrementAndGet(), value, KEY));

        assertThat(answer.statusCode()).isEqualTo(200);
        ConsumerRecord<String, String> letter = kafka.consumeStrings().fromTopics(topic + ".dlq", 1)
                .awaitCompletion(WITHIN).getFirstRecord();
        assertThat(letter.value()).isEqualTo(value.toString());
        assertThat(new String(letter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .startsWith("trigger refused: webhook POST");
    }

    @Test
    void noTriggerStartsAKafkaConsumerOfItsOwnSoARecordIsNotHandledTwice() {
        String topic = TRIGGERS + ".hooked";
        String key = "consumed-" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, "{\"amount\": 1}")).awaitCompletion(WITHIN);

        assertThat(roster.members()).noneMatch(member -> member.capability() == ConsumerRoster.Capability.TRIGGER);
        // Trigger groups there are (another test's Berth may have left some) have no member reading these topics.
        List<String> groups = kafka.consumerGroups().list().stream().map(ConsumerGroupListing::groupId)
                .filter(group -> group.startsWith("berth-triggers-")).toList();
        for (String group : groups) {
            assertThat(kafka.consumerGroups().describe(group).members()).as("members of group %s", group)
                    .noneMatch(member -> member.assignment().topicPartitions().stream()
                            .anyMatch(partition -> partition.topic().startsWith(TRIGGERS + ".")));
        }
        // The record written to the topic is left to the KafkaSource: Berth does not take it from Kafka itself.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> TriggersFileResource.receiver
                .findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hook"))).stream()
                .noneMatch(call -> call.getBodyAsString().contains(key)));
    }

    @Test
    void tellsPortThatTheOrganisationsRunsStillGoToKafka() {
        await().atMost(WITHIN).until(() -> port.organizationPatches().stream()
                .anyMatch(patch -> patch.at("/settings/portAgentStreamerName").asText().equals("KAFKA")));
    }

    @Test
    void aCallerWithoutAKeyIsRefusedAndNothingRuns() {
        String runId = runId();
        Response answer = push(binary(OFFSETS.incrementAndGet(), v1(runId, "test_echo", "checkout", null), "wrong"));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(port.requestsFor(runId)).isEmpty();
    }

    @Test
    void anEventWithoutATopicInItsSourceIsABadRequest() {
        Response answer = push(given().header("X-API-Key", KEY).header("ce-specversion", "1.0")
                .header("ce-id", "partition:0/offset:1").header("ce-source", "/apis/v1/namespaces/berth/kafkasources/x")
                .header("ce-type", "dev.knative.kafka.event").contentType("application/json").body("{}"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body().asString()).contains("#<topic>");
    }
}
