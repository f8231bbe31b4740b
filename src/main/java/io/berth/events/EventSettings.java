package io.berth.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Lifecycle events' settings: {@code BERTH_EVENTS_*} environment variables. Checked at start-up
 * whether or not events are enabled.
 */
@ConfigMapping(prefix = "berth.events")
public interface EventSettings {

    /** {@code BERTH_EVENTS_ENABLED}: off by default, like the FRANC portal's {@code KAFKA_ENABLED}. */
    @WithDefault("false")
    boolean enabled();

    /** {@code BERTH_EVENTS_TOPIC_PREFIX}: topics are {@code {prefix}.task.status}, {@code {prefix}.task.completion}, ... */
    @WithDefault("berth")
    String topicPrefix();

    /** {@code BERTH_EVENTS_DELIVERY_TIMEOUT}: how long an event is retried through a broker outage. */
    @WithDefault("5m")
    Duration deliveryTimeout();

    /** {@code BERTH_EVENTS_BUFFER_MEMORY}: bytes of events the producer holds while the broker is away. */
    @WithDefault("33554432")
    long bufferMemory();

    /** {@code BERTH_EVENTS_QUEUE_CAPACITY}: events waiting for the producer; beyond it new ones are dropped. */
    @WithDefault("10000")
    int queueCapacity();
}
