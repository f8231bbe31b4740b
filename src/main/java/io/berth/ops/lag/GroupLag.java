package io.berth.ops.lag;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One measurement of one consumer group: per topic, each partition's lag (end offset minus the
 * group's committed offset), the topic's limit and partition count, and how many of the group's
 * members are assigned partitions of it (a group may hold consumers of other topics: the bridge's
 * subscriptions share one).
 *
 * @param error why the group could not be measured (Kafka unreachable, say), or null
 */
record GroupLag(String group, Map<String, TopicLag> topics, String error) {

    /** @param lag partition number to lag */
    record TopicLag(int partitions, int members, long limit, SortedMap<Integer, Long> lag) {

        boolean overLimit() {
            return lag.values().stream().anyMatch(records -> records > limit);
        }
    }

    /**
     * The plugin's rule: a topic signals when a partition lags more than its limit and the group has
     * fewer members consuming the topic than it has partitions (another consumer would take some of the work).
     * With as many members as partitions, adding consumers cannot help, so no signal.
     */
    List<String> signalling() {
        return topics.entrySet().stream()
                .filter(topic -> topic.getValue().overLimit() && topic.getValue().members() < topic.getValue().partitions())
                .map(Map.Entry::getKey).sorted().toList();
    }
}
