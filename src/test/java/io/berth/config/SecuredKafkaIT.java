package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.testing.SecuredKafkaBroker;
import io.berth.testing.TestCertificates;

/**
 * Berth's KAFKA_* security settings ({@link KafkaSecurity}) against a real broker that demands them
 * ({@link SecuredKafkaBroker}): SCRAM and PLAIN over TLS, mutual TLS, and the two mistakes operators
 * make most, a wrong password and a CA that did not sign the broker's certificate, which fail with
 * Kafka's named exception and never show the password.
 */
class SecuredKafkaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SecuredKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = SecuredKafkaBroker.get();
    }

    private static Map<String, String> scram(String mechanism, String password) {
        return Map.of("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CONSUMER_AUTHENTICATION_MECHANISM", mechanism,
                "KAFKA_CONSUMER_USERNAME", SecuredKafkaBroker.SCRAM_USER,
                "KAFKA_CONSUMER_PASSWORD", password,
                "KAFKA_SSL_CAFILE", broker.certificates().authority().toString());
    }

    private static Map<String, String> mutualTls(TestCertificates.Identity client) {
        return Map.of("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_CAFILE", broker.certificates().authority().toString(),
                "KAFKA_SSL_CERTFILE", client.certificate().toString(),
                "KAFKA_SSL_KEYFILE", client.key().toString());
    }

    /** What every Berth client gets: the brokers plus {@link KafkaSecurity#applyTo}. */
    private static Map<String, Object> connection(String brokers, Map<String, String> env) {
        Map<String, Object> config = new HashMap<>(KafkaSecurityTest.properties(env));
        config.put("bootstrap.servers", brokers);
        config.put("default.api.timeout.ms", (int) WAIT.toMillis());
        config.put("request.timeout.ms", 10_000);
        return config;
    }

    @Test
    void scramSha512OverTlsProducesAndConsumes() throws Exception {
        assertRoundTrip(connection(broker.saslSslAddress(), scram("SCRAM-SHA-512", SecuredKafkaBroker.SCRAM_PASSWORD)));
    }

    @Test
    void scramSha256AndPlainWithSeed001sNamesProduceAndConsume() throws Exception {
        assertRoundTrip(connection(broker.saslSslAddress(), scram("SCRAM-SHA-256", SecuredKafkaBroker.SCRAM_PASSWORD)));
        assertRoundTrip(connection(broker.saslSslAddress(), Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", SecuredKafkaBroker.PLAIN_USER,
                "KAFKA_SASL_PASSWORD", SecuredKafkaBroker.PLAIN_PASSWORD,
                "KAFKA_SSL_CAFILE", broker.certificates().authority().toString())));
    }

    @Test
    void mutualTlsWithTheClientsPemFilesProducesAndConsumes() throws Exception {
        assertRoundTrip(connection(broker.mutualTlsAddress(), mutualTls(broker.certificates().client())));
    }

    @Test
    void mutualTlsWithAnEncryptedKeyAndItsPasswordProducesAndConsumes() throws Exception {
        Map<String, String> env = new HashMap<>(mutualTls(broker.certificates().client()));
        env.put("KAFKA_SSL_KEYFILE", broker.certificates().encryptedClientKey("key-pass-91c2").toString());
        env.put("KAFKA_SSL_KEY_PASSWORD", "key-pass-91c2");

        assertRoundTrip(connection(broker.mutualTlsAddress(), env));
    }

    @Test
    void theMutualTlsListenerRefusesAClientWithoutACertificate() {
        Map<String, Object> config = connection(broker.mutualTlsAddress(), Map.of(
                "KAFKA_CONSUMER_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_CAFILE", broker.certificates().authority().toString()));

        assertThatThrownBy(() -> describeCluster(config)).hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void aWrongPasswordFailsAsAnAuthenticationErrorThatDoesNotShowIt() {
        String wrong = "wrong-" + SecuredKafkaBroker.SCRAM_PASSWORD;
        Map<String, Object> config = connection(broker.saslSslAddress(), scram("SCRAM-SHA-512", wrong));

        assertThatThrownBy(() -> describeCluster(config))
                .cause().isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512")
                .satisfies(e -> assertThat(messages(e)).doesNotContain(wrong)
                        .doesNotContain(SecuredKafkaBroker.SCRAM_PASSWORD));
    }

    @Test
    void aBrokerCertificateTheCaFileDidNotSignFailsTheHandshake() {
        Map<String, String> env = new HashMap<>(scram("SCRAM-SHA-512", SecuredKafkaBroker.SCRAM_PASSWORD));
        env.put("KAFKA_SSL_CAFILE", broker.certificates().otherAuthority().toString());
        Map<String, Object> config = connection(broker.saslSslAddress(), env);

        assertThatThrownBy(() -> describeCluster(config))
                .cause().isInstanceOf(SslAuthenticationException.class).hasMessageContaining("SSL handshake failed")
                .satisfies(e -> assertThat(messages(e)).contains("unable to find valid certification path")
                        .doesNotContain(SecuredKafkaBroker.SCRAM_PASSWORD));
    }

    private static void describeCluster(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A record produced through {@code config} is consumed through it, by a consumer group. */
    private static void assertRoundTrip(Map<String, Object> config) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        String topic = "secured-" + UUID.randomUUID();
        broker.createTopic(topic, 1);
        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put("key.serializer", StringSerializer.class.getName());
        producerConfig.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(topic, "k", "{\"over\":\"tls\"}")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        Map<String, Object> consumerConfig = new HashMap<>(config);
        consumerConfig.put("group.id", "secured-" + UUID.randomUUID());
        consumerConfig.put("auto.offset.reset", "earliest");
        consumerConfig.put("key.deserializer", StringDeserializer.class.getName());
        consumerConfig.put("value.deserializer", StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        assertThat(values).containsExactly("{\"over\":\"tls\"}");
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
