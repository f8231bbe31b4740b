package io.berth.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * port-agent's process settings that are not about Port, Kafka topics or webhooks:
 * {@code LOG_LEVEL}, {@code DETAILED_LOGGING}, {@code USING_LOCAL_PORT_INSTANCE}, and the variables
 * Berth reads only to say that it does not use them. They have no common prefix (port-agent's
 * names are kept), hence the empty one.
 */
@ConfigMapping(prefix = "")
public interface PortAgentSettings {

    /**
     * {@code LOG_LEVEL}: Python's level names (port-agent's {@code logging.basicConfig(level=...)}),
     * applied to the root logger by {@link LogLevelSource}.
     */
    @WithName("log.level")
    Optional<String> logLevel();

    /**
     * {@code DETAILED_LOGGING}: port-agent adds request and response bodies to its log lines when
     * true. Berth never logs bodies or decrypted inputs; it reads the value only to say so.
     */
    @WithName("detailed.logging")
    Optional<Boolean> detailedLogging();

    /**
     * {@code USING_LOCAL_PORT_INSTANCE}: a Port instance that issues no Kafka credentials. As in
     * port-agent, Berth then never asks Port for them and needs the brokers
     * ({@code KAFKA_CONSUMER_BOOTSTRAP_SERVERS} or {@code KAFKA_BROKERS}).
     */
    @WithName("using.local-port-instance")
    Optional<Boolean> usingLocalPortInstance();

    /** {@code KAFKA_CONSUMER_BROKERS}: read by port-agent before 0.8, not by 0.8.10 nor Berth (a WARN says so). */
    @WithName("kafka.consumer.brokers")
    Optional<String> kafkaConsumerBrokers();

    /** {@code AGENT_ENVIRONMENTS}: a filter some port-agent builds had; Berth refuses it rather than ignore it. */
    @WithName("agent.environments")
    Optional<String> agentEnvironments();

    /** Whether {@code USING_LOCAL_PORT_INSTANCE} is true. */
    default boolean localPortInstance() {
        return usingLocalPortInstance().orElse(false);
    }
}
