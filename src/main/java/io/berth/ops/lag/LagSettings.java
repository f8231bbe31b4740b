package io.berth.ops.lag;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.berth.config.SecondsOrDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * {@code BERTH_LAG_*}, the options of {@code @platformatic/watt-plugin-kafka-health}:
 * {@code maxAllowedLag}, {@code topics}, {@code interval}, {@code gracePeriod}. Checked at start-up
 * by {@link LagLimits#problems}.
 */
@ConfigMapping(prefix = "berth.lag")
public interface LagSettings {

    /** {@code BERTH_LAG_MAX_ALLOWED}: the most records a partition may lag behind before it counts. */
    @WithDefault("1000")
    long maxAllowed();

    /** {@code BERTH_LAG_TOPICS}: per-topic limits, {@code orders:5000,payments:100}. */
    Optional<List<String>> topics();

    /** {@code BERTH_LAG_INTERVAL}: how often lag is measured (seconds, or {@code 30s}, {@code 2m}). */
    @WithDefault("60s")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration interval();

    /** {@code BERTH_LAG_GRACE_PERIOD}: after start, how long lag over the limit does not turn the check DOWN. */
    @WithDefault("30s")
    @WithConverter(SecondsOrDurationConverter.class)
    Duration gracePeriod();
}
