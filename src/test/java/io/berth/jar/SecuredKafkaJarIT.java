package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.testing.SecuredKafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged application on a broker that demands SASL_SSL (SCRAM-SHA-512, the test CA's
 * certificate) and, for one trigger that brings its own security, mutual TLS: records consumed and
 * dead letters produced through the real start-up path (environment variables → Quarkus → every
 * client; runs from Port's brokers with the credentials Port issues), and a wrong password that shows up as Kafka's authentication error, never as itself.
 */
class SecuredKafkaJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);

    static WireMockServer receiver;
    static SecuredKafkaBroker broker;
    static KafkaCompanion plaintext;

    @BeforeAll
    static void startWorld() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withStatus(204)));
        receiver.stubFor(post(urlEqualTo("/audit")).willReturn(aResponse().withStatus(400)));
        broker = SecuredKafkaBroker.get();
        plaintext = new KafkaCompanion(broker.plaintextAddress());
    }

    @AfterAll
    static void stopWorld() {
        receiver.stop();
        plaintext.close();
    }

    @Test
    void triggersConsumeOverScramAndTlsAndATriggersOwnMutualTlsDeadLettersItsRecord() throws Exception {
        broker.createTopic("jar-secured.orders", 1);
        broker.createTopic("jar-secured.audit", 1);
        broker.createTopic("jar-secured.audit.dlq", 1);
        Map<String, String> env = scramOverTls(SecuredKafkaBroker.SCRAM_PASSWORD, """
                [{"id": "orders", "type": "kafka", "configuration": {"topic": "jar-secured.orders", "from_beginning": true},
                  "target": {"webhook": {"url": "http://localhost:%d/orders"}}},
                 {"id": "audit", "type": "kafka",
                  "configuration": {"topic": "jar-secured.audit", "from_beginning": true, "brokers": "%s",
                                    "security": {"protocol": "SSL", "ssl_cafile": "%s",
                                                 "ssl_certfile": "%s", "ssl_keyfile": "%s"}},
                  "target": {"webhook": {"url": "http://localhost:%d/audit"}}}]
                """.formatted(receiver.port(), broker.mutualTlsAddress(), broker.certificates().authority(),
                broker.certificates().client().certificate(), broker.certificates().client().key(), receiver.port()));
        try (BerthProcess berth = BerthProcess.start("secured-kafka", env)) {
            // Ready once both groups are joined, which may be before a new group's consumer has looked up
            // where "latest" is: the records are read from the beginning of these fresh topics instead.
            await().atMost(WITHIN).until(berth::ready);
            plaintext.produceStrings().fromRecords(
                    new ProducerRecord<>("jar-secured.orders", "order-1", "{\"amount\": 12}"),
                    new ProducerRecord<>("jar-secured.audit", "audit-1", "{\"who\": \"ops\"}"))
                    .awaitCompletion(WITHIN);

            await().atMost(WITHIN).untilAsserted(() -> receiver.verify(postRequestedFor(urlEqualTo("/orders"))
                    .withRequestBody(matchingJsonPath("$.key", equalTo("order-1")))));
            ConsumerRecord<String, String> deadLetter = plaintext.consumeStrings()
                    .fromTopics("jar-secured.audit.dlq", 1).awaitCompletion(WITHIN).getFirstRecord();
            assertThat(deadLetter.key()).isEqualTo("audit-1");
            assertThat(berth.output()).contains("Kafka: " + broker.saslSslAddress() + " over SASL_SSL (SCRAM-SHA-512 as "
                    + SecuredKafkaBroker.SCRAM_USER + "), trusting KAFKA_SSL_CAFILE=")
                    .doesNotContain(SecuredKafkaBroker.SCRAM_PASSWORD);
        }
    }

    @Test
    void aWrongPasswordIsReportedAsKafkasAuthenticationErrorWithoutThePassword() throws Exception {
        String wrong = "wrong-" + SecuredKafkaBroker.SCRAM_PASSWORD;
        broker.createTopic("jar-secured.denied", 1);
        Map<String, String> env = scramOverTls(wrong, """
                [{"id": "denied", "type": "kafka", "configuration": {"topic": "jar-secured.denied"},
                  "target": {"webhook": {"url": "http://localhost:%d/orders"}}}]
                """.formatted(receiver.port()));
        try (BerthProcess berth = BerthProcess.start("secured-kafka-denied", env)) {
            await().atMost(WITHIN).untilAsserted(() -> assertThat(berth.output())
                    .contains("invalid credentials with SASL mechanism SCRAM-SHA-512"));
            assertThat(berth.ready()).as("a trigger that cannot join its group is not ready").isFalse();
            assertThat(berth.output()).doesNotContain(wrong);
        }
    }

    @Test
    void consumesRunsFromPortsBrokersOverSaslSslTrustingTheCaFile() throws Exception {
        String org = "org_secured";
        broker.createTopic(org + ".runs", 1);
        try (JarWorld world = JarWorld.start(16, 0)) {
            world.port.kafkaCredentials(List.of(broker.saslSslAddress()), SecuredKafkaBroker.SCRAM_USER,
                    SecuredKafkaBroker.SCRAM_PASSWORD);
            String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            plaintext.produceStrings().fromRecords(new ProducerRecord<>(org + ".runs", "svc-" + runId,
                    world.agentRun(runId, "notify", runId, JarWorld.JSON.createObjectNode()).toString()))
                    .awaitCompletion(WITHIN);
            Map<String, String> env = world.env(org);
            env.remove("KAFKA_BROKERS"); // Port's: SASL_SSL with SCRAM-SHA-512 and the user Port issues
            env.put("KAFKA_SSL_CAFILE", broker.certificates().authority().toString());
            try (BerthProcess berth = BerthProcess.start("secured-kafka-port", env)) {
                await().atMost(WITHIN).until(() -> world.ended(List.of(runId)) == 1);
                assertThat(berth.output()).contains("over SASL_SSL (SCRAM-SHA-512 as " + SecuredKafkaBroker.SCRAM_USER
                        + "), trusting KAFKA_SSL_CAFILE=").doesNotContain(SecuredKafkaBroker.SCRAM_PASSWORD);
            }
        }
    }

    private static Map<String, String> scramOverTls(String password, String triggers) throws Exception {
        Path path = Files.createDirectories(Path.of("target", "jar-it"))
                .resolve("secured-" + Math.abs(triggers.hashCode()) + "-triggers.json");
        Files.writeString(path, triggers);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", broker.saslSslAddress());
        env.put("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_CONSUMER_AUTHENTICATION_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_CONSUMER_USERNAME", SecuredKafkaBroker.SCRAM_USER);
        env.put("KAFKA_CONSUMER_PASSWORD", password);
        env.put("KAFKA_SSL_CAFILE", broker.certificates().authority().toString());
        env.put("BERTH_TRIGGERS_PATH", path.toAbsolutePath().toString());
        return env;
    }
}
