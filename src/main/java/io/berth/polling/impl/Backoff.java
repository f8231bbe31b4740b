package io.berth.polling.impl;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import io.berth.polling.PollingSettings;

/**
 * port-agent's pause between failed claims: the first is {@code POLLING_INITIAL_BACKOFF_SECONDS},
 * each next one {@code POLLING_BACKOFF_FACTOR} times the previous, at most
 * {@code POLLING_MAX_BACKOFF_SECONDS}; to each, a random share of up to
 * {@code POLLING_BACKOFF_JITTER_FACTOR} of it is added. A successful claim starts over.
 *
 * <pre>
 *   base: initial, initial·f, initial·f², ... ≤ max        pause = base + uniform(0, base·jitter)
 * </pre>
 *
 * Not thread-safe: one poller's claims run one after another.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double factor;
    private final double jitter;
    private final DoubleSupplier random;
    private double baseNanos;

    /** @param random uniform in [0, 1) */
    Backoff(PollingSettings settings, DoubleSupplier random) {
        this.initial = settings.initialBackoffSeconds();
        this.max = settings.maxBackoffSeconds();
        this.factor = settings.backoffFactor();
        this.jitter = settings.backoffJitterFactor();
        this.random = random;
    }

    /** The pause after one more failure. */
    Duration next() {
        baseNanos = baseNanos == 0 ? initial.toNanos() : Math.min(baseNanos * factor, max.toNanos());
        return Duration.ofNanos((long) (baseNanos + random.getAsDouble() * baseNanos * jitter));
    }

    void reset() {
        baseNanos = 0;
    }
}
