package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.testing.CapturedLogs;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortEncryption;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.berth.webhook.PortSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Secrets (the client secret, Port's access tokens, decrypted inputs, header values from the
 * mapping file) never reach a log line, a dead-letter record, a metric or a Port report.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class SecretsStayOutIT {

    static final String DECRYPTED_PASSWORD = "pw-" + UUID.randomUUID();
    static final String MAPPING_HEADER_VALUE = "static-token";
    /** A plain input: it is in the webhook's body, which Berth never logs either. */
    static final String BODY_MARKER = "body-" + UUID.randomUUID();
    static final CapturedLogs LOGS = new CapturedLogs();

    PortStandIn port = PortStandInResource.standIn();

    @BeforeAll
    static void captureEveryLogLine() {
        LOGS.start();
    }

    @AfterAll
    static void stopCapturing() {
        LOGS.stop();
    }

    @Test
    void noSecretReachesLogsDeadLettersMetricsOrPort() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        String webhookRun = "r_sec_" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode webhook = json.createObjectNode();
        webhook.putObject("context").put("runId", webhookRun).put("entity", "vault");
        ObjectNode payload = webhook.putObject("payload");
        // Unreachable receiver: the failure path logs the most.
        payload.putObject("action").put("identifier", "test_webhook_secret").putObject("invocationMethod")
                .put("type", "WEBHOOK").put("synchronized", true).put("url", "http://127.0.0.1:9/hook?token=" + MAPPING_HEADER_VALUE);
        payload.putObject("properties").put("db_password",
                PortEncryption.encrypt(DECRYPTED_PASSWORD)).put("note", BODY_MARKER);
        records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "vault", signed(webhook).toString()));

        String reportRun = "r_sec_" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode report = webhook.deepCopy();
        report.with("context").put("runId", reportRun);
        report.with("payload").with("action").put("identifier", "test_webhook_report");
        records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "vault-2", signed(report).toString()));

        ObjectNode unsigned = webhook.deepCopy();
        unsigned.remove("headers");
        String forged = unsigned.toString().replace(webhookRun, "r_forged")
                .replaceFirst("\\{", "{\"headers\":{\"X-Port-Signature\":\"v1,AAAA\",\"X-Port-Timestamp\":1},");
        records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "forged", forged));

        port.revokeTokens();
        port.failNext(3, 503);
        KafkaBrokerResource.companion().produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> port.terminalStatus(webhookRun).isPresent()
                && port.terminalStatus(reportRun).isPresent());

        Set<String> secrets = new TreeSet<>(List.of(PortStandIn.CLIENT_SECRET, DECRYPTED_PASSWORD, MAPPING_HEADER_VALUE));
        port.requests().forEach(request -> request.headers().getOrDefault("Authorization", List.of())
                .forEach(value -> secrets.add(value.replaceFirst("^Bearer ", ""))));
        assertThat(secrets).hasSizeGreaterThan(3);

        List<String> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(Set.of(KafkaBrokerResource.DEAD_LETTER_TOPIC), Duration.ofSeconds(3)).awaitCompletion()
                .getRecords()) {
            for (Header header : record.headers()) {
                deadLetters.add(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String metrics = RestAssured.get("/q/metrics").asString();
        String reportsToPort = String.join("\n", port.allRequestBodiesAndHeaders()).replace(
                "Bearer ", "");

        assertThat(LOGS.lines()).as("the capture sees Berth's own log lines").anyMatch(line -> line.contains("dead-lettered"));
        assertThat(LOGS.lines()).as("log lines show no request body").noneMatch(line -> line.contains(BODY_MARKER));
        for (String secret : secrets) {
            assertThat(LOGS.lines()).as("log lines").noneMatch(line -> line.contains(secret));
            assertThat(deadLetters).as("dead-letter headers").noneMatch(value -> value.contains(secret));
            assertThat(metrics).as("metrics").doesNotContain(secret);
        }
        // Port sees the access token in Authorization headers (that is its purpose), never the others.
        assertThat(port.allRequestBodiesAndHeaders()).noneMatch(line -> line.contains(PortStandIn.CLIENT_SECRET)
                || line.contains(DECRYPTED_PASSWORD));
        assertThat(reportsToPort).doesNotContain(MAPPING_HEADER_VALUE + "\"");
    }

    /** A copy of {@code message} signed as Port signs a webhook run. */
    private static ObjectNode signed(ObjectNode message) {
        ObjectNode copy = message.deepCopy();
        PortSignature.signAsPort(copy, Secret.of(PortStandIn.CLIENT_SECRET), Instant.now().getEpochSecond());
        return copy;
    }
}
