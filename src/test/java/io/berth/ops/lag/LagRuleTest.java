package io.berth.ops.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The watt plugin's rule and options, as Berth reads them. */
class LagRuleTest {

    static GroupLag.TopicLag topic(int members, long limit, long... lags) {
        TreeMap<Integer, Long> lag = new TreeMap<>();
        for (int partition = 0; partition < lags.length; partition++) {
            lag.put(partition, lags[partition]);
        }
        return new GroupLag.TopicLag(lags.length, members, limit, lag);
    }

    @Test
    void signalsOnlyWhenAPartitionIsOverItsLimitAndTheTopicHasFewerMembersThanPartitions() {
        GroupLag group = new GroupLag("g", Map.of(
                "behind-and-short-of-members", topic(1, 5, 0, 6, 0),
                "behind-with-a-member-per-partition", topic(3, 5, 9, 9, 9),
                "at-the-limit", topic(1, 5, 5, 5, 5)), null);

        assertThat(group.signalling()).containsExactly("behind-and-short-of-members");
    }

    @Test
    void aTopicsOwnLimitWinsOverTheDefault() {
        LagLimits limits = LagLimits.of(settings(1000, List.of("orders:5000", " payments : 100 ")));

        assertThat(limits.limit("orders")).isEqualTo(5000);
        assertThat(limits.limit("payments")).isEqualTo(100);
        assertThat(limits.limit("anything-else")).isEqualTo(1000);
    }

    @Test
    void startUpRefusesUnusableSettingsNamingTheVariableAndTheFix() {
        List<String> problems = LagLimits.problems(new Settings(-1, Optional.of(List.of("orders", "payments:many")),
                Duration.ofMillis(10), Duration.ofSeconds(-1)));

        assertThat(problems).containsExactly(
                "BERTH_LAG_MAX_ALLOWED is -1: set 0 or more (default 1000)",
                "BERTH_LAG_TOPICS entry 'orders' is not topic:max-lag: write e.g. BERTH_LAG_TOPICS=orders:5000,payments:100",
                "BERTH_LAG_TOPICS entry 'payments:many' is not topic:max-lag: write e.g. "
                        + "BERTH_LAG_TOPICS=orders:5000,payments:100",
                "BERTH_LAG_INTERVAL is 10 ms: set 1s or more (default 60s)",
                "BERTH_LAG_GRACE_PERIOD is negative: set 0s or more (default 30s)");
        assertThat(LagLimits.problems(settings(1000, List.of("orders:0")))).isEmpty();
    }

    static LagSettings settings(long maxAllowed, List<String> topics) {
        return new Settings(maxAllowed, Optional.of(topics), Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    record Settings(long maxAllowed, Optional<List<String>> topics, Duration interval, Duration gracePeriod)
            implements LagSettings {
    }
}
