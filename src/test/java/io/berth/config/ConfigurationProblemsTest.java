package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Start-up refuses settings that cannot work, naming the variable to set. */
class ConfigurationProblemsTest {

    static final Map<String, String> VALID = Map.of(
            "PORT_ORG_ID", "org_1",
            "PORT_CLIENT_ID", "id",
            "PORT_CLIENT_SECRET", "secret",
            "KAFKA_BROKERS", "localhost:9092");

    static java.util.List<String> problems(Map<String, String> env) {
        return problems(env, false);
    }

    /** @param triggersDeclared whether BERTH_TRIGGERS_PATH is set (StartupCheck reads it from TriggerSettings) */
    static java.util.List<String> problems(Map<String, String> env, boolean triggersDeclared) {
        return problems(env, triggersDeclared, false);
    }

    /** @param bridgeDeclared whether BERTH_BRIDGE_PATH is set */
    static java.util.List<String> problems(Map<String, String> env, boolean triggersDeclared, boolean bridgeDeclared) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new io.smallrye.config.EnvConfigSource(env, 300))
                .withConverter(Secret.class, 100, new SecretConverter())
                // Quarkus reads "30" as seconds and "200ms" as a duration; plain SmallRye needs its converter.
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(PortSettings.class)
                .withMapping(KafkaSettings.class)
                .withMapping(BerthSettings.class)
                .withValidateUnknown(false)
                .build();
        return ConfigurationProblems.of(config.getConfigMapping(PortSettings.class),
                config.getConfigMapping(KafkaSettings.class), config.getConfigMapping(BerthSettings.class),
                triggersDeclared, bridgeDeclared);
    }

    static Map<String, String> with(String key, String value) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(VALID);
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return env;
    }

    @Test
    void acceptsPortAgentsMinimalSettings() {
        assertThat(problems(VALID)).isEmpty();
    }

    @Test
    void namesEachMissingPortVariable() {
        assertThat(problems(with("PORT_ORG_ID", null))).singleElement().asString().startsWith("PORT_ORG_ID is not set");
        assertThat(problems(with("PORT_CLIENT_SECRET", null))).singleElement().asString()
                .startsWith("PORT_CLIENT_SECRET is not set");
    }

    @Test
    void needsNoPortSettingToRunTriggersAlone() {
        assertThat(problems(Map.of("KAFKA_BROKERS", "localhost:9092"), true)).isEmpty();
    }

    @Test
    void needsNoPortSettingNorKafkaBrokersToRunTheBridgeAloneSinceItsFileMayNameThem() {
        assertThat(problems(Map.of(), false, true)).isEmpty();
    }

    @Test
    void runsTriggersAloneOnlyWithBrokersItCanReach() {
        assertThat(problems(Map.of(), true)).singleElement().asString().startsWith("KAFKA_BROKERS is not set")
                .contains("PORT_CLIENT_ID");
    }

    @Test
    void stillNeedsThePortSettingsWhenTriggersRunBesideTheRuns() {
        assertThat(problems(with("PORT_CLIENT_ID", null), true)).singleElement().asString()
                .startsWith("PORT_CLIENT_ID is not set").contains("to report runs");
        Map<String, String> runsAsked = new java.util.HashMap<>(Map.of("KAFKA_BROKERS", "localhost:9092",
                "BERTH_RUNS_ENABLED", "true"));
        assertThat(problems(runsAsked, true)).hasSize(3).first().asString().startsWith("PORT_ORG_ID is not set");
    }

    @Test
    void withoutATriggersFileAMissingOrganisationSaysHowToRunTriggersAlone() {
        assertThat(problems(with("PORT_ORG_ID", null))).singleElement().asString()
                .contains("to run topic triggers alone, set only BERTH_TRIGGERS_PATH and KAFKA_BROKERS");
    }

    @Test
    void refusesABerthThatWouldConsumeNothing() {
        assertThat(problems(with("BERTH_RUNS_ENABLED", "false"))).singleElement().asString()
                .startsWith("BERTH_RUNS_ENABLED=false and neither BERTH_TRIGGERS_PATH nor BERTH_BRIDGE_PATH is set");
    }

    @Test
    void namesThePortCredentialsAPortActionTriggerNeedsAndItsTriggers() {
        PortSettings none = portSettings(Map.of());
        assertThat(ConfigurationProblems.forPortActions(none, java.util.List.of("deploys", "rollbacks")))
                .containsExactly(
                        "PORT_CLIENT_ID is not set: Berth needs Port API credentials to start the Port action runs of "
                                + "triggers 'deploys', 'rollbacks' (target port_action) (Port: Settings > Credentials)",
                        "PORT_CLIENT_SECRET is not set: Berth needs it to start the Port action runs of triggers "
                                + "'deploys', 'rollbacks' (target port_action)");
        assertThat(ConfigurationProblems.forPortActions(portSettings(VALID), java.util.List.of("deploys"))).isEmpty();
        assertThat(ConfigurationProblems.forPortActions(none, java.util.List.of())).isEmpty();
    }

    static PortSettings portSettings(Map<String, String> env) {
        return new SmallRyeConfigBuilder().withSources(new io.smallrye.config.EnvConfigSource(env, 300))
                .withConverter(Secret.class, 100, new SecretConverter()).withMapping(PortSettings.class)
                .withValidateUnknown(false).build().getConfigMapping(PortSettings.class);
    }

    @Test
    void refusesAConsumerGroupOutsideTheOrganisation() {
        assertThat(problems(with("KAFKA_CONSUMER_GROUP_ID", "other.berth"))).singleElement().asString()
                .contains("KAFKA_CONSUMER_GROUP_ID 'other.berth' must start with 'org_1.'");
        assertThat(problems(with("KAFKA_CONSUMER_GROUP_ID", "org_1.mine"))).isEmpty();
    }

    @Test
    void refusesContradictoryBrokerLists() {
        assertThat(problems(with("KAFKA_CONSUMER_BOOTSTRAP_SERVERS", "elsewhere:9092"))).singleElement().asString()
                .contains("KAFKA_BROKERS and KAFKA_CONSUMER_BOOTSTRAP_SERVERS");
    }

    @Test
    void refusesSaslWithoutCredentialsOrMechanism() {
        Map<String, String> env = with("KAFKA_CONSUMER_SECURITY_PROTOCOL", "SASL_SSL");
        assertThat(problems(env)).anyMatch(p -> p.contains("needs KAFKA_CONSUMER_USERNAME and KAFKA_CONSUMER_PASSWORD"))
                .anyMatch(p -> p.contains("needs KAFKA_CONSUMER_AUTHENTICATION_MECHANISM"));
        assertThat(problems(with("KAFKA_CONSUMER_SECURITY_PROTOCOL", "carrier-pigeon"))).singleElement().asString()
                .startsWith("KAFKA_CONSUMER_SECURITY_PROTOCOL must be one of");
    }

    @Test
    void neverQuotesASecretInAProblem() {
        Map<String, String> env = with("KAFKA_CONSUMER_PASSWORD", "hunter2-kafka");
        assertThat(problems(env)).isNotEmpty().noneMatch(p -> p.contains("hunter2-kafka"));
    }

    @Test
    void refusesWebhookAnswerCapAndRedirectLimitsThatCannotWork() {
        assertThat(problems(with("BERTH_WEBHOOK_MAX_ANSWER_BYTES", "0"))).singleElement().asString()
                .startsWith("BERTH_WEBHOOK_MAX_ANSWER_BYTES must be at least 1, was 0");
        assertThat(problems(with("BERTH_WEBHOOK_MAX_REDIRECTS", "-1"))).singleElement().asString()
                .startsWith("BERTH_WEBHOOK_MAX_REDIRECTS must be at least 0, was -1");
        assertThat(problems(with("BERTH_WEBHOOK_MAX_REDIRECTS", "0"))).isEmpty();
    }

    @Test
    void refusesRetriesThatCouldNeverReachPortOrAWebhook() {
        assertThat(problems(with("BERTH_PORT_RETRY_MAX_ATTEMPTS", "0"))).singleElement().asString()
                .startsWith("BERTH_PORT_RETRY_MAX_ATTEMPTS must be at least 1, was 0");
        assertThat(problems(with("BERTH_PORT_RETRY_MULTIPLIER", "0.5"))).singleElement().asString()
                .startsWith("BERTH_PORT_RETRY_MULTIPLIER must be at least 1");
        assertThat(problems(with("BERTH_WEBHOOK_RETRY_RANDOMIZATION_FACTOR", "1.5"))).singleElement().asString()
                .startsWith("BERTH_WEBHOOK_RETRY_RANDOMIZATION_FACTOR must be at least 0 and below 1");
        assertThat(problems(with("BERTH_WEBHOOK_RETRY_INITIAL_DELAY", "0s"))).singleElement().asString()
                .startsWith("BERTH_WEBHOOK_RETRY_INITIAL_DELAY must be longer than zero");
        assertThat(problems(with("BERTH_PORT_RETRY_MAX_DELAY", "100ms"))).singleElement().asString()
                .startsWith("BERTH_PORT_RETRY_MAX_DELAY (PT0.1S) must not be shorter than BERTH_PORT_RETRY_INITIAL_DELAY");
        assertThat(problems(with("BERTH_PORT_RETRY_MAX_DURATION", "-1s"))).singleElement().asString()
                .startsWith("BERTH_PORT_RETRY_MAX_DURATION must be longer than zero");
    }

    @Test
    void refusesRunLimitsThatWouldRefuseEveryRecordOrEndEveryRun() {
        assertThat(problems(with("BERTH_RUNS_MAX_RECORD_BYTES", "0"))).singleElement().asString()
                .startsWith("BERTH_RUNS_MAX_RECORD_BYTES must be at least 1024, was 0: set e.g.");
        assertThat(problems(with("BERTH_RUNS_MAX_IN_FLIGHT_BYTES", "0"))).singleElement().asString()
                .startsWith("BERTH_RUNS_MAX_IN_FLIGHT_BYTES must be at least 1");
        assertThat(problems(with("BERTH_RUNS_CONCURRENCY", "0"))).singleElement().asString()
                .startsWith("BERTH_RUNS_CONCURRENCY must be at least 1");
        assertThat(problems(with("BERTH_RUNS_HANDLER_TIMEOUT", "0s"))).singleElement().asString()
                .startsWith("BERTH_RUNS_HANDLER_TIMEOUT must be longer than zero");
        assertThat(problems(with("BERTH_RUNS_SHUTDOWN_GRACE", "-5s"))).singleElement().asString()
                .startsWith("BERTH_RUNS_SHUTDOWN_GRACE must not be negative");
        assertThat(problems(with("BERTH_PORT_TIMEOUT", "0s"))).singleElement().asString()
                .startsWith("BERTH_PORT_TIMEOUT must be longer than zero");
        assertThat(problems(with("BERTH_RUNS_MAX_IN_FLIGHT_BYTES", "1"))).isEmpty();
    }

    @Test
    void refusesAWebhookTimeoutOfZero() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new io.smallrye.config.EnvConfigSource(Map.of("WEBHOOK_INVOKER_TIMEOUT", "0"), 300))
                .withMapping(WebhookSettings.class)
                .withValidateUnknown(false)
                .build();
        assertThat(ConfigurationProblems.of(config.getConfigMapping(WebhookSettings.class))).singleElement().asString()
                .startsWith("WEBHOOK_INVOKER_TIMEOUT must be longer than zero");
    }

    @Test
    void readsBooleansAsTrueOrFalseOnly() {
        StrictBooleanConverter booleans = new StrictBooleanConverter();
        assertThat(booleans.convert("true")).isTrue();
        assertThat(booleans.convert(" FALSE ")).isFalse();
        for (String typo : new String[] { "ture", "yes", "1", "off" }) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> booleans.convert(typo))
                    .hasMessage("'" + typo + "' is not a boolean: write true or false");
        }
    }

    @Test
    void refusesARevocationDrainThatWithItsCommitWouldOutlastTheRebalanceTimeout() {
        assertThat(ConfigurationProblems.ofRevocationDrain("BERTH_RUNS_REVOCATION_DRAIN", Duration.ofSeconds(20),
                Duration.ofSeconds(10), 300_000)).isEmpty();
        assertThat(ConfigurationProblems.ofRevocationDrain("BERTH_RUNS_REVOCATION_DRAIN", Duration.ofMinutes(5),
                Duration.ofSeconds(10), 300_000)).singleElement().asString()
                .startsWith("BERTH_RUNS_REVOCATION_DRAIN (PT5M) plus 10 s for the commit must stay below the consumer's "
                        + "max.poll.interval.ms (300000 ms)");
    }
}
