package io.berth.events.impl;

import java.time.Duration;

import io.berth.events.EventSettings;

/** {@link EventSettings} without a configuration source, for unit tests. */
record TestSettings(boolean enabled, String topicPrefix, Duration deliveryTimeout, long bufferMemory,
        int queueCapacity) implements EventSettings {

    static TestSettings on(Duration deliveryTimeout, int queueCapacity) {
        return new TestSettings(true, "unit", deliveryTimeout, 1024 * 1024, queueCapacity);
    }
}
