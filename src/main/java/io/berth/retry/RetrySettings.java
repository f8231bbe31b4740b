package io.berth.retry;

import java.time.Duration;

/** The typed configuration of one {@link RetryPolicy}; each caller declares its own defaults. */
public interface RetrySettings {

    /** The delay after the first failed attempt. */
    Duration initialDelay();

    /** The factor by which the delay grows after each failed attempt. */
    double multiplier();

    /** The delay varies randomly by this fraction either way, so that clients do not retry in step. */
    double randomizationFactor();

    /** The longest delay between two attempts. */
    Duration maxDelay();

    /** Attempts in all, the first one included. */
    int maxAttempts();

    /** No attempt starts after this much time from the first one. */
    Duration maxDuration();
}
