package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.testing.TestCertificates;
import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerDefinition;
import io.berth.webhook.Jq;

/**
 * A trigger's {@code configuration.security} replaces KAFKA_*'s TLS and SASL for that trigger's
 * consumer and dead-letter producer; its password comes from the environment variable it names.
 */
class TriggerSecurityTest {

    private static final String PASSWORD = "orders-kafka-pw-5e1";
    /** Berth's KAFKA_* connection: mutual TLS to its own brokers. */
    private static final Map<String, Object> BERTH = Map.of("bootstrap.servers", "berth-kafka:9093",
            "security.protocol", "SSL", "ssl.keystore.type", "PEM", "ssl.keystore.key", "berth's key",
            "ssl.keystore.certificate.chain", "berth's certificate");
    private static TestCertificates certificates;

    @BeforeAll
    static void generateCertificates() {
        certificates = TestCertificates.shared();
    }

    private static List<TriggerDefinition> parse(String security, Map<String, String> env) {
        return TriggersFile.parse("""
                [{"id": "orders", "type": "kafka",
                  "configuration": {"topic": "orders", "brokers": "orders-kafka:9094", "security": %s},
                  "target": {"handler": "audit"}},
                 {"id": "audit", "type": "kafka", "configuration": {"topic": "audit"}, "target": {"handler": "audit"}}]
                """.formatted(security), "triggers.json", false, new Jq(Map.of()), env::get);
    }

    @Test
    void aTriggersOwnSecurityReplacesBerthsForItsConsumerAndDeadLetterProducer() {
        List<TriggerDefinition> triggers = parse("""
                {"protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512", "sasl_username": "orders",
                 "sasl_password_env": "ORDERS_KAFKA_PASSWORD", "ssl_cafile": "%s"}
                """.formatted(certificates.authority()), Map.of("ORDERS_KAFKA_PASSWORD", PASSWORD));
        TriggerClients clients = new TriggerClients(Duration.ofSeconds(1), Duration.ofMinutes(1));

        for (Map<String, Object> config : List.of(clients.consumer(triggers.get(0), BERTH),
                clients.producer(triggers.get(0), BERTH))) {
            assertThat(config).containsEntry("bootstrap.servers", "orders-kafka:9094")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.type", "PEM")
                    .doesNotContainKeys("ssl.keystore.type", "ssl.keystore.key", "ssl.keystore.certificate.chain");
            assertThat((String) config.get("sasl.jaas.config")).contains("username=\"orders\"")
                    .contains("password=\"" + PASSWORD + "\"");
        }
        assertThat(clients.consumer(triggers.get(1), BERTH)).as("a trigger without its own: KAFKA_*'s")
                .containsEntry("security.protocol", "SSL").containsEntry("ssl.keystore.key", "berth's key")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void namesTheTriggerAndFieldWhenItsSecurityCannotWorkAndNeverThePassword() {
        assertThatThrownBy(() -> parse("""
                {"protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-1", "sasl_username": "orders",
                 "sasl_password_env": "ORDERS_KAFKA_PASSWORD", "ssl_cafile": "/nowhere/ca.pem", "ssl_truststore": "x"}
                """, Map.of("ORDERS_KAFKA_PASSWORD", PASSWORD)))
                .isInstanceOf(InvalidTriggersFile.class)
                .hasMessageContaining("entry #0 (id 'orders'): configuration.security.ssl_truststore is not a known key")
                .hasMessageContaining("entry #0 (id 'orders'): configuration.security.sasl_mechanism must be one of")
                .hasMessageContaining("entry #0 (id 'orders'): configuration.security.ssl_cafile names /nowhere/ca.pem, "
                        + "which does not exist")
                .message().doesNotContain(PASSWORD);
    }

    @Test
    void refusesAPasswordVariableThatIsNotSet() {
        assertThatThrownBy(() -> parse("""
                {"protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN", "sasl_username": "orders",
                 "sasl_password_env": "ORDERS_KAFKA_PASSWORD"}
                """, Map.of()))
                .hasMessageContaining("entry #0 (id 'orders'): configuration.security.sasl_password_env names "
                        + "ORDERS_KAFKA_PASSWORD, which is not set: set that environment variable to the password");
    }
}
