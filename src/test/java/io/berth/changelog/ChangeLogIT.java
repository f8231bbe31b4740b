package io.berth.changelog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Change-log automations end to end: events on {@code org_test.change.log}, the mapping file of
 * {@code src/test/resources/webhook-it-mapping.json} (blueprints {@code hooked} and {@code reported}),
 * the Java handlers of this package (blueprints {@code service} and {@code flaky}), a real HTTP
 * receiver and the Port stand-in.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class ChangeLogIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP = KafkaBrokerResource.ORG_ID + ".berth";
    static WireMockServer receiver;

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void aMappingWebhookGetsEveryKindOfChangeAtTheDestinationUrlAndPortHearsNothing() throws Exception {
        String entity = unique("checkout");
        String path = "/changes/" + entity;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)));

        RecordMetadata created = produce(entity, event("CREATE", "hooked", entity, null, state(entity, 2)));
        produce(entity, event("UPDATE", "hooked", entity, state(entity, 2), state(entity, 4)).put("id", "evt_42"));
        produce(entity, event("DELETE", "hooked", entity, state(entity, 4), null));
        produce(entity, timerExpired("hooked", entity));

        await().atMost(WITHIN).until(() -> sent(path).size() == 4);
        List<LoggedRequest> sent = sent(path);
        assertThat(sent).extracting(request -> body(request).path("action").asText())
                .containsExactly("CREATE", "UPDATE", "DELETE", "TIMER_EXPIRED");
        // The whole event is the default body; DELETE has no after, TIMER_EXPIRED no diff.
        assertThat(body(sent.get(0)).at("/diff/after/properties/replicas").asInt()).isEqualTo(2);
        assertThat(body(sent.get(2)).at("/diff/after").isNull()).isTrue();
        assertThat(body(sent.get(3)).has("diff")).isFalse();
        assertThat(sent.get(0).getHeader("Idempotency-Key"))
                .isEqualTo(KafkaBrokerResource.CHANGE_LOG_TOPIC + "-" + created.partition() + "-" + created.offset());
        assertThat(sent.get(1).getHeader("Idempotency-Key")).isEqualTo("evt_42");
        awaitCommitted(created.partition(), created.offset() + 4);
        assertThat(port.allRequestBodiesAndHeaders()).noneMatch(text -> text.contains(entity));
    }

    @Test
    void aJavaHandlerGetsEachKindOfChangeWithItsDiffAndNoWebhookIsCalled() {
        String entity = unique("billing");
        produce(entity, event("CREATE", "service", entity, null, state(entity, 1)));
        produce(entity, event("UPDATE", "service", entity, state(entity, 1), state(entity, 3)));
        produce(entity, event("DELETE", "service", entity, state(entity, 3), null));
        produce(entity, timerExpired("service", entity));

        await().atMost(WITHIN).until(() -> RecordingChangeHandler.of(entity).size() == 4);
        List<ChangeEvent> received = RecordingChangeHandler.of(entity);
        assertThat(received).extracting(ChangeEvent::action).containsExactly(ChangeAction.CREATE,
                ChangeAction.UPDATE, ChangeAction.DELETE, ChangeAction.TIMER_EXPIRED);
        assertThat(received).extracting(ChangeEvent::blueprint).containsOnly(java.util.Optional.of("service"));
        ChangeEvent create = received.get(0);
        assertThat(create.before()).isEmpty();
        assertThat(create.after().orElseThrow().at("/properties/replicas").asInt()).isEqualTo(1);
        ChangeEvent update = received.get(1);
        assertThat(update.before().orElseThrow().at("/properties/replicas").asInt()).isEqualTo(1);
        assertThat(update.after().orElseThrow().at("/properties/replicas").asInt()).isEqualTo(3);
        ChangeEvent delete = received.get(2);
        assertThat(delete.before()).isPresent();
        assertThat(delete.after()).isEmpty();
        ChangeEvent timer = received.get(3);
        assertThat(timer.before()).isEmpty();
        assertThat(timer.after()).isEmpty();
        assertThat(timer.entity()).contains(entity);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/changes/" + entity)))).isEmpty();
    }

    @Test
    void aFailingHandlerIsRetriedThenDeadLetteredWithTheReasonAndCommitted() {
        String entity = unique("inventory");
        RecordMetadata sent = produce(entity, event("UPDATE", "flaky", entity, state(entity, 1), state(entity, 2)));

        ConsumerRecord<String, String> letter = deadLetter(entity);
        // BERTH_CHANGELOG_RETRY_MAX_ATTEMPTS is 3 in tests.
        assertThat(FailingChangeHandler.attempts(entity)).isEqualTo(3);
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("change event UPDATE entity flaky/" + entity
                + ": handler FailingChangeHandler failed: the inventory service is down after 3 attempts");
        assertThat(header(letter, "dead-letter-topic")).isEqualTo(KafkaBrokerResource.CHANGE_LOG_TOPIC);
        assertThat(header(letter, "dead-letter-offset")).isEqualTo(String.valueOf(sent.offset()));
        awaitCommitted(sent.partition(), sent.offset() + 1);
    }

    @Test
    void anEventNotAddressedToAnAgentIsLeftAloneAndCommitted() {
        String entity = unique("search");
        ObjectNode notForAgent = event("UPDATE", "service", entity, state(entity, 1), state(entity, 2));
        ((ObjectNode) notForAgent.get("changelogDestination")).put("agent", false);
        ObjectNode noAgentKey = event("UPDATE", "hooked", entity, state(entity, 1), state(entity, 2));
        noAgentKey.set("changelogDestination", JSON.createObjectNode().put("type", "KAFKA"));
        produce(entity, notForAgent);
        RecordMetadata last = produce(entity, noAgentKey);

        awaitCommitted(last.partition(), last.offset() + 1);
        assertThat(RecordingChangeHandler.of(entity)).isEmpty();
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/changes/" + entity)))).isEmpty();
    }

    @Test
    void anEventWithARunIdReportsTheWebhooksOutcomeToThatRun() {
        String entity = unique("payments");
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String path = "/changes/" + entity;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"url\":\"https://ci.example/7\"}")));
        ObjectNode event = event("UPDATE", "reported", entity, state(entity, 1), state(entity, 2));
        ((ObjectNode) event.get("context")).put("runId", runId);
        produce(entity, event);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.logs(runId)).first().asString().startsWith("Berth picked up change event UPDATE entity reported/"
                + entity + ", handled by mapping#");
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line).contains("answered 200"));
        assertThat(port.patches(runId)).anySatisfy(patch -> assertThat(patch.path("link").toString())
                .contains("https://ci.example/7"));
        assertThat(body(sent(path).get(0))).isEqualTo(JSON.createObjectNode().put("entity", entity).put("action", "UPDATE"));
    }

    @Test
    void anEventWithARunIdReportsTheJavaHandlersOutcomeToThatRun() {
        String entity = unique("ledger");
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode event = event("CREATE", "service", entity, null, state(entity, 1));
        ((ObjectNode) event.get("context")).put("runId", runId);
        produce(entity, event);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(RecordingChangeHandler.of(entity)).singleElement()
                .satisfies(received -> assertThat(received.runId()).contains(runId));
    }

    @Test
    void anEventWithAWorkflowNodeRunIdCompletesThatNodeRun() {
        String entity = unique("ledger");
        String nodeRunId = "wfnr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode event = event("CREATE", "service", entity, null, state(entity, 1));
        ((ObjectNode) event.get("context")).put("runId", nodeRunId);
        produce(entity, event);

        await().atMost(WITHIN).until(() -> port.nodeRunResult(nodeRunId).isPresent());
        assertThat(port.nodeRunResult(nodeRunId)).contains("SUCCESS");
        assertThat(port.terminalWrites(nodeRunId)).isEqualTo(1);
        assertThat(port.logs(nodeRunId)).first().asString().startsWith("Berth picked up change event CREATE");
        assertThat(port.requests()).noneMatch(r -> r.path().startsWith("/v1/actions/runs/" + nodeRunId));
    }

    @Test
    void malformedEventsAreDeadLetteredWithTheReason() {
        String broken = unique("broken");
        String renamed = unique("renamed");
        produceRaw(broken, "{\"action\": \"UPDATE\", oops");
        produce(renamed, event("RENAME", "service", renamed, null, null));

        assertThat(header(deadLetter(broken), "dead-letter-reason")).startsWith("malformed JSON at line 1");
        assertThat(header(deadLetter(renamed), "dead-letter-reason"))
                .isEqualTo("change event without a known action (CREATE, UPDATE, DELETE or TIMER_EXPIRED)");
        assertThat(RecordingChangeHandler.of(renamed)).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------

    ObjectNode event(String action, String blueprint, String entity, JsonNode before, JsonNode after) {
        ObjectNode event = JSON.createObjectNode().put("action", action).put("resourceType", "entity")
                .put("status", "SUCCESS");
        event.putObject("trigger").put("origin", "API").putObject("by").put("orgId", "org_test");
        event.putObject("context").put("entity", entity).put("blueprint", blueprint);
        ObjectNode diff = event.putObject("diff");
        diff.set("before", before);
        diff.set("after", after);
        event.putObject("changelogDestination").put("type", "WEBHOOK").put("agent", true)
                .put("url", "http://localhost:" + receiver.port() + "/changes/" + entity);
        return event;
    }

    /** Automation trigger data: {@code blueprintIdentifier}/{@code entityIdentifier}, no diff. */
    ObjectNode timerExpired(String blueprint, String entity) {
        ObjectNode event = event("TIMER_EXPIRED", blueprint, entity, null, null);
        event.remove("diff");
        event.putObject("context").put("entityIdentifier", entity).put("blueprintIdentifier", blueprint);
        ((ObjectNode) event.get("trigger").get("by")).put("byPort", true);
        return event;
    }

    static ObjectNode state(String entity, int replicas) {
        ObjectNode state = JSON.createObjectNode().put("identifier", entity);
        state.putObject("properties").put("replicas", replicas);
        return state;
    }

    RecordMetadata produce(String key, ObjectNode event) {
        return produceRaw(key, event.toString());
    }

    RecordMetadata produceRaw(String key, String value) {
        return kafka.produceStrings().fromRecords(new ProducerRecord<>(KafkaBrokerResource.CHANGE_LOG_TOPIC, key, value))
                .awaitCompletion(WITHIN).getFirstRecord();
    }

    /** The dead letter of the record keyed {@code key} (the topic is shared by the tests of this class). */
    ConsumerRecord<String, String> deadLetter(String key) {
        ConsumerTask<String, String> letters = kafka.consumeStrings()
                .fromTopics(KafkaBrokerResource.CHANGE_LOG_DEAD_LETTER_TOPIC);
        try {
            await().atMost(WITHIN).until(() -> letters.getRecords().stream().anyMatch(r -> key.equals(r.key())));
            return letters.getRecords().stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        } finally {
            letters.stop();
        }
    }

    void awaitCommitted(int partition, long offset) {
        await().atMost(WITHIN).until(() -> {
            OffsetAndMetadata committed = kafka.consumerGroups().offsets(GROUP,
                    new TopicPartition(KafkaBrokerResource.CHANGE_LOG_TOPIC, partition));
            return committed != null && committed.offset() >= offset;
        });
    }

    static List<LoggedRequest> sent(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    static JsonNode body(LoggedRequest request) throws RuntimeException {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
