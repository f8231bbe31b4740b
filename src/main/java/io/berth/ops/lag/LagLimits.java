package io.berth.ops.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each topic's lag limit: its {@code BERTH_LAG_TOPICS} entry, else {@code BERTH_LAG_MAX_ALLOWED}. */
public final class LagLimits {

    private final long maxAllowed;
    private final Map<String, Long> topics;

    private LagLimits(long maxAllowed, Map<String, Long> topics) {
        this.maxAllowed = maxAllowed;
        this.topics = Map.copyOf(topics);
    }

    /** The limits of valid settings ({@link #problems} is empty). */
    static LagLimits of(LagSettings settings) {
        Map<String, Long> topics = new HashMap<>();
        settings.topics().orElse(List.of()).forEach(entry -> {
            int colon = entry.lastIndexOf(':');
            topics.put(entry.substring(0, colon).trim(), Long.parseLong(entry.substring(colon + 1).trim()));
        });
        return new LagLimits(settings.maxAllowed(), topics);
    }

    long limit(String topic) {
        return topics.getOrDefault(topic, maxAllowed);
    }

    /** What is wrong with the settings, each naming its variable and the fix; empty when they work. */
    public static List<String> problems(LagSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.maxAllowed() < 0) {
            problems.add("BERTH_LAG_MAX_ALLOWED is " + settings.maxAllowed() + ": set 0 or more (default 1000)");
        }
        for (String entry : settings.topics().orElse(List.of())) {
            int colon = entry.lastIndexOf(':');
            String topic = colon < 0 ? "" : entry.substring(0, colon).trim();
            String limit = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (topic.isEmpty() || !limit.matches("[0-9]{1,18}")) {
                problems.add("BERTH_LAG_TOPICS entry '" + entry + "' is not topic:max-lag: write e.g. "
                        + "BERTH_LAG_TOPICS=orders:5000,payments:100");
            }
        }
        if (settings.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("BERTH_LAG_INTERVAL is " + settings.interval().toMillis() + " ms: set 1s or more (default 60s)");
        }
        if (settings.gracePeriod().isNegative()) {
            problems.add("BERTH_LAG_GRACE_PERIOD is negative: set 0s or more (default 30s)");
        }
        return problems;
    }
}
