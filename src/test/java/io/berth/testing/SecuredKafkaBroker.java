package io.berth.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import io.berth.dev.EmbeddedKafka;

/**
 * A second in-process KRaft broker, for secured clients, with its own certificates
 * ({@link TestCertificates}). Started once per test JVM, on first use, closed by a shutdown hook.
 *
 * <pre>
 *   PLAINTEXT  inter-broker and the tests' admin (creates SCRAM users and topics)
 *   SECURED    SASL_SSL: SCRAM-SHA-512, SCRAM-SHA-256, PLAIN; server certificate for localhost
 *   MUTUAL     SSL with ssl.client.auth=required: clients show a certificate the test CA signed
 * </pre>
 */
public final class SecuredKafkaBroker {

    public static final String SCRAM_USER = "berth-scram";
    public static final String SCRAM_PASSWORD = "scram-pass-7f3a9c";
    public static final String PLAIN_USER = "berth-plain";
    public static final String PLAIN_PASSWORD = "plain-pass-2b8e4d";

    private static SecuredKafkaBroker shared;

    private final EmbeddedKafka broker;
    private final TestCertificates certificates;

    private SecuredKafkaBroker(EmbeddedKafka broker, TestCertificates certificates) {
        this.broker = broker;
        this.certificates = certificates;
    }

    /** The shared broker, started (with its SCRAM users) on first call. */
    public static synchronized SecuredKafkaBroker get() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    /** {@code host:port} of the PLAINTEXT listener: for the tests' own companions. */
    public String plaintextAddress() {
        return broker.bootstrapServers();
    }

    /** {@code host:port} of the SASL_SSL listener. */
    public String saslSslAddress() {
        return broker.listenerAddress("SECURED");
    }

    /** {@code host:port} of the mutual-TLS listener. */
    public String mutualTlsAddress() {
        return broker.listenerAddress("MUTUAL");
    }

    public void createTopic(String name, int partitions) {
        broker.createTopic(name, partitions);
    }

    private static SecuredKafkaBroker start() {
        KafkaBrokerResource.quietenBrokerLogs();
        TestCertificates certificates = TestCertificates.shared();
        String chain = certificates.broker().certificatePem();
        String key = certificates.broker().keyPem();
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN");
        settings.put("listener.name.secured.scram-sha-512.sasl.jaas.config", scramServer());
        settings.put("listener.name.secured.scram-sha-256.sasl.jaas.config", scramServer());
        settings.put("listener.name.secured.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER + "=\""
                        + PLAIN_PASSWORD + "\";");
        for (String listener : List.of("secured", "mutual")) {
            settings.put("listener.name." + listener + ".ssl.keystore.type", "PEM");
            settings.put("listener.name." + listener + ".ssl.keystore.certificate.chain", chain);
            settings.put("listener.name." + listener + ".ssl.keystore.key", key);
        }
        settings.put("listener.name.mutual.ssl.truststore.type", "PEM");
        settings.put("listener.name.mutual.ssl.truststore.certificates", certificates.authorityPem());
        settings.put("listener.name.mutual.ssl.client.auth", "required");
        Path dataDir = Path.of("target", "embedded-kafka-secured", String.valueOf(ProcessHandle.current().pid()));
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, 0,
                new java.util.LinkedHashMap<>(Map.of("SECURED", "SASL_SSL", "MUTUAL", "SSL")), settings);
        Runtime.getRuntime().addShutdownHook(KafkaBrokerResource.closingAtExit("secured-kafka-close", broker, () -> { }));
        createScramUser(broker.bootstrapServers());
        return new SecuredKafkaBroker(broker, certificates);
    }

    private static String scramServer() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    }

    /** SCRAM credentials live in the cluster's metadata: created through the PLAINTEXT listener. */
    private static void createScramUser(String plaintext) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext))) {
            // One credential per user and request: each mechanism is its own call.
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                        new ScramCredentialInfo(mechanism, 4096), SCRAM_PASSWORD))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the SCRAM user on the secured test broker", e);
        }
    }
}
