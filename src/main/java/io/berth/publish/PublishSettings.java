package io.berth.publish;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Kafka publish actions' settings: {@code BERTH_PUBLISH_*} environment variables. */
@ConfigMapping(prefix = "berth.publish")
public interface PublishSettings {

    /** {@code BERTH_PUBLISH_SCHEMA_REFRESH}: how long a subject's latest schema is used before it is fetched again. */
    @WithDefault("5m")
    Duration schemaRefresh();

    /** {@code BERTH_PUBLISH_REGISTRY_TIMEOUT}: time for one schema registry request. */
    @WithDefault("10s")
    Duration registryTimeout();
}
