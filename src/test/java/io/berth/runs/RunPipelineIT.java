package io.berth.runs;

import static io.berth.runs.Runs.inputs;
import static io.berth.runs.Runs.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The run pipeline end to end: a real broker, Port's API stood in by WireMock, Berth as deployed.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class RunPipelineIT {

    static final Duration WITHIN = Duration.ofSeconds(30);

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();

    @AfterEach
    void clearFaults() {
        port.failNext(0, 503);
        port.rateLimitNext(0, 0);
    }

    static String runId() {
        return "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    void produce(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, key, value))
                .awaitCompletion(WITHIN);
    }

    void produce(ObjectNode message) {
        produce(message.at("/context/entity").asText(null), message.toString());
    }

    @Test
    void runsAV1RunToSuccessWithLogsLinkAndEntity() {
        String runId = runId();
        produce(v1(runId, "test_echo", "checkout", inputs("name", "ledger", "language", "java")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.logs(runId)).hasSize(2);
        assertThat(port.logs(runId).get(0)).contains("picked up").contains("test_echo");
        assertThat(port.logs(runId).get(1)).isEqualTo("Echoing ledger");
        List<JsonNode> patches = port.patches(runId);
        assertThat(patches).extracting(p -> p.path("statusLabel").asText(null)).contains("Echoing");
        assertThat(patches).extracting(p -> p.path("link").asText(null))
                .contains("https://ci.example.com/runs/" + runId);
        JsonNode terminal = patches.get(patches.size() - 1);
        assertThat(terminal.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(terminal.path("summary").asText()).isEqualTo("Echoed ledger");
        assertThat(port.entities(runId)).singleElement()
                .satisfies(entity -> assertThat(entity.path("identifier").asText()).isEqualTo("ledger"));
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(TestHandlers.invocations(runId)).isEqualTo(1);
    }

    @Test
    void aJavaHandlersRunTakesFivePortCallsWithItsLabelAndLinkInOnePatch() {
        String runId = runId();
        produce(v1(runId, "test_echo", "checkout", inputs("name", "ledger", "language", "java")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.callsFor(runId)).containsExactly(
                "POST /v1/actions/runs/{id}/logs", // picked up
                "POST /v1/actions/runs/{id}/logs", // the handler's line
                "PATCH /v1/actions/runs/{id}", // its status label and link, set back to back
                "POST /v1/blueprints/service/entities",
                "PATCH /v1/actions/runs/{id}"); // the terminal status
        JsonNode fields = port.patches(runId).get(0);
        assertThat(fields.path("statusLabel").asText()).isEqualTo("Echoing");
        assertThat(fields.path("link").asText()).isEqualTo("https://ci.example.com/runs/" + runId);
        assertThat(fields.has("status")).isFalse();
    }

    @Test
    void fieldsSetEarlyInALongRunReachPortInOnePatchWhileTheHandlerStillWorks() {
        String runId = runId();
        produce(v1(runId, "test_fields_then_work", "fields-entity", null));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(TestHandlers.FIELDS_SENT_WHILE_WORKING).containsEntry(runId, true);
        assertThat(port.callsFor(runId)).containsExactly("POST /v1/actions/runs/{id}/logs",
                "PATCH /v1/actions/runs/{id}", "PATCH /v1/actions/runs/{id}");
        JsonNode terminal = port.patches(runId).get(1);
        assertThat(terminal.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(terminal.has("link")).isFalse();
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
    }

    @Test
    void runsTheV2PayloadTemplateExample() throws Exception {
        String runId = runId();
        // Port's example runs scaffold_service, a real handler of Berth's (inactive here): test_echo takes it.
        String example = Files.readString(Path.of("src/test/resources/examples/run-v2-kafka-template.json"))
                .replace("r_Kp4Nd8sQ2rVt6yHa", runId).replace("\"scaffold_service\"", "\"test_echo\"");
        produce(null, example);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.patches(runId).get(port.patches(runId).size() - 1).path("summary").asText())
                .isEqualTo("Echoed ledger");
    }

    @Test
    void reportsFailureWithTheHandlersMessageWhenItThrows() {
        String runId = runId();
        produce(v1(runId, "test_fail", "checkout", inputs("cluster", "eu-1")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        JsonNode terminal = port.patches(runId).get(port.patches(runId).size() - 1);
        assertThat(terminal.path("summary").asText()).isEqualTo("cluster eu-1 is unreachable");
    }

    @Test
    void failsAndInterruptsABlockingHandlerThatOutlivesItsTimeout() {
        String runId = runId();
        produce(v1(runId, "test_stuck", "stuck-entity", null));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(port.patches(runId).get(port.patches(runId).size() - 1).path("summary").asText())
                .contains("did not finish within 2000 ms");
        await().atMost(WITHIN).until(() -> TestHandlers.INTERRUPTED.contains(runId));
    }

    @Test
    void reportsFailureWithoutCallingTheHandlerWhenInputsAreUnusable() {
        String runId = runId();
        ObjectNode message = v1(runId, "test_echo", "checkout", null);
        message.with("payload").put("properties", "not an object");
        produce(message);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(port.patches(runId).get(port.patches(runId).size() - 1).path("summary").asText())
                .contains("payload.properties must be an object");
        assertThat(TestHandlers.invocations(runId)).isZero();
    }

    @Test
    void leavesARunNobodyClaimsAloneAndKeepsConsuming() {
        String foreign = runId();
        String ours = runId();
        produce(v1(foreign, "someone_elses_action", "checkout", null));
        produce(v1(ours, "test_echo", "checkout", inputs("name", "after")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(ours).isPresent());
        assertThat(port.requestsFor(foreign)).isEmpty();
    }

    @Test
    void handlesADuplicatedRecordOnce() {
        String runId = runId();
        ObjectNode message = v1(runId, "test_echo", "dup-entity", inputs("name", "once"));
        produce(message);
        produce(message);
        produce(message);
        String after = runId();
        produce(v1(after, "test_echo", "dup-entity", inputs("name", "after")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(after).isPresent());
        assertThat(TestHandlers.invocations(runId)).isEqualTo(1);
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
    }

    @Test
    void deadLettersEveryKindOfBadRecordAndKeepsConsuming() throws Exception {
        String badSignatureRun = runId();
        ObjectNode signed = v1(badSignatureRun, "test_echo", "checkout", inputs("name", "forged"));
        signed.putObject("headers").put("X-Port-Signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .put("X-Port-Timestamp", 1795432443);
        String oversized = "{\"context\":{\"runId\":\"" + runId() + "\"},\"pad\":\"" + "x".repeat(70_000) + "\"}";

        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = List.of(1, 2, 3, 4, 5).stream().map(n -> "bad-" + batch + "-" + n).toList();
        produce(keys.get(0), "{not json");
        produce(keys.get(1), "{\"context\":{},\"payload\":{\"action\":{\"identifier\":\"test_echo\"}}}");
        produce(keys.get(2), "[1,2,3]");
        produce(keys.get(3), oversized);
        produce(keys.get(4), signed.toString());
        String after = runId();
        produce(v1(after, "test_echo", "checkout", inputs("name", "after")));

        await().atMost(WITHIN).until(() -> port.terminalStatus(after).isPresent());
        // The dead-letter topic is shared with other tests: read until this test's five are there.
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(KafkaBrokerResource.DEAD_LETTER_TOPIC);
        List<ConsumerRecord<String, String>> dead;
        try {
            await().atMost(WITHIN).until(() -> deadLetters.getRecords().stream().map(ConsumerRecord::key)
                    .toList().containsAll(keys));
            dead = deadLetters.getRecords().stream().filter(r -> keys.contains(r.key())).toList();
        } finally {
            deadLetters.stop();
        }
        assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(reason(dead, keys.get(0))).startsWith("malformed JSON");
        assertThat(reason(dead, keys.get(1))).startsWith("no run id");
        assertThat(reason(dead, keys.get(2))).contains("must be a JSON object");
        assertThat(reason(dead, keys.get(3))).contains("exceeds the limit");
        assertThat(reason(dead, keys.get(4))).contains("X-Port-Signature does not match");
        assertThat(header(dead, keys.get(0), "dead-letter-topic")).isEqualTo(KafkaBrokerResource.RUNS_TOPIC);
        assertThat(header(dead, keys.get(0), "dead-letter-offset")).matches("\\d+");
        assertThat(port.requestsFor(badSignatureRun)).isEmpty();
        assertThat(TestHandlers.invocations(badSignatureRun)).isZero();
        // The metrics the README documents.
        String metrics = RestAssured.get("/q/metrics").asString();
        assertThat(metrics).contains("berth_records_total{outcome=\"dead_lettered\"}")
                .contains("berth_run_duration_seconds_count{action=\"test_echo\",result=\"success\"}");
    }

    @Test
    void acceptsARunSignedByPortWithNonAsciiInputs() throws Exception {
        String runId = runId();
        // Port signs the compact JSON with non-ASCII characters as themselves.
        String unsigned = "{\"context\":{\"entity\":null,\"blueprint\":\"service\",\"runId\":\"" + runId + "\"},"
                + "\"payload\":{\"entity\":null,\"action\":{\"identifier\":\"test_echo\"},"
                + "\"properties\":{\"name\":\"Łódź—café ☕\"}},\"headers\":{}}";
        long timestamp = 1795432443L;
        String signature = Runs.signature(unsigned, timestamp);
        String sent = unsigned.replace("\"headers\":{}", "\"headers\":{\"X-Port-Signature\":\"" + signature
                + "\",\"X-Port-Timestamp\":" + timestamp + "}");
        produce(null, sent);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.logs(runId)).contains("Echoing Łódź—café ☕");
    }

    private static String reason(List<ConsumerRecord<String, String>> records, String key) {
        return header(records, key, "dead-letter-reason");
    }

    private static String header(List<ConsumerRecord<String, String>> records, String key, String name) {
        return records.stream().filter(r -> key.equals(r.key())).findFirst()
                .map(r -> new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8))
                .orElseThrow();
    }
}
