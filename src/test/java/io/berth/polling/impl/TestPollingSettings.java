package io.berth.polling.impl;

import java.time.Duration;

import io.berth.polling.PollingSettings;

/** {@link PollingSettings} for tests that build a poller themselves. */
record TestPollingSettings(Duration intervalSeconds, int runsBatchSize, Duration initialBackoffSeconds,
        Duration maxBackoffSeconds, double backoffFactor, double backoffJitterFactor,
        Duration maxFailureDurationSeconds) implements PollingSettings {

    /** port-agent's defaults. */
    static TestPollingSettings defaults() {
        return new TestPollingSettings(Duration.ofSeconds(10), 100, Duration.ofSeconds(1), Duration.ofSeconds(300), 2.0,
                0.1, Duration.ofSeconds(3600));
    }

    /** Quick rounds for tests against a live stand-in: 100 ms idle pause, 50 ms first backoff, no jitter. */
    static TestPollingSettings quick(int batchSize) {
        return new TestPollingSettings(Duration.ofMillis(100), batchSize, Duration.ofMillis(50), Duration.ofMillis(400),
                2.0, 0.0, Duration.ofSeconds(60));
    }

    TestPollingSettings withBatchSize(int size) {
        return new TestPollingSettings(intervalSeconds, size, initialBackoffSeconds, maxBackoffSeconds, backoffFactor,
                backoffJitterFactor, maxFailureDurationSeconds);
    }
}
