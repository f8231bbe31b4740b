package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.command.Check;
import io.berth.command.ValidateCommand;
import io.berth.config.PortAgentSettings;
import io.berth.config.Secret;
import io.berth.testing.CapturedLogs;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortEncryption;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.berth.webhook.PortSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * Secrets (the client secret, Port's access tokens, decrypted inputs, header values from the
 * mapping file, the bridge's OAuth client secret and the token it buys) never reach a log line, a
 * dead-letter record, a metric, the health output, {@code validate}'s output or a Port report.
 * {@code CommandsJarIT} holds the production jar's {@code validate} and {@code list} output to the same.
 * The scenario runs with port-agent's {@code DETAILED_LOGGING=true}, which makes port-agent log request
 * and response bodies: Berth accepts it and still logs none, every category at its most verbose.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SecretsStayOutIT.Scenario.class, restrictToAnnotatedClass = true)
class SecretsStayOutIT {

    static final String DECRYPTED_PASSWORD = "pw-" + UUID.randomUUID();
    static final String MAPPING_HEADER_VALUE = "static-token";
    /** A plain input: it is in the webhook's body, which Berth never logs either. */
    static final String BODY_MARKER = "body-" + UUID.randomUUID();
    static final CapturedLogs LOGS = new CapturedLogs();

    PortStandIn port = PortStandInResource.standIn();

    @Inject
    ValidateCommand validate;

    @Inject
    PortAgentSettings agent;

    @BeforeAll
    static void captureEveryLogLine() {
        LOGS.start();
    }

    @AfterAll
    static void stopCapturing() {
        LOGS.stop();
    }

    @Test
    void portAgentsDetailedLoggingIsAcceptedAndReachesBerth() {
        assertThat(agent.detailedLogging()).contains(true);
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

    @Test
    void noSecretReachesAnyOutputOfChangeEventsTriggersTheBridgeOrValidate() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String entity = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode change = json.createObjectNode().put("action", "CREATE").put("resourceType", "entity")
                .put("status", "SUCCESS");
        change.putObject("context").put("entity", entity).put("blueprint", "service");
        change.putObject("diff").putObject("after").put("identifier", entity);
        change.putObject("changelogDestination").put("type", "WEBHOOK").put("agent", true);
        KafkaBrokerResource.companion().produceStrings().fromRecords(
                new ProducerRecord<>(KafkaBrokerResource.CHANGE_LOG_TOPIC, entity, change.toString()),
                new ProducerRecord<>(KafkaBrokerResource.CHANGE_LOG_TOPIC, "unusable", "{not json"),
                new ProducerRecord<>(Scenario.TRIGGER_TOPIC, "deploy-1", "{\"version\": \"1.2\"}"),
                new ProducerRecord<>(Scenario.TRIGGER_TOPIC, "unusable", "{not json"),
                new ProducerRecord<>(Scenario.BRIDGE_TOPIC, "delivered", "{\"ok\": true}"),
                new ProducerRecord<>(Scenario.BRIDGE_TOPIC, "refused", "{\"refuse\": true}"))
                .awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(port.startedRuns("deploy_service")).as("the trigger started a Port run").isNotEmpty();
            Scenario.sink.verify(postRequestedFor(urlEqualTo("/events")).withHeader("Authorization",
                    containing(Scenario.OAUTH_TOKEN)));
            assertThat(deadLetters(Scenario.BRIDGE_TOPIC + ".dlq")).as("the refused record's dead letter").isNotEmpty();
            assertThat(deadLetters(KafkaBrokerResource.CHANGE_LOG_DEAD_LETTER_TOPIC)).isNotEmpty();
        });
        List<String> validated = validate.run().stream().map(Check::line).toList();

        Set<String> secrets = new TreeSet<>(List.of(PortStandIn.CLIENT_SECRET, Scenario.OAUTH_CLIENT_SECRET,
                Scenario.OAUTH_TOKEN));
        port.requests().forEach(request -> request.headers().getOrDefault("Authorization", List.of())
                .forEach(value -> secrets.add(value.replaceFirst("^Bearer ", ""))));
        assertThat(secrets).as("Port's token is among them").hasSizeGreaterThan(3);

        List<String> captured = new ArrayList<>(LOGS.lines());
        captured.addAll(deadLetters(KafkaBrokerResource.CHANGE_LOG_DEAD_LETTER_TOPIC));
        captured.addAll(deadLetters(Scenario.TRIGGER_TOPIC + ".dlq"));
        captured.addAll(deadLetters(Scenario.BRIDGE_TOPIC + ".dlq"));
        captured.add(RestAssured.get("/q/metrics").asString());
        captured.add(RestAssured.get("/q/health").asString());
        captured.addAll(validated);

        assertThat(validated).as("validate ran every check").anyMatch(line -> line.startsWith("OK   port:"))
                .anyMatch(line -> line.startsWith("OK   topic " + Scenario.BRIDGE_TOPIC));
        for (String secret : secrets) {
            assertThat(captured).as("logs, dead letters, metrics, health, validate").noneMatch(text -> text.contains(secret));
        }
    }

    /** Every dead letter of {@code topic}, value and headers, as text. */
    private static List<String> deadLetters(String topic) {
        List<String> letters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(Set.of(topic), Duration.ofSeconds(2)).awaitCompletion().getRecords()) {
            letters.add(String.valueOf(record.value()));
            for (Header header : record.headers()) {
                letters.add(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return letters;
    }

    /**
     * A topic trigger starting Port action runs, and a bridge subscription whose webhook takes an
     * OAuth2 client-credentials token (the sink hands it out, and refuses records that ask for it).
     */
    public static final class Scenario implements QuarkusTestResourceLifecycleManager {

        static final String TRIGGER_TOPIC = "secrets-it.trigger";
        static final String BRIDGE_TOPIC = "secrets-it.bridge";
        static final String OAUTH_CLIENT_SECRET = "oauth-client-secret-" + UUID.randomUUID();
        static final String OAUTH_TOKEN = "oauth-token-" + UUID.randomUUID();
        static WireMockServer sink;

        @Override
        public Map<String, String> start() {
            sink = new WireMockServer(WireMockConfiguration.options().dynamicPort());
            sink.start();
            sink.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\": \"" + OAUTH_TOKEN + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
            sink.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(200)));
            sink.stubFor(post(urlEqualTo("/events")).withRequestBody(containing("refuse"))
                    .willReturn(aResponse().withStatus(500)));
            for (String topic : List.of(TRIGGER_TOPIC, TRIGGER_TOPIC + ".dlq", BRIDGE_TOPIC, BRIDGE_TOPIC + ".dlq")) {
                KafkaBrokerResource.createTopic(topic, 1);
            }
            try {
                Path dir = Files.createDirectories(Path.of("target"));
                Path triggers = Files.writeString(dir.resolve("secrets-it-triggers.yaml"), """
                        triggers:
                          - id: deploys
                            type: kafka
                            configuration: {topic: %s, from_beginning: true}
                            target: {port_action: {action: deploy_service, properties: {version: .message.version}}}
                        """.formatted(TRIGGER_TOPIC));
                Path bridge = Files.writeString(dir.resolve("secrets-it-bridge.json"), """
                        {"kafka": {"brokers": ["%s"],
                                   "topics": [{"topic": "%s", "url": "http://localhost:%d/events", "retries": 1,
                                               "dlq": "%s.dlq",
                                               "auth": {"oauth2": {"tokenUrl": "http://localhost:%d/token",
                                                                   "clientId": "berth",
                                                                   "clientSecret": "{SECRETS_IT_OAUTH_SECRET}"}}}],
                                   "consumer": {"groupId": "secrets-it", "mode": "committed", "fallbackMode": "earliest"}}}
                        """.formatted(KafkaBrokerResource.bootstrapServers(), BRIDGE_TOPIC, sink.port(), BRIDGE_TOPIC,
                        sink.port()));
                // port-agent's DETAILED_LOGGING=true makes port-agent log bodies; Berth must still log none.
                return Map.of("berth.triggers.path", triggers.toString(), "berth.bridge.path", bridge.toString(),
                        "SECRETS_IT_OAUTH_SECRET", OAUTH_CLIENT_SECRET, "berth.bridge.shutdown-grace", "2s",
                        "detailed.logging", "true");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            if (sink != null) {
                sink.stop();
            }
        }
    }

    /** A copy of {@code message} signed as Port signs a webhook run. */
    private static ObjectNode signed(ObjectNode message) {
        ObjectNode copy = message.deepCopy();
        PortSignature.signAsPort(copy, Secret.of(PortStandIn.CLIENT_SECRET), Instant.now().getEpochSecond());
        return copy;
    }
}
