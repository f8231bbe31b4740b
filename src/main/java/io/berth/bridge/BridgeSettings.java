package io.berth.bridge;

import java.util.Optional;

import io.berth.delivery.PolledConsumerSettings;
import io.smallrye.config.ConfigMapping;

/**
 * {@code BERTH_BRIDGE_*}: where the bridge's file is, and what bounds its consumers
 * ({@code BERTH_BRIDGE_SHUTDOWN_GRACE}, {@code BERTH_BRIDGE_MAX_RECORD_BYTES},
 * {@code BERTH_BRIDGE_RECONNECT_INITIAL_DELAY}, {@code BERTH_BRIDGE_RECONNECT_MAX_DELAY}).
 */
@ConfigMapping(prefix = "berth.bridge")
public interface BridgeSettings extends PolledConsumerSettings {

    /**
     * {@code BERTH_BRIDGE_PATH}: a kafka-hooks file (JSON or YAML): a whole {@code platformatic.json}
     * or its {@code kafka} section alone. Unset: no bridge.
     */
    Optional<String> path();
}
