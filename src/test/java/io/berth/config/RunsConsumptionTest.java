package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Whether the runs channel consumes, as SmallRye reads it from the configuration. */
class RunsConsumptionTest {

    static boolean runsChannelEnabled(Map<String, String> env) {
        return new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withSources(new RunsConsumption()).build()
                .getValue(RunsConsumption.CHANNEL_ENABLED, Boolean.class);
    }

    @Test
    void consumesTheRunsWithAnOrganisation() {
        assertThat(runsChannelEnabled(Map.of("PORT_ORG_ID", "org_1"))).isTrue();
        assertThat(runsChannelEnabled(Map.of("PORT_ORG_ID", "org_1", "BERTH_TRIGGERS_PATH", "/t.yaml"))).isTrue();
    }

    @Test
    void consumesNoRunsWithATriggersFileAndNoOrganisation() {
        assertThat(runsChannelEnabled(Map.of("BERTH_TRIGGERS_PATH", "/t.yaml"))).isFalse();
    }

    @Test
    void consumesNoRunsWithABridgeFileAndNoOrganisation() {
        assertThat(runsChannelEnabled(Map.of("BERTH_BRIDGE_PATH", "/platformatic.json"))).isFalse();
        assertThat(runsChannelEnabled(Map.of("BERTH_BRIDGE_PATH", "/platformatic.json", "PORT_ORG_ID", "org_1")))
                .isTrue();
    }

    @Test
    void withNeitherItConsumesTheRunsSoThatStartUpNamesTheMissingOrganisation() {
        assertThat(runsChannelEnabled(Map.of())).isTrue();
    }

    @Test
    void thePollingStreamerConsumesNoTopicAndWritesNoDeadLetterTopic() {
        Map<String, String> env = Map.of("PORT_ORG_ID", "org_1", "STREAMER_NAME", "POLLING");
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withSources(new RunsConsumption());
        var config = builder.build();
        for (String channel : new String[] {RunsConsumption.CHANNEL_ENABLED, RunsConsumption.DEAD_LETTERS_ENABLED,
                RunsConsumption.CHANGELOG_ENABLED, RunsConsumption.CHANGELOG_DEAD_LETTERS_ENABLED}) {
            assertThat(config.getValue(channel, Boolean.class)).as(channel).isFalse();
        }
        assertThat(runsChannelEnabled(Map.of("PORT_ORG_ID", "org_1", "STREAMER_NAME", "kafka"))).isTrue();
    }

    @Test
    void withPushedRecordsNeitherTopicIsConsumedButBothDeadLetterTopicsAreWritten() {
        Map<String, String> env = Map.of("PORT_ORG_ID", "org_1", "BERTH_CLOUDEVENTS_ENABLED", "true");
        var config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withSources(new RunsConsumption()).build();

        assertThat(config.getValue(RunsConsumption.CHANNEL_ENABLED, Boolean.class)).isFalse();
        assertThat(config.getValue(RunsConsumption.CHANGELOG_ENABLED, Boolean.class)).isFalse();
        assertThat(config.getValue(RunsConsumption.DEAD_LETTERS_ENABLED, Boolean.class)).isTrue();
        assertThat(config.getValue(RunsConsumption.CHANGELOG_DEAD_LETTERS_ENABLED, Boolean.class)).isTrue();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(runsChannelEnabled(Map.of("PORT_ORG_ID", "org_1", "BERTH_RUNS_ENABLED", "false"))).isFalse();
        assertThat(runsChannelEnabled(Map.of("BERTH_TRIGGERS_PATH", "/t.yaml", "BERTH_RUNS_ENABLED", "TRUE"))).isTrue();
        assertThat(runsChannelEnabled(Map.of("BERTH_TRIGGERS_PATH", "/t.yaml",
                "MP_MESSAGING_INCOMING_RUNS_ENABLED", "true"))).isTrue();
    }

    @Test
    void readsTheOrganisationOfTheActiveProfile() {
        boolean enabled = new SmallRyeConfigBuilder().withProfile("dev")
                .withSources(new io.smallrye.config.PropertiesConfigSource(Map.of("%dev.port.org-id", "org_sandbox",
                        "berth.triggers.path", "/t.yaml"), "application.properties", 250))
                .withSources(new RunsConsumption()).build()
                .getValue(RunsConsumption.CHANNEL_ENABLED, Boolean.class);
        assertThat(enabled).isTrue();
    }
}
