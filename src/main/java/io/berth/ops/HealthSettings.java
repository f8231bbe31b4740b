package io.berth.ops;

import java.time.Duration;

import io.berth.config.SecondsOrDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** {@code BERTH_HEALTH_*}: what the health checks call unhealthy. */
@ConfigMapping(prefix = "berth.health")
public interface HealthSettings {

    /**
     * {@code BERTH_HEALTH_STUCK_AFTER}: a record in flight longer than this turns liveness DOWN. Above
     * {@code BERTH_RUNS_HANDLER_TIMEOUT} (15 min) with room for Port's retries, so that only a record
     * no timeout ends (a hung pipeline) restarts Berth.
     */
    @WithDefault("1h")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration stuckAfter();
}
