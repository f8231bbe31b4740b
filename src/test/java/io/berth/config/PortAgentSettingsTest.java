package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.berth.bridge.BridgeSettings;
import io.berth.triggers.TriggerSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * port-agent's LOG_LEVEL, DETAILED_LOGGING, KAFKA_CONSUMER_SESSION_TIMEOUT_MS and
 * USING_LOCAL_PORT_INSTANCE mean what they mean to port-agent, and a value that cannot work stops
 * start-up naming the variable.
 */
class PortAgentSettingsTest {

    static SmallRyeConfig config(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(ConfigurationProblemsTest.VALID);
        all.putAll(env);
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(all, 300))
                .withSources(new LogLevelSource())
                .withConverter(Secret.class, 100, new SecretConverter())
                .withConverter(Boolean.class, 200, new StrictBooleanConverter())
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(PortSettings.class)
                .withMapping(KafkaSettings.class)
                .withMapping(BerthSettings.class)
                .withMapping(TriggerSettings.class)
                .withMapping(PortAgentSettings.class)
                .withMapping(BridgeSettings.class)
                .withValidateUnknown(false)
                .build();
    }

    static List<String> problems(Map<String, String> env) {
        SmallRyeConfig config = config(env);
        return ConfigurationProblems.ofPortAgent(config.getConfigMapping(PortAgentSettings.class),
                config.getConfigMapping(KafkaSettings.class));
    }

    /** The consumer configuration of the runs and change-log channels; no Port client, so no broker fetch. */
    static Map<String, Object> consumerConfig(Map<String, String> env) {
        SmallRyeConfig config = config(env);
        return new KafkaClientConfig(config.getConfigMapping(PortSettings.class),
                config.getConfigMapping(KafkaSettings.class), config.getConfigMapping(BerthSettings.class), null,
                config.getConfigMapping(TriggerSettings.class), config.getConfigMapping(PortAgentSettings.class),
                config.getConfigMapping(BridgeSettings.class)).consumer();
    }

    @Test
    void logLevelTakesPythonsLevelNamesInAnyCaseAsTheRootLevel() {
        assertThat(config(Map.of("LOG_LEVEL", "WARNING")).getValue("quarkus.log.level", String.class)).isEqualTo("WARN");
        assertThat(config(Map.of("LOG_LEVEL", "debug")).getValue("quarkus.log.level", String.class)).isEqualTo("DEBUG");
        assertThat(config(Map.of("LOG_LEVEL", "CRITICAL")).getValue("quarkus.log.level", String.class)).isEqualTo("FATAL");
        assertThat(config(Map.of("LOG_LEVEL", "NOTSET")).getValue("quarkus.log.level", String.class)).isEqualTo("DEBUG");
        assertThat(config(Map.of()).getOptionalValue("quarkus.log.level", String.class)).isEmpty();
    }

    @Test
    void anExplicitQuarkusLogLevelWinsOverLogLevel() {
        assertThat(config(Map.of("LOG_LEVEL", "ERROR", "QUARKUS_LOG_LEVEL", "DEBUG"))
                .getValue("quarkus.log.level", String.class)).isEqualTo("DEBUG");
    }

    @Test
    void anUnknownLogLevelStopsStartUpNamingTheVariable() {
        assertThat(problems(Map.of("LOG_LEVEL", "verbose"))).singleElement().asString()
                .startsWith("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL").contains("'verbose'");
        assertThat(config(Map.of("LOG_LEVEL", "verbose")).getOptionalValue("quarkus.log.level", String.class)).isEmpty();
        assertThat(problems(Map.of("LOG_LEVEL", "INFO"))).isEmpty();
    }

    @Test
    void sessionTimeoutReachesTheConsumerConfiguration() {
        assertThat(consumerConfig(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "30000")))
                .containsEntry("session.timeout.ms", 30000);
        assertThat(consumerConfig(Map.of("BERTH_KAFKA_GROUP_PROTOCOL", "classic")))
                .as("unset: Kafka's default, 45000, which is port-agent's")
                .doesNotContainKey("session.timeout.ms");
    }

    @Test
    void aSessionTimeoutKeepsTheClassicGroupProtocolWhichAloneTakesItFromAClient() {
        assertThat(consumerConfig(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "30000")))
                .containsEntry("group.protocol", "classic");
        assertThat(consumerConfig(Map.of("BERTH_KAFKA_GROUP_PROTOCOL", "consumer")))
                .containsEntry("group.protocol", "consumer").doesNotContainKey("session.timeout.ms")
                .doesNotContainKey("partition.assignment.strategy");
        SmallRyeConfig both = config(Map.of("BERTH_KAFKA_GROUP_PROTOCOL", "consumer",
                "KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "30000"));
        assertThat(ConfigurationProblems.of(both.getConfigMapping(PortSettings.class),
                both.getConfigMapping(KafkaSettings.class), both.getConfigMapping(BerthSettings.class)))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("KAFKA_CONSUMER_SESSION_TIMEOUT_MS cannot be used with BERTH_KAFKA_GROUP_PROTOCOL=consumer"));
    }

    @Test
    void aSessionTimeoutOutsideWhatABrokerAcceptsStopsStartUp() {
        assertThat(problems(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "5999"))).singleElement().asString()
                .startsWith("KAFKA_CONSUMER_SESSION_TIMEOUT_MS must be between 6000 and 1800000").contains("5999");
        assertThat(problems(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "1800001"))).hasSize(1);
        assertThat(problems(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000"))).isEmpty();
    }

    @Test
    void aSessionTimeoutThatIsNotANumberStopsStartUpNamingTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> config(Map.of("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "45s")).getConfigMapping(KafkaSettings.class))
                .hasStackTraceContaining("kafka.consumer.session-timeout-ms");
    }

    @Test
    void aLocalPortInstanceNeedsBrokersAndIsNeverAskedForKafkaCredentials() {
        Map<String, String> local = new HashMap<>(Map.of("USING_LOCAL_PORT_INSTANCE", "True", "KAFKA_BROKERS", ""));
        assertThat(problems(local)).singleElement().asString()
                .startsWith("USING_LOCAL_PORT_INSTANCE=true needs KAFKA_CONSUMER_BOOTSTRAP_SERVERS");
        local.put("KAFKA_CONSUMER_BOOTSTRAP_SERVERS", "localhost:19092");
        assertThat(problems(local)).isEmpty();
        // Without a Port client at all: fetching credentials would fail.
        assertThat(consumerConfig(local)).containsEntry("bootstrap.servers", "localhost:19092")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void detailedLoggingTrueIsAcceptedAndSaysBerthNeverLogsBodies() {
        SmallRyeConfig config = config(Map.of("DETAILED_LOGGING", "true"));
        assertThat(PortAgentNotices.of(config.getConfigMapping(PortAgentSettings.class))).singleElement()
                .satisfies(notice -> {
                    assertThat(notice.level()).isEqualTo(Logger.Level.INFO);
                    assertThat(notice.text()).startsWith("DETAILED_LOGGING=true: Berth never logs request or response bodies");
                });
        assertThat(PortAgentNotices.of(config(Map.of("DETAILED_LOGGING", "false"))
                .getConfigMapping(PortAgentSettings.class))).isEmpty();
    }

    @Test
    void portAgentsBooleansAreTrueOrFalseOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> config(Map.of("DETAILED_LOGGING", "yes")).getConfigMapping(PortAgentSettings.class))
                .hasStackTraceContaining("detailed.logging").hasStackTraceContaining("'yes' is not a boolean");
        assertThat(config(Map.of("USING_LOCAL_PORT_INSTANCE", "TRUE")).getConfigMapping(PortAgentSettings.class)
                .localPortInstance()).isTrue();
    }

    @Test
    void variablesBerthDoesNotActOnAreNamedNotIgnored() {
        assertThat(PortAgentNotices.of(config(Map.of("KAFKA_CONSUMER_BROKERS", "b:9092"))
                .getConfigMapping(PortAgentSettings.class))).singleElement()
                .satisfies(notice -> assertThat(notice.level()).isEqualTo(Logger.Level.WARN));
        assertThat(problems(Map.of("AGENT_ENVIRONMENTS", "production"))).singleElement().asString()
                .startsWith("AGENT_ENVIRONMENTS is not supported");
    }
}
