package io.berth.changelog;

import java.time.Duration;
import java.util.Optional;

import io.berth.retry.HandlerRetrySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code BERTH_CHANGELOG_*}: how the change log is consumed. The topic is port-agent's
 * {@code KAFKA_CHANGE_LOG_TOPIC}.
 */
@ConfigMapping(prefix = "berth.changelog")
public interface ChangelogSettings {

    /** Change events handled at once. Events of one entity always go one after another. */
    @WithDefault("16")
    int concurrency();

    /** Where unusable or undeliverable events go, with the reason; default {@code {PORT_ORG_ID}.change.log.dlq}. */
    Optional<String> deadLetterTopic();

    /** Records larger than this are dead-lettered unread. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** On shutdown, how long events in flight may take to finish; the rest are redelivered later. */
    @WithDefault("20s")
    Duration shutdownGrace();

    /**
     * {@code BERTH_CHANGELOG_REVOCATION_DRAIN}: when a rebalance moves a partition to another replica,
     * how long its started events may take to end before it is let go (as {@code BERTH_RUNS_REVOCATION_DRAIN}).
     */
    @WithDefault("20s")
    Duration revocationDrain();

    /** One attempt of a Java change handler taking longer than this fails (and is retried). */
    @WithDefault("5m")
    Duration handlerTimeout();

    /** Retries of a Java change handler (webhooks follow {@code BERTH_WEBHOOK_RETRY_*}). */
    HandlerRetrySettings retry();
}
