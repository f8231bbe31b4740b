package io.berth.delivery;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * What bounds a capability's {@link PolledConsumer}s (topic triggers, the bridge), under the
 * capability's own prefix ({@code BERTH_TRIGGERS_*}, {@code BERTH_BRIDGE_*}).
 */
public interface PolledConsumerSettings {

    /** On shutdown, how long records in flight may take to finish; the rest are redelivered later. */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** Dead letters larger than this are stored without their value. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** A broker that cannot be reached: the first wait before polling again, doubled up to {@link #reconnectMaxDelay()}. */
    @WithDefault("1s")
    Duration reconnectInitialDelay();

    @WithDefault("1m")
    Duration reconnectMaxDelay();
}
