package io.berth.triggers;

import java.util.Optional;

import io.berth.delivery.PolledConsumerSettings;
import io.berth.retry.HandlerRetrySettings;
import io.smallrye.config.ConfigMapping;

/**
 * {@code BERTH_TRIGGERS_*}: where the triggers are declared, what bounds their consumers
 * ({@link PolledConsumerSettings}), and how hard their targets are tried.
 */
@ConfigMapping(prefix = "berth.triggers")
public interface TriggerSettings extends PolledConsumerSettings {

    /** {@code BERTH_TRIGGERS_PATH}: the triggers file (JSON or YAML). Unset: no triggers. */
    Optional<String> path();

    /** Retries of a Java handler target (webhooks follow {@code BERTH_WEBHOOK_RETRY_*}, Port {@code BERTH_PORT_RETRY_*}). */
    HandlerRetrySettings retry();
}
