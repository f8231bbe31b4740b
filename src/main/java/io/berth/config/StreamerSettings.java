package io.berth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** port-agent's {@code STREAMER_NAME}: see {@link Streamer}. */
@ConfigMapping(prefix = "streamer")
public interface StreamerSettings {

    /** {@code STREAMER_NAME}: {@code KAFKA} or {@code POLLING}; refused at start-up otherwise. */
    @WithDefault("KAFKA")
    String name();
}
