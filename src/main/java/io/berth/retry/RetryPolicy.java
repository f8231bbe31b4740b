package io.berth.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, bounded both in attempts and in total time.
 *
 * <pre>
 *   delay(n) = min(maxDelay, initialDelay * multiplier^(n-1)) * (1 ± randomizationFactor)
 *   attempt 1 ─ delay(1) ─ attempt 2 ─ delay(2) ─ ... ─ attempt maxAttempts | maxDuration elapsed
 * </pre>
 *
 * A server's own hint ({@code Retry-After}, {@code x-ratelimit-reset}) replaces the computed delay
 * when it is longer; a hint that would end past {@code maxDuration} ends the retries at once.
 *
 * @param maxAttempts attempts in all, the first one included (1 means no retry)
 */
public record RetryPolicy(
        Duration initialDelay,
        double multiplier,
        double randomizationFactor,
        Duration maxDelay,
        int maxAttempts,
        Duration maxDuration) {

    public RetryPolicy {
        requirePositive(initialDelay, "initialDelay");
        requirePositive(maxDelay, "maxDelay");
        requirePositive(maxDuration, "maxDuration");
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (randomizationFactor < 0.0 || randomizationFactor >= 1.0) {
            throw new IllegalArgumentException("randomizationFactor must be in [0, 1), was " + randomizationFactor);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Builds the policy from its typed configuration. */
    public static RetryPolicy of(RetrySettings settings) {
        return new RetryPolicy(settings.initialDelay(), settings.multiplier(), settings.randomizationFactor(),
                settings.maxDelay(), settings.maxAttempts(), settings.maxDuration());
    }

    /** The jittered delay to wait after the {@code failedAttempt}-th attempt failed (1-based). */
    public Duration delayAfter(int failedAttempt) {
        double base = initialDelay.toNanos() * Math.pow(multiplier, failedAttempt - 1);
        double capped = Math.min(base, maxDelay.toNanos());
        double jitter = randomizationFactor == 0.0
                ? 1.0
                : ThreadLocalRandom.current().nextDouble(1.0 - randomizationFactor, 1.0 + randomizationFactor);
        return Duration.ofNanos((long) (capped * jitter));
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + duration);
        }
    }
}
