package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code WEBHOOK_VERIFY_SSL} is true or false; a typo stops start-up instead of turning TLS checks off. */
class StrictBooleanConverterTest {

    static WebhookSettings webhookSettings(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WebhookSettings.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(WebhookSettings.class);
    }

    @Test
    void readsTrueAndFalseInAnyCase() {
        assertThat(webhookSettings(Map.of("WEBHOOK_VERIFY_SSL", "FALSE")).verifySsl()).isFalse();
        assertThat(webhookSettings(Map.of("WEBHOOK_VERIFY_SSL", "True")).verifySsl()).isTrue();
        assertThat(webhookSettings(Map.of()).verifySsl()).isTrue();
    }

    @Test
    void refusesATypoNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> webhookSettings(Map.of("WEBHOOK_VERIFY_SSL", "ture")))
                .hasStackTraceContaining("webhook.verify-ssl")
                .hasStackTraceContaining("'ture' is not a boolean: write true or false");
        assertThatThrownBy(() -> new StrictBooleanConverter().convert("1"))
                .hasMessage("'1' is not a boolean: write true or false");
    }
}
