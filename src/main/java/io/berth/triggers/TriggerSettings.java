package io.berth.triggers;

import java.time.Duration;
import java.util.Optional;

import io.berth.retry.HandlerRetrySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code BERTH_TRIGGERS_*}: where the triggers are declared, and how hard their targets are tried. */
@ConfigMapping(prefix = "berth.triggers")
public interface TriggerSettings {

    /** {@code BERTH_TRIGGERS_PATH}: the triggers file (JSON or YAML). Unset: no triggers. */
    Optional<String> path();

    /** On shutdown, how long records in flight may take to finish; the rest are redelivered later. */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** Dead letters larger than this are stored without their value. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** A broker that cannot be reached: the first wait before connecting again, doubled up to {@link #reconnectMaxDelay()}. */
    @WithDefault("1s")
    Duration reconnectInitialDelay();

    @WithDefault("1m")
    Duration reconnectMaxDelay();

    /** Retries of a Java handler target (webhooks follow {@code BERTH_WEBHOOK_RETRY_*}, Port {@code BERTH_PORT_RETRY_*}). */
    HandlerRetrySettings retry();
}
