package io.berth.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * port-agent's webhook settings: {@code WEBHOOK_INVOKER_TIMEOUT} (seconds, decimals allowed, as
 * port-agent reads it, or a duration such as {@code 1500ms}) and {@code WEBHOOK_VERIFY_SSL}
 * ({@code true} or {@code false}, anything else stops start-up).
 */
@ConfigMapping(prefix = "webhook")
public interface WebhookSettings {

    /**
     * {@code WEBHOOK_INVOKER_TIMEOUT}: the time one request may take as a whole, from connecting to
     * the last byte of the answer, redirects included (port-agent's connect + response).
     */
    @WithDefault("30")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration invokerTimeout();

    /** {@code WEBHOOK_VERIFY_SSL}: false accepts any TLS certificate (never in production). */
    @WithDefault("true")
    @WithConverter(StrictBooleanConverter.class)
    boolean verifySsl();
}
