package io.berth.publish;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.config.Secret;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.berth.webhook.PortSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Kafka publish actions end to end: a signed run on the runs topic, a mapping entry with
 * {@code kafka}, the record on the real broker, the run's report at the Port stand-in. The registry
 * is {@link SchemaRegistryStandIn} (its Javadoc says why it is not a real one).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SchemaRegistryStandIn.class, restrictToAnnotatedClass = true)
class KafkaPublishIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    static final int AVRO_SCHEMA_ID = 21;
    static final String USER_AVRO = """
            {"type": "record", "name": "UserProfileUpdated", "namespace": "io.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "name", "type": "string"},
              {"name": "email", "type": ["null", "string"], "default": null},
              {"name": "age", "type": ["null", "int"], "default": null}]}""";
    static final String ORDER_JSON_SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
             "properties": {"orderId": {"type": "string"}, "amount": {"type": "number", "minimum": 0}},
             "required": ["orderId", "amount"], "additionalProperties": false}""";

    PortStandIn port = PortStandInResource.standIn();

    @BeforeAll
    static void registerSchemas() throws Exception {
        WireMockServer registry = SchemaRegistryStandIn.registry();
        String basicAuth = "Basic " + Base64.getEncoder().encodeToString((SchemaRegistryStandIn.USERNAME + ":"
                + SchemaRegistryStandIn.PASSWORD).getBytes(StandardCharsets.UTF_8));
        // Confluent leaves schemaType out for Avro.
        registry.stubFor(get(urlEqualTo("/subjects/user.profile.updated/versions/latest"))
                .withHeader("Authorization", equalTo(basicAuth))
                .willReturn(latest(JSON.createObjectNode().put("subject", "user.profile.updated").put("version", 3)
                        .put("id", AVRO_SCHEMA_ID).put("schema", USER_AVRO))));
        SchemaRegistryStandIn.serveContentForApicurioSerdes(AVRO_SCHEMA_ID, USER_AVRO);
        registry.stubFor(get(urlPathMatching("/subjects/publish\\.orders\\.[^/]+-value/versions/latest"))
                .willReturn(latest(JSON.createObjectNode().put("subject", "publish.orders-value").put("version", 1)
                        .put("id", 11).put("schemaType", "JSON").put("schema", ORDER_JSON_SCHEMA))));
        registry.stubFor(get(urlEqualTo("/subjects/unavailable/versions/latest"))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", CONFLUENT_JSON)
                        .withBody("{\"error_code\":50003,\"message\":\"Error while forwarding the request\"}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder latest(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", CONFLUENT_JSON).withBody(body.toString());
    }

    @Test
    void publishesTheRunsValueWithKeyAndHeadersAndLogsWhereItLanded() {
        String runId = runId();
        produce(run(runId, "test_publish_plain", JSON.createObjectNode().put("userId", "12345").put("action", "login")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        ConsumerRecord<String, byte[]> record = single("publish.plain." + runId);
        assertThat(record.key()).isEqualTo("user-12345");
        assertThat(json(record.value())).isEqualTo(JSON.createObjectNode().put("userId", "12345").put("action", "login"));
        assertThat(header(record, "source")).isEqualTo("berth");
        assertThat(header(record, "run")).isEqualTo(runId);
        assertThat(port.logs(runId)).contains("Published to topic publish.plain." + runId + ", partition "
                + record.partition() + ", offset " + record.offset());
    }

    @Test
    void validatesAgainstTheSubjectsJsonSchemaAndPublishesPlainJson() {
        String runId = runId();
        produce(run(runId, "test_publish_json", JSON.createObjectNode().put("orderId", "o-1").put("amount", 9.5)));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        ConsumerRecord<String, byte[]> record = single("publish.orders." + runId);
        assertThat(json(record.value())).isEqualTo(JSON.createObjectNode().put("orderId", "o-1").put("amount", 9.5));
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line).endsWith("offset " + record.offset()
                + " (schema id 11)"));
        SchemaRegistryStandIn.registry().verify(getRequestedFor(
                urlEqualTo("/subjects/publish.orders." + runId + "-value/versions/latest")));
    }

    @Test
    void writesAvroInConfluentsWireFormatThatAConfluentCompatibleDeserializerDecodes() throws Exception {
        String runId = runId();
        produce(run(runId, "test_publish_avro", JSON.createObjectNode().put("id", "123").put("name", "John Doe")
                .put("email", "john@example.com")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        ConsumerRecord<String, byte[]> record = single("publish.users." + runId);
        assertThat(record.key()).isEqualTo("123");
        // Decoded by a Confluent-compatible client library, Apicurio's Avro deserializer in Confluent
        // mode, through the id the record carries: the schema is fetched by that id and nothing else.
        assertThat(record.value()[0]).isZero();
        Map<String, String> user = ConfluentCompatibleAvroDecoder.fromOutsideTheApplication(
                SchemaRegistryStandIn.registry().baseUrl() + SchemaRegistryStandIn.APICURIO_V2).apply(record.value());
        SchemaRegistryStandIn.registry().verify(getRequestedFor(urlEqualTo(SchemaRegistryStandIn.APICURIO_V2
                + "/ids/contentIds/" + AVRO_SCHEMA_ID)));
        assertThat(user).containsOnlyKeys("id", "name", "email", "age")
                .containsEntry("id", "123").containsEntry("name", "John Doe")
                .containsEntry("email", "john@example.com").containsEntry("age", null);
    }

    @Test
    void anInvalidValueFailsTheRunWithEachErrorAndPublishesNothing() {
        String runId = runId();
        produce(run(runId, "test_publish_avro", JSON.createObjectNode().put("id", 123).put("age", "forty")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText()).isEqualTo("The value does not follow the schema of"
                + " subject user.profile.updated: $.age: fits none of the union's types [null, int], was string;"
                + " $.id: must be a string, was number; $.name: is required (record UserProfileUpdated, no default)");
        assertThat(KafkaBrokerResource.companion().topics().list()).doesNotContain("publish.users." + runId);
    }

    @Test
    void anInvalidJsonValueNamesEachPathAndProblem() {
        String runId = runId();
        produce(run(runId, "test_publish_json", JSON.createObjectNode().put("amount", -2).put("coupon", "x")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        String summary = lastPatch(runId).path("summary").asText();
        assertThat(summary).startsWith("The value does not follow the schema of subject publish.orders." + runId
                + "-value: ").contains("$.amount: ", "orderId", "coupon");
    }

    @Test
    void aRegistryAnswering503IsRetriedThenFailsTheRunSayingSo() {
        String runId = runId();
        produce(run(runId, "test_publish_unavailable", JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        String registry = SchemaRegistryStandIn.registry().baseUrl();
        // BERTH_WEBHOOK_RETRY_MAX_ATTEMPTS: 4 by default.
        assertThat(lastPatch(runId).path("summary").asText()).isEqualTo("Schema registry " + registry
                + ", subject unavailable is unavailable: answered 503 after 4 attempt(s)");
        SchemaRegistryStandIn.registry().verify(4, getRequestedFor(urlEqualTo("/subjects/unavailable/versions/latest")));
    }

    @Test
    void aRegistryThatIsDownFailsTheRunAfterItsRetries() {
        String runId = runId();
        produce(run(runId, "test_publish_down", JSON.createObjectNode()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(lastPatch(runId).path("summary").asText()).startsWith("Schema registry http://127.0.0.1:"
                + SchemaRegistryStandIn.deadPort() + ", subject publish.down-value is unreachable after 4 attempt(s): ");
    }

    private static String runId() {
        return "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static ObjectNode run(String runId, String action, ObjectNode inputs) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("context").put("entity", "checkout").put("blueprint", "service").put("runId", runId);
        ObjectNode payload = message.putObject("payload");
        ObjectNode actionNode = payload.putObject("action").put("identifier", action);
        // Port routes a publish action to Berth as an agent webhook (which signs it); its url is unused.
        actionNode.putObject("invocationMethod").put("type", "WEBHOOK").put("agent", true)
                .put("synchronized", true).put("method", "POST").put("url", "https://unused.example.com");
        payload.set("properties", inputs);
        message.putObject("trigger").putObject("by").putObject("user").put("email", "dana@example.com");
        return message;
    }

    private static void produce(ObjectNode message) {
        PortSignature.signAsPort(message, Secret.of(PortStandIn.CLIENT_SECRET), Instant.now().getEpochSecond());
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "checkout", message.toString()))
                .awaitCompletion(WITHIN);
    }

    private static ConsumerRecord<String, byte[]> single(String topic) {
        List<ConsumerRecord<String, byte[]>> records = KafkaBrokerResource.companion()
                .consume(String.class, byte[].class).fromTopics(topic, 1).awaitCompletion(WITHIN).getRecords();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode lastPatch(String runId) {
        List<JsonNode> patches = port.patches(runId);
        return patches.get(patches.size() - 1);
    }
}
