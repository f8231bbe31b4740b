package io.berth.polling;

import java.time.Duration;

import io.berth.config.SecondsOrDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * port-agent's {@code POLLING_*} variables, with its defaults. Durations are seconds as port-agent
 * writes them ({@code 10}, {@code 2.5}) or Quarkus durations ({@code 500ms}).
 * {@code POLLING_JITTER_FACTOR} is read as an alias of {@code POLLING_BACKOFF_JITTER_FACTOR}
 * (application.properties).
 */
@ConfigMapping(prefix = "polling")
public interface PollingSettings {

    /** {@code POLLING_INTERVAL_SECONDS}: the pause after a claim that answered fewer runs than asked for. */
    @WithDefault("10")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration intervalSeconds();

    /** {@code POLLING_RUNS_BATCH_SIZE}: the most runs one claim asks for (fewer when fewer permits are free). */
    @WithDefault("100")
    int runsBatchSize();

    /** {@code POLLING_INITIAL_BACKOFF_SECONDS}: the pause after a first failed claim. */
    @WithDefault("1")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration initialBackoffSeconds();

    /** {@code POLLING_MAX_BACKOFF_SECONDS}: the longest pause between failed claims. */
    @WithDefault("300")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration maxBackoffSeconds();

    /** {@code POLLING_BACKOFF_FACTOR}: each pause after a failure is this many times the previous one. */
    @WithDefault("2.0")
    double backoffFactor();

    /** {@code POLLING_BACKOFF_JITTER_FACTOR} (alias {@code POLLING_JITTER_FACTOR}): up to this share of the pause is added at random. */
    @WithDefault("0.1")
    double backoffJitterFactor();

    /**
     * {@code POLLING_MAX_FAILURE_DURATION_SECONDS}: once claims have failed for longer than this,
     * without one success, Berth gives up: readiness DOWN, and it exits for its orchestrator to restart it.
     */
    @WithDefault("3600")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration maxFailureDurationSeconds();
}
