package io.berth.changelog.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.changelog.ChangelogSettings;
import io.berth.retry.HandlerRetrySettings;

class ChangelogSettingsCheckTest {

    @Test
    void theDefaultsPass() {
        assertThat(ChangelogSettingsCheck.problems(settings(16, 1_048_576, Duration.ofMinutes(5), 5))).isEmpty();
    }

    @Test
    void eachSettingThatCannotWorkIsNamedWithAnExample() {
        assertThat(ChangelogSettingsCheck.problems(settings(0, 100, Duration.ZERO, 0))).containsExactly(
                "BERTH_CHANGELOG_CONCURRENCY must be at least 1, was 0: set e.g. BERTH_CHANGELOG_CONCURRENCY=16",
                "BERTH_CHANGELOG_MAX_RECORD_BYTES must be at least 1024, was 100: set e.g. "
                        + "BERTH_CHANGELOG_MAX_RECORD_BYTES=1048576",
                "BERTH_CHANGELOG_HANDLER_TIMEOUT must be longer than zero, was PT0S: set e.g. "
                        + "BERTH_CHANGELOG_HANDLER_TIMEOUT=5m",
                "BERTH_CHANGELOG_RETRY_MAX_ATTEMPTS must be at least 1, was 0: set e.g. "
                        + "BERTH_CHANGELOG_RETRY_MAX_ATTEMPTS=10 (1 means no retry)");
    }

    static ChangelogSettings settings(int concurrency, int maxRecordBytes, Duration handlerTimeout, int attempts) {
        return new ChangelogSettings() {
            @Override
            public int concurrency() {
                return concurrency;
            }

            @Override
            public Optional<String> deadLetterTopic() {
                return Optional.empty();
            }

            @Override
            public int maxRecordBytes() {
                return maxRecordBytes;
            }

            @Override
            public Duration shutdownGrace() {
                return Duration.ofSeconds(20);
            }

            @Override
            public Duration revocationDrain() {
                return Duration.ofSeconds(20);
            }

            @Override
            public Duration handlerTimeout() {
                return handlerTimeout;
            }

            @Override
            public HandlerRetrySettings retry() {
                return new HandlerRetrySettings() {
                    @Override
                    public Duration initialDelay() {
                        return Duration.ofMillis(500);
                    }

                    @Override
                    public double multiplier() {
                        return 2;
                    }

                    @Override
                    public double randomizationFactor() {
                        return 0.3;
                    }

                    @Override
                    public Duration maxDelay() {
                        return Duration.ofSeconds(10);
                    }

                    @Override
                    public int maxAttempts() {
                        return attempts;
                    }

                    @Override
                    public Duration maxDuration() {
                        return Duration.ofMinutes(2);
                    }
                };
            }
        };
    }
}
