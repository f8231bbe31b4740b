package io.berth.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/**
 * Health, consumer lag and metrics of a running Berth with every kind of consumer but triggers
 * (runs, change log, two bridge subscriptions), against the real broker and Port's stand-in. In
 * order: everything healthy before any traffic; traffic, then every metric the Grafana dashboard
 * queries; a stalled subscription's lag turning the lag check DOWN while the group has fewer
 * members than partitions (and liveness DOWN for its stuck records); the same lag no signal once
 * the group has as many members as partitions.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OperationsResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    static final Duration WITHIN = Duration.ofSeconds(45);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int STALLED_PER_PARTITION = 10;

    final KafkaCompanion kafka = KafkaBrokerResource.companion();
    final PortStandIn port = PortStandInResource.standIn();

    @Test
    @Order(1)
    void readinessWaitsForEveryConsumerPortsTokenAndTheConfigurationAndLivenessIsUp() {
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        // Each channel enlists its consumer as the connector starts it, which may come after the first
        // ready answer on a loaded machine; every one of them is listed once started.
        await().atMost(WITHIN).untilAsserted(() -> assertThat(check(health("/q/health/ready"), "berth-consumers")
                .path("data").fieldNames()).toIterable().contains("runs", "change log",
                        "bridge " + OperationsResource.HOOKS, "bridge " + OperationsResource.STALLED));
        JsonNode ready = health("/q/health/ready");
        assertThat(check(ready, "berth-consumers").path("data").path("bridge " + OperationsResource.STALLED).asText())
                .isEqualTo("joined " + OperationsResource.BRIDGE_GROUP + ", " + OperationsResource.STALLED_PARTITIONS
                        + " partitions of " + OperationsResource.STALLED);
        assertThat(check(ready, "berth-configuration").path("status").asText()).isEqualTo("UP");
        assertThat(check(ready, "berth-port-token").path("status").asText()).isEqualTo("UP");

        given().get("/q/health/live").then().statusCode(200);
        assertThat(check(health("/q/health/live"), "berth-delivery").path("status").asText()).isEqualTo("UP");
        await().atMost(WITHIN).until(() -> check(health("/q/health/group/lag"), "berth-consumer-lag").path("data")
                .has(OperationsResource.BRIDGE_GROUP));
    }

    @Test
    @Order(2)
    void afterTrafficEveryMetricTheDashboardQueriesIsExportedWithBoundedLabels() throws IOException {
        OperationsResource.receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        port.failNext(1, 503); // one Port retry
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(OperationsResource.RUNS, runId, run(runId, "test_echo").toString()),
                new ProducerRecord<>(OperationsResource.RUNS, "garbage", "{not json"),
                new ProducerRecord<>(OperationsResource.HOOKS, "k1", "{\"n\": 1}"),
                new ProducerRecord<>(OperationsResource.TRIGGERED, "d1", "{\"version\": \"1.0.0\"}"),
                new ProducerRecord<>(OperationsResource.CHANGE_LOG, "ops", changeEvent("ops-ledger").toString()))
                .awaitCompletion(WITHIN);
        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        await().atMost(WITHIN).until(() -> !OperationsResource.receiver.findAll(postRequestedFor(urlEqualTo("/hook")))
                .isEmpty());

        await().atMost(WITHIN).untilAsserted(() -> {
            String metrics = RestAssured.get("/q/metrics").asString();
            assertThat(missing(dashboardMetricNames(), metrics)).as("dashboard metrics not exported").isEmpty();
            assertThat(metrics).contains("berth_dead_letters_total{capability=\"runs\",reason=\"malformed\",result=\"stored\"}")
                    .contains("berth_retries_total{call=\"port\"}")
                    .contains("berth_port_token_fetches_total{kind=\"fetch\",result=\"success\"}")
                    .containsPattern("berth_bridge_deliveries_seconds_count\\{status=\"200\",subscription=\""
                            + Pattern.quote(OperationsResource.HOOKS) + "\"}")
                    .containsPattern("berth_records_received_total\\{capability=\"bridge\"}")
                    .contains("berth_runs_received_total{action=\"test_echo\"} 1.0")
                    .contains("berth_runs_received_total{action=\"unknown\"} 1.0")
                    .containsPattern("berth_run_duration_seconds_bucket\\{action=\"test_echo\",result=\"success\",le=")
                    .containsPattern("berth_trigger_duration_seconds_bucket\\{result=\"fired\",trigger=\""
                            + OperationsResource.TRIGGER + "\",le=")
                    .containsPattern("berth_change_handler_duration_seconds_bucket\\{handler=\"RecordingChangeHandler\","
                            + "result=\"success\",le=")
                    .containsPattern("berth_port_requests_seconds_count\\{method=\"PATCH\",route=\"[^\"]*/actions/runs/"
                            + "\\{runId}\",status=\"200\"}");
            assertThat(metrics).as("no run id in any label").doesNotContain(runId);
        });
        assertThat(check(health("/q/health/ready"), "berth-port-token").path("data").path("token").asText())
                .startsWith("cached");
    }

    @Test
    @Order(3)
    void lagOverTheLimitWithFewerMembersThanPartitionsTurnsTheLagCheckDownButNotReadiness() {
        OperationsResource.receiver.stubFor(post(urlEqualTo("/stalled")).willReturn(aResponse().withStatus(503)));
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int partition = 0; partition < OperationsResource.STALLED_PARTITIONS; partition++) {
            for (int i = 0; i < STALLED_PER_PARTITION; i++) {
                records.add(new ProducerRecord<>(OperationsResource.STALLED, partition, "k" + partition + "-" + i, "{}"));
            }
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);

        await().atMost(WITHIN).untilAsserted(() -> {
            given().get("/q/health/group/lag").then().statusCode(503);
            JsonNode group = lagOf(OperationsResource.BRIDGE_GROUP);
            assertThat(group.path("lag").path(OperationsResource.STALLED).path("partition-0").asLong())
                    .isEqualTo(STALLED_PER_PARTITION);
            assertThat(group.path("lag").path(OperationsResource.STALLED).size())
                    .isEqualTo(OperationsResource.STALLED_PARTITIONS);
            assertThat(group.path("members").path(OperationsResource.STALLED).asInt()).isEqualTo(1);
            assertThat(group.path("limits").path(OperationsResource.STALLED).asLong())
                    .isEqualTo(OperationsResource.STALLED_LIMIT);
            assertThat(group.path("signal").toString()).isEqualTo("[\"" + OperationsResource.STALLED + "\"]");
        });
        assertThat(lagOf(OperationsResource.RUNS_GROUP).path("signal").isMissingNode()).as("the runs keep up").isTrue();
        assertThat(RestAssured.get("/q/metrics").asString()).containsPattern("berth_consumer_lag\\{group=\""
                + Pattern.quote(OperationsResource.BRIDGE_GROUP) + "\",partition=\"1\",topic=\""
                + Pattern.quote(OperationsResource.STALLED) + "\"} 10.0");
        given().get("/q/health/ready").then().statusCode(200);

        // The stalled records are never answered: past BERTH_HEALTH_STUCK_AFTER, liveness says so.
        await().atMost(WITHIN).untilAsserted(() -> {
            given().get("/q/health/live").then().statusCode(503);
            assertThat(check(health("/q/health/live"), "berth-delivery").path("data").path("stuck").asText())
                    .contains(OperationsResource.STALLED).contains("BERTH_HEALTH_STUCK_AFTER");
        });
    }

    @Test
    @Order(4)
    void theSameLagIsNoSignalOnceTheGroupHasAsManyMembersAsPartitions() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> extras = new ArrayList<>();
        for (int i = 0; i < OperationsResource.STALLED_PARTITIONS - 1; i++) {
            Thread member = new Thread(() -> pollWithoutCommitting(stop), "ops-it-extra-member-" + i);
            member.start();
            extras.add(member);
        }
        try {
            await().atMost(WITHIN).untilAsserted(() -> {
                given().get("/q/health/group/lag").then().statusCode(200);
                JsonNode group = lagOf(OperationsResource.BRIDGE_GROUP);
                assertThat(group.path("members").path(OperationsResource.STALLED).asInt())
                        .isEqualTo(OperationsResource.STALLED_PARTITIONS);
                assertThat(group.path("lag").path(OperationsResource.STALLED).path("partition-2").asLong())
                        .as("still over the limit").isGreaterThan(OperationsResource.STALLED_LIMIT);
                assertThat(group.path("signal").isMissingNode()).isTrue();
            });
        } finally {
            stop.set(true);
            for (Thread member : extras) {
                member.join(20_000);
            }
            OperationsResource.receiver.stubFor(post(urlEqualTo("/stalled")).willReturn(aResponse().withStatus(200)));
        }
    }

    /** Another member of the bridge's group: takes partitions of the stalled topic, commits nothing. */
    static void pollWithoutCommitting(AtomicBoolean stop) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, OperationsResource.BRIDGE_GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(OperationsResource.STALLED));
            while (!stop.get()) {
                consumer.poll(Duration.ofMillis(200));
                consumer.pause(consumer.assignment()); // stays a member; reads nothing more
            }
        }
    }

    /** Every {@code berth_*} name the dashboard's queries use. */
    static Set<String> dashboardMetricNames() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(Path.of("deploy/grafana/berth-dashboard.json")));
        Set<String> names = new TreeSet<>();
        Pattern name = Pattern.compile("\\bberth_[a-z0-9_]+");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = name.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        }
        assertThat(names).as("the dashboard queries Berth's metrics").hasSizeGreaterThan(10);
        return names;
    }

    static List<String> missing(Set<String> names, String metrics) {
        return names.stream().filter(metric -> !Pattern.compile("(?m)^" + metric + "[{ ]").matcher(metrics).find())
                .toList();
    }

    static JsonNode health(String path) {
        return parse(RestAssured.get(path).asString());
    }

    static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    /** The lag check's entry for {@code group}: seed 003's shape, a JSON object (not JSON text in a string). */
    static JsonNode lagOf(String group) {
        JsonNode entry = check(health("/q/health/group/lag"), "berth-consumer-lag").path("data").path(group);
        assertThat(entry.isObject()).as("the group's lag is a nested JSON object: " + entry).isTrue();
        return entry;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** A change event of a {@code service} entity, which the tests' RecordingChangeHandler takes. */
    static ObjectNode changeEvent(String entity) {
        ObjectNode event = JSON.createObjectNode().put("action", "CREATE").put("resourceType", "entity")
                .put("status", "SUCCESS");
        event.putObject("trigger").put("origin", "API").putObject("by").put("orgId", "org_test");
        event.putObject("context").put("entity", entity).put("blueprint", "service");
        event.putObject("diff").putObject("after").put("identifier", entity);
        event.putObject("changelogDestination").put("type", "WEBHOOK").put("agent", true);
        return event;
    }

    static ObjectNode run(String runId, String action) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("trigger").putObject("by").put("userId", "auth0|1");
        message.putObject("context").put("blueprint", "service").put("runId", runId).putNull("entity");
        ObjectNode payload = message.putObject("payload");
        payload.putNull("entity");
        payload.putObject("action").put("identifier", action).putObject("invocationMethod").put("type", "KAFKA");
        payload.putObject("properties").put("name", "ops");
        return message;
    }

    @Inject
    Optional<ExemplarSampler> exemplars;

    /** Without tracing (the default) no span is ever current: the registry samples no exemplar at each update. */
    @Test
    void thePrometheusRegistryHasNoExemplarSamplerWithoutTracing() {
        assertThat(exemplars).isEmpty();
    }

}
