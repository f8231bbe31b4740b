package io.berth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.jboss.logging.Logger;

import io.berth.bridge.BridgeSettings;
import io.berth.port.KafkaCredentials;
import io.berth.port.PortClient;
import io.berth.triggers.TriggerSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The Kafka client configuration of every Berth channel, built from port-agent's variables.
 *
 * <p>With {@code KAFKA_BROKERS} unset but Port credentials given, the brokers and SASL credentials
 * come from Port ({@code GET /v1/kafka-credentials}) with SASL_SSL and SCRAM-SHA-512, as port-agent
 * does: then users configure no Kafka at all.
 */
@ApplicationScoped
public final class KafkaClientConfig {

    /** The configuration of the channels that consume ({@code kafka-configuration} attribute). */
    public static final String CONSUMER = "berth-kafka-consumer";
    /** The configuration of the channels that produce. */
    public static final String PRODUCER = "berth-kafka-producer";

    private static final Logger LOG = Logger.getLogger(KafkaClientConfig.class);

    private final PortSettings port;
    private final KafkaSettings kafka;
    private final BerthSettings berth;
    private final PortClient portClient;
    private final TriggerSettings triggers;
    private final PortAgentSettings agent;
    private final BridgeSettings bridge;
    private Map<String, Object> connection;
    private String groupProtocol;

    @Inject
    KafkaClientConfig(PortSettings port, KafkaSettings kafka, BerthSettings berth, PortClient portClient,
            TriggerSettings triggers, PortAgentSettings agent, BridgeSettings bridge) {
        this.port = port;
        this.kafka = kafka;
        this.berth = berth;
        this.portClient = portClient;
        this.triggers = triggers;
        this.agent = agent;
        this.bridge = bridge;
    }

    @Produces
    @Identifier(CONSUMER)
    Map<String, Object> consumer() {
        Map<String, Object> config = new HashMap<>(connection());
        config.put("group.id", groupId());
        config.put("auto.offset.reset", ConfigurationProblems.offsetReset(kafka.consumer().autoOffsetReset()));
        String protocol = groupProtocol();
        config.put("group.protocol", protocol);
        if (protocol.equals("classic")) {
            // A rebalance moves only the partitions that change owner. The consumer protocol assigns on the
            // broker, incrementally, and refuses a client-side assignor (and session and heartbeat settings).
            config.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            kafka.consumer().sessionTimeoutMs().ifPresent(timeout -> config.put("session.timeout.ms", timeout));
        }
        return config;
    }

    /** {@code group.protocol} for every consuming channel, chosen once ({@link GroupProtocolChoice}). */
    synchronized String groupProtocol() {
        if (groupProtocol == null) {
            groupProtocol = GroupProtocolChoice.resolve(berth.kafka().groupProtocol(), connection(),
                    kafka.consumer().sessionTimeoutMs().isPresent());
        }
        return groupProtocol;
    }

    @Produces
    @Identifier(PRODUCER)
    Map<String, Object> producer() {
        return new HashMap<>(connection());
    }

    /** {@code KAFKA_CONSUMER_GROUP_ID}, or {@code {PORT_ORG_ID}.berth}. */
    public String groupId() {
        return kafka.consumer().groupId().orElse(port.orgId().orElse("") + ".berth");
    }

    /**
     * The connection (TLS, SASL of {@code KAFKA_CONSUMER_*}) to brokers a capability's own file names
     * (the bridge's {@code brokers}): nothing is fetched from Port.
     */
    public Map<String, Object> connectionTo(String brokers) {
        return Map.copyOf(build(brokers));
    }

    /** Whether {@code KAFKA_BROKERS} (or {@code KAFKA_CONSUMER_BOOTSTRAP_SERVERS}) names the brokers. */
    public boolean brokersSet() {
        return kafka.brokers().or(kafka.consumer()::bootstrapServers).filter(b -> !b.isBlank()).isPresent();
    }

    private synchronized Map<String, Object> connection() {
        if (connection != null) {
            return connection;
        }
        List<String> problems = new ArrayList<>(ConfigurationProblems.of(port, kafka, berth,
                triggers.path().isPresent(), bridge.path().isPresent()));
        problems.addAll(ConfigurationProblems.ofPortAgent(agent, kafka));
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        connection = Map.copyOf(build(null));
        return connection;
    }

    /** @param fileBrokers brokers a capability's file names, or null: KAFKA_BROKERS, else fetched from Port */
    private Map<String, Object> build(String fileBrokers) {
        Map<String, Object> config = new HashMap<>();
        String brokers = fileBrokers != null ? fileBrokers
                : kafka.brokers().or(kafka.consumer()::bootstrapServers).filter(b -> !b.isBlank()).orElse(null);
        KafkaSecurity security = KafkaSecurity.of(kafka);
        if (brokers == null) {
            LOG.info("KAFKA_BROKERS is not set: fetching brokers and credentials from Port");
            KafkaCredentials issued;
            try {
                issued = portClient.kafkaCredentials().await().atMost(Duration.ofMinutes(2));
            } catch (RuntimeException e) {
                throw new ConfigurationException("KAFKA_BROKERS is not set and Berth could not fetch Kafka credentials "
                        + "from Port (" + e.getMessage() + "): set KAFKA_BROKERS, or check PORT_API_BASE_URL, "
                        + "PORT_CLIENT_ID and PORT_CLIENT_SECRET", e);
            }
            brokers = String.join(",", issued.brokers());
            security = security.issuedByPort(issued);
        }
        // Checked here too: the bridge's own brokers and Port's credentials are known only now.
        List<String> problems = security.problems("PLAINTEXT");
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        config.put("bootstrap.servers", brokers);
        security.applyTo(config, "PLAINTEXT");
        LOG.infof("Kafka: %s over %s", brokers, security.describe("PLAINTEXT"));
        return config;
    }
}
