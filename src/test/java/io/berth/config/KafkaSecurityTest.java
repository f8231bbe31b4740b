package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.testing.TestCertificates;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * KAFKA_* security settings become one set of kafka-clients properties, and settings that cannot
 * work stop start-up with the variable and the fix, never with a password or a key.
 */
class KafkaSecurityTest {

    private static final String PASSWORD = "s3cr3t-kafka-pw";
    private static TestCertificates certificates;

    @BeforeAll
    static void generateCertificates() {
        certificates = TestCertificates.shared();
    }

    /** Reads {@code env} as Berth reads the environment. */
    static KafkaSecurity security(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Secret.class, 100, new SecretConverter())
                .withMapping(KafkaSettings.class)
                .withValidateUnknown(false)
                .build();
        return KafkaSecurity.of(config.getConfigMapping(KafkaSettings.class));
    }

    static Map<String, Object> properties(Map<String, String> env) {
        KafkaSecurity security = security(env);
        assertThat(security.problems("PLAINTEXT")).isEmpty();
        Map<String, Object> config = new HashMap<>();
        security.applyTo(config, "PLAINTEXT");
        return config;
    }

    private static List<String> problems(Map<String, String> env) {
        return security(env).problems("PLAINTEXT");
    }

    private static Map<String, String> mutualTls() {
        return new HashMap<>(Map.of(
                "KAFKA_CONSUMER_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_CAFILE", certificates.authority().toString(),
                "KAFKA_SSL_CERTFILE", certificates.client().certificate().toString(),
                "KAFKA_SSL_KEYFILE", certificates.client().key().toString()));
    }

    @Test
    void pemFilesBecomeKafkasPemTrustAndKeyStores() {
        Map<String, Object> config = properties(mutualTls());

        assertThat(config).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.keystore.type", "PEM")
                .doesNotContainKey("ssl.key.password").doesNotContainKey("sasl.jaas.config");
        assertThat((String) config.get("ssl.truststore.certificates")).startsWith("-----BEGIN CERTIFICATE-----")
                .isEqualToIgnoringWhitespace(certificates.authorityPem());
        assertThat((String) config.get("ssl.keystore.certificate.chain"))
                .isEqualToIgnoringWhitespace(certificates.client().certificatePem());
        assertThat((String) config.get("ssl.keystore.key")).isEqualToIgnoringWhitespace(certificates.client().keyPem());
    }

    @Test
    void saslSettingsBecomeAJaasLoginForTheMechanism() {
        Map<String, Object> config = properties(Map.of("KAFKA_CONSUMER_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_CONSUMER_AUTHENTICATION_MECHANISM", "scram-sha-256", "KAFKA_CONSUMER_USERNAME", "berth",
                "KAFKA_CONSUMER_PASSWORD", PASSWORD));

        assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"berth\" password=\"" + PASSWORD + "\";")
                .doesNotContainKey("ssl.truststore.type");
    }

    @Test
    void acceptsSeed001sVariableNames() {
        Map<String, Object> config = properties(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", "berth", "KAFKA_SASL_PASSWORD", PASSWORD));

        assertThat(config).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"berth\" password=\"" + PASSWORD + "\";");
    }

    @Test
    void refusesPortAgentsAndSeed001sNamesSetToDifferentValues() {
        assertThat(problems(Map.of("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SSL", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", PASSWORD)))
                .containsExactly("KAFKA_CONSUMER_SECURITY_PROTOCOL and KAFKA_SECURITY_PROTOCOL are both set and "
                        + "differ: set only one of them");
        assertThat(problems(Map.of("KAFKA_CONSUMER_PASSWORD", "one-" + PASSWORD, "KAFKA_SASL_PASSWORD", PASSWORD,
                "KAFKA_SASL_USERNAME", "u"))).containsExactly("KAFKA_CONSUMER_PASSWORD and KAFKA_SASL_PASSWORD are "
                        + "both set and differ: set only one of them");
    }

    @Test
    void namesTheVariableThatWasSetWhenAMechanismIsUnknown() {
        assertThat(problems(Map.of("KAFKA_SASL_MECHANISM", "GSSAPI"))).singleElement().asString()
                .startsWith("KAFKA_SASL_MECHANISM must be one of").endsWith("or none, was 'GSSAPI'");
    }

    @Test
    void refusesAMissingFileNamingTheVariable() {
        Map<String, String> env = mutualTls();
        env.put("KAFKA_SSL_CAFILE", "/nowhere/ca.pem");

        assertThat(problems(env)).containsExactly("KAFKA_SSL_CAFILE names /nowhere/ca.pem, which does not exist: "
                + "check the path (mounted into the container?), or unset KAFKA_SSL_CAFILE");
    }

    @Test
    void refusesACertificateWithoutItsKeyAndAKeyWithoutItsCertificate() {
        Map<String, String> certificateOnly = mutualTls();
        certificateOnly.remove("KAFKA_SSL_KEYFILE");
        Map<String, String> keyOnly = mutualTls();
        keyOnly.remove("KAFKA_SSL_CERTFILE");

        assertThat(problems(certificateOnly)).singleElement().asString()
                .startsWith("KAFKA_SSL_CERTFILE is set without KAFKA_SSL_KEYFILE: set KAFKA_SSL_KEYFILE");
        assertThat(problems(keyOnly)).singleElement().asString()
                .startsWith("KAFKA_SSL_KEYFILE is set without KAFKA_SSL_CERTFILE: set KAFKA_SSL_CERTFILE");
    }

    @Test
    void refusesTlsFilesWithAProtocolThatDoesNotUseTls() {
        Map<String, String> env = mutualTls();
        env.remove("KAFKA_CONSUMER_SECURITY_PROTOCOL");

        assertThat(problems(env)).singleElement().asString().isEqualTo("KAFKA_SSL_CAFILE is set but the security "
                + "protocol is PLAINTEXT, which does not use TLS: set KAFKA_CONSUMER_SECURITY_PROTOCOL to SSL (or "
                + "SASL_SSL), or unset KAFKA_SSL_CAFILE");
        assertThat(security(env).problems("SASL_SSL")).as("Port's brokers: SASL_SSL unless set").isEmpty();
    }

    @Test
    void refusesAFileThatHoldsNoCertificate() throws Exception {
        Map<String, String> env = mutualTls();
        env.put("KAFKA_SSL_CAFILE", certificates.client().key().toString());

        assertThat(problems(env)).singleElement().asString().startsWith("KAFKA_SSL_CAFILE ("
                + certificates.client().key() + ") holds no '-----BEGIN CERTIFICATE-----' block");
    }

    @Test
    void refusesATraditionalKeyFormatNamingTheConversion() throws Exception {
        Path rsa = Files.writeString(certificates.directory().resolve("rsa-key.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                        + "-----END RSA PRIVATE KEY-----\n");
        Map<String, String> env = mutualTls();
        env.put("KAFKA_SSL_KEYFILE", rsa.toString());

        assertThat(problems(env)).singleElement().asString().startsWith("KAFKA_SSL_KEYFILE (" + rsa + ") holds a "
                + "'BEGIN RSA PRIVATE KEY', which Kafka cannot read: convert it to PKCS#8 with 'openssl pkcs8 -topk8");
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesOwn() {
        Map<String, String> env = mutualTls();
        env.put("KAFKA_SSL_KEYFILE", certificates.broker().key().toString());

        assertThat(problems(env)).singleElement().asString().startsWith("KAFKA_SSL_KEYFILE ("
                + certificates.broker().key() + ") is not the private key of the first certificate of KAFKA_SSL_CERTFILE");
    }

    @Test
    void anEncryptedKeyNeedsItsPasswordAndAPlainKeyNone() throws Exception {
        Path encrypted = certificates.encryptedClientKey(PASSWORD);
        Map<String, String> env = mutualTls();
        env.put("KAFKA_SSL_KEYFILE", encrypted.toString());

        assertThat(problems(env)).containsExactly("KAFKA_SSL_KEYFILE (" + encrypted + ") is encrypted: set "
                + "KAFKA_SSL_KEY_PASSWORD to its password");
        env.put("KAFKA_SSL_KEY_PASSWORD", "not-" + PASSWORD);
        assertThat(problems(env)).singleElement().asString().startsWith("KAFKA_SSL_KEY_PASSWORD does not decrypt "
                + "KAFKA_SSL_KEYFILE");
        env.put("KAFKA_SSL_KEY_PASSWORD", PASSWORD);
        assertThat(problems(env)).isEmpty();
        assertThat(properties(env)).containsEntry("ssl.key.password", PASSWORD);

        Map<String, String> plain = mutualTls();
        plain.put("KAFKA_SSL_KEY_PASSWORD", PASSWORD);
        assertThat(problems(plain)).singleElement().asString().startsWith("KAFKA_SSL_KEY_PASSWORD is set but "
                + "KAFKA_SSL_KEYFILE (" + certificates.client().key() + ") is not encrypted: unset KAFKA_SSL_KEY_PASSWORD");
    }

    @Test
    void neverShowsAPasswordOrAKeyInAProblemOrTheStartUpLine() {
        Map<String, String> env = mutualTls();
        env.put("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_CONSUMER_USERNAME", "berth");
        env.put("KAFKA_CONSUMER_PASSWORD", PASSWORD);
        env.put("KAFKA_SSL_KEY_PASSWORD", PASSWORD);
        KafkaSecurity security = security(env);
        String key = certificates.client().keyPem().lines().skip(1).findFirst().orElseThrow();

        assertThat(security.problems("PLAINTEXT")).isNotEmpty()
                .noneMatch(p -> p.contains(PASSWORD)).noneMatch(p -> p.contains(key));
        assertThat(security.describe("PLAINTEXT")).isEqualTo("SASL_SSL, trusting KAFKA_SSL_CAFILE="
                + certificates.authority() + ", client certificate KAFKA_SSL_CERTFILE=" + certificates.client().certificate());
    }
}
