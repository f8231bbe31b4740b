package io.berth.retry;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * Retries of a user's Java handler (a trigger handler, a change handler): 500 ms doubling ±30 %, at
 * most 10 s apart, 5 attempts, 2 minutes. One group, used under each capability's own prefix
 * ({@code BERTH_TRIGGERS_RETRY_*}, {@code BERTH_CHANGELOG_RETRY_*}).
 */
public interface HandlerRetrySettings extends RetrySettings {

    @Override
    @WithDefault("500ms")
    Duration initialDelay();

    @Override
    @WithDefault("2")
    double multiplier();

    @Override
    @WithDefault("0.3")
    double randomizationFactor();

    @Override
    @WithDefault("10s")
    Duration maxDelay();

    @Override
    @WithDefault("5")
    int maxAttempts();

    @Override
    @WithDefault("2m")
    Duration maxDuration();
}
