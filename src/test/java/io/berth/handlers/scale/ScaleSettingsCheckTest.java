package io.berth.handlers.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** BERTH_SCALE_* as a user sets them: unset is no handler; set, every value is checked. */
class ScaleSettingsCheckTest {

    static ScaleSettings settings(Map<String, String> env) {
        return new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(ScaleSettings.class).build().getConfigMapping(ScaleSettings.class);
    }

    @Test
    void checksNothingWhileNoNamespaceIsSet() {
        assertThat(ScaleSettingsCheck.problems(settings(Map.of("BERTH_SCALE_MAX_REPLICAS", "0")))).isEmpty();
    }

    @Test
    void namesTheVariableOfEveryValueThatCannotWork() {
        ScaleSettings settings = settings(Map.of("BERTH_SCALE_NAMESPACES", "shop,Kube_System",
                "BERTH_SCALE_MAX_REPLICAS", "0", "BERTH_SCALE_ROLLOUT_TIMEOUT", "0s"));

        assertThat(settings.namespaces()).contains(java.util.List.of("shop", "Kube_System"));
        assertThat(ScaleSettingsCheck.problems(settings)).containsExactly(
                "BERTH_SCALE_NAMESPACES holds 'Kube_System', which is not a namespace name (lower-case letters, "
                        + "digits and '-', at most 63): set e.g. BERTH_SCALE_NAMESPACES=shop,staging",
                "BERTH_SCALE_MAX_REPLICAS must be at least 1, was 0: set e.g. BERTH_SCALE_MAX_REPLICAS=20",
                "BERTH_SCALE_ROLLOUT_TIMEOUT must be longer than zero, was PT0S: set e.g. "
                        + "BERTH_SCALE_ROLLOUT_TIMEOUT=5m");
    }
}
