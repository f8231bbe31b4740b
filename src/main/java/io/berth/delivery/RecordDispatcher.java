package io.berth.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.mutiny.Uni;

/**
 * Takes the records of one source (a topic's channel, records pushed over HTTP) and sees each
 * through to its {@link RecordOutcome}, through the source's {@link RecordHandler}.
 *
 * <p>{@link #dispatch} completes as soon as the record is accepted, which may be before it is
 * delivered: that is how the source is held back (backpressure) while the configured number of
 * records is in flight. The outcome is announced to the {@link RecordOutcomeListener}s when known.
 */
public interface RecordDispatcher {

    Uni<Void> dispatch(InboundRecord record);

    /**
     * As {@link #dispatch}, for a source that hands records on from a loop of its own
     * ({@code impl.KafkaPolledConsumer}), without a {@code Uni} per record.
     *
     * @param acceptedLater run once the record is accepted, when it was not at once (on the thread
     *        that made room for it)
     * @return true when the record was accepted at once ({@code acceptedLater} is then never run)
     */
    default boolean offer(InboundRecord record, Runnable acceptedLater) {
        CompletableFuture<Void> accepted = dispatch(record).onFailure().recoverWithNull().subscribeAsCompletionStage();
        if (accepted.isDone()) {
            return true;
        }
        accepted.thenRun(acceptedLater);
        return false;
    }

    /**
     * Stops taking new records, withdraws those that have not started, and waits, up to the grace
     * period, for the started ones to end.
     */
    void drain();

    /** The source's consumer now owns these partitions (a rebalance assigned them). */
    void assigned(Collection<TopicPartition> partitions);

    /**
     * The source's consumer is giving these partitions up (a rebalance revoked them): blocks until
     * their records that have started have ended, or {@code bound} has passed, after withdrawing those
     * that have not started (they end {@link RecordOutcome.Abandoned}, uncommitted, for the next owner).
     * Answers the offset that is safe to commit for each partition that has one: the caller commits
     * them before it lets the partitions go. A record still going past the bound stays uncommitted,
     * and the next owner may deliver it again.
     */
    Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions, Duration bound);
}
