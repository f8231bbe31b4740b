package io.berth.delivery.impl;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.berth.config.ConfigurationProblems;
import io.berth.delivery.RecordDispatcher;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Hands a channel's revoked partitions over to their next owner only once nothing of them runs here:
 * the channel's rebalance listener, for every capability that consumes through a {@link RecordDispatcher}.
 *
 * <p>Why it commits itself: SmallRye calls its commit strategy's revocation (which commits what was
 * acknowledged so far, then forgets the partition) before this listener, so a record that ends while
 * this listener waits would never be committed by it, and its partition's next owner would run it
 * again. The dispatcher knows what is safe to commit; this listener commits that, synchronously, on
 * the polling thread, and only then returns, which is when Kafka lets the partitions go.
 *
 * <pre>
 *  rebalance ─► SmallRye: queued records of the partitions dropped, acknowledged offsets committed
 *            ─► here: dispatcher.revoke (withdraw waiting, wait for started, ≤ bound) ─► commitSync
 *            ─► the capability's own listener ─► return: the partitions move
 * </pre>
 */
public final class PartitionHandover implements KafkaConsumerRebalanceListener {

    /** Longest a revocation's commit may take; with the drain bound, it must stay below max.poll.interval.ms. */
    public static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(PartitionHandover.class);

    private final RecordDispatcher dispatcher;
    private final Duration drainBound;
    private final KafkaConsumerRebalanceListener next;

    /**
     * @param drainBound how long a revocation waits for the partitions' started records
     * @param next the capability's own listener, told after the handover
     */
    public PartitionHandover(RecordDispatcher dispatcher, Duration drainBound, KafkaConsumerRebalanceListener next) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.drainBound = Objects.requireNonNull(drainBound, "drainBound");
        this.next = Objects.requireNonNull(next, "next");
    }

    /**
     * The handover of {@code channel}, once its drain bound is checked against the channel's
     * {@code max.poll.interval.ms}.
     *
     * @param variable the drain bound's environment variable, for the start-up error
     * @throws ConfigurationException when the drain and the commit would outlast the rebalance timeout
     */
    public static PartitionHandover of(RecordDispatcher dispatcher, String channel, String variable, Duration drain,
            Config config, KafkaConsumerRebalanceListener next) {
        List<String> problems = ConfigurationProblems.ofRevocationDrain(variable, drain, COMMIT_TIMEOUT,
                maxPollIntervalMs(config, channel));
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        return new PartitionHandover(dispatcher, drain, next);
    }

    /** The channel's {@code max.poll.interval.ms}, else every channel's, else Kafka's default of 5 minutes. */
    static long maxPollIntervalMs(Config config, String channel) {
        return config.getOptionalValue("mp.messaging.incoming." + channel + ".max.poll.interval.ms", Long.class)
                .or(() -> config.getOptionalValue("kafka.max.poll.interval.ms", Long.class))
                .orElse(300_000L);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        dispatcher.assigned(partitions);
        next.onPartitionsAssigned(consumer, partitions);
    }

    /** Also called when the partitions were lost: then the commit fails, and is only logged. */
    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = dispatcher.revoke(partitions, drainBound);
            commit(consumer, offsets);
            LOG.infof("Revoked %s; committed %s", partitions, offsets);
        }
        next.onPartitionsRevoked(consumer, partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    private static void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (KafkaException failed) {
            // The partitions are gone already (lost, or the group moved on): their next owner starts at the
            // last commit, and asks Port before it runs a record that may have been handled here.
            LOG.warnf("Could not commit %s on revocation (%s): the next owner may deliver those records again",
                    offsets, failed.getClass().getSimpleName());
        }
    }
}
