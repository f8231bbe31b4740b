package io.berth.runs.impl;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

/**
 * Remembers, for each partition Berth was assigned, the log-end offset at the moment of assignment.
 *
 * <p>Why: a record below that mark existed before this consumer owned the partition, so a previous
 * owner (or this process before a restart) may have handled it and crashed before its offset was
 * committed. Only those records need the extra {@code GET /v1/actions/runs/{id}} check; records
 * above the mark were produced while this consumer owned the partition and have been seen by no one.
 *
 * <pre>
 *   partition 0:  [committed]........[end at assignment]..........[new records]
 *                  └── may have been handled: ask Port ──┘└── only the memory of recent runs ──┘
 * </pre>
 *
 * It also says so, with the usual fix, when the group gives this consumer no partition at all. It
 * hears of rebalances from the runs' {@link io.berth.delivery.impl.PartitionHandover} (see RunsWiring).
 */
@ApplicationScoped
@Default
public final class AssignmentWatermarks implements KafkaConsumerRebalanceListener {

    /** The runs channel's rebalance listener: the partition handover, which tells this class after it. */
    public static final String NAME = "berth-runs-rebalance";

    private static final Logger LOG = Logger.getLogger(AssignmentWatermarks.class);

    private final Map<TopicPartition, Long> marks = new ConcurrentHashMap<>();
    private volatile boolean joined;
    private volatile int assignedPartitions;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        joined = true;
        if (partitions.isEmpty() && marks.isEmpty()) {
            LOG.warnf("The consumer group %s assigned no partition of the runs topic to this Berth: another "
                    + "consumer in the same group owns them all (often port-agent, or a second Berth, still running "
                    + "with this KAFKA_CONSUMER_GROUP_ID). Stop the other consumer, or add partitions to the topic.",
                    consumer.groupMetadata().groupId());
        }
        if (!partitions.isEmpty()) {
            // Called on the polling thread, where a blocking call to the broker is allowed.
            consumer.endOffsets(partitions).forEach(marks::put);
            LOG.infof("Assigned %s", partitions);
        }
        assignedPartitions = marks.size();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(marks::remove);
        assignedPartitions = marks.size();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** True when the record existed before this consumer was assigned its partition. */
    boolean mayHaveBeenHandled(String topic, int partition, long offset) {
        Long mark = marks.get(new TopicPartition(topic, partition));
        return mark == null || offset < mark;
    }

    /** True once the consumer has joined its group (with or without partitions). */
    public boolean joined() {
        return joined;
    }

    public int assignedPartitions() {
        return assignedPartitions;
    }
}
