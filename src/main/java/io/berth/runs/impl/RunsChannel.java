package io.berth.runs.impl;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.berth.config.RunsConsumption;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The runs topic, as a reactive-messaging channel. Acknowledgement is manual: a record is
 * acknowledged by {@link io.berth.delivery.impl.OffsetCommits} when its outcome is known, and the connector's throttled
 * commit strategy commits the highest offset below which every record is acknowledged. When a
 * rebalance revokes a partition, the channel's rebalance listener
 * ({@link io.berth.delivery.impl.PartitionHandover}, see {@link RunsWiring}) drains it and commits
 * what ended before the partition is let go.
 *
 * <p><b>Why the read-ahead is small</b> ({@code max.poll.records}, {@code max-queue-size-factor},
 * {@code max.partition.fetch.bytes} in application.properties). {@link #receive} completes once a
 * permit is free, so records leave the connector's queue one at a time, in the order they were
 * fetched; when the queue is full the connector pauses every partition, and resumes them all (newly
 * assigned ones included: its rebalance listener pauses them while the consumer is paused and
 * {@code resume()} resumes the whole assignment, both on the polling thread). The Kafka client hands
 * out a partition's fetched data in one piece before the next partition's. With the defaults
 * (500 records a poll, a queue of twice that, 1 MiB per partition and fetch) one partition's whole
 * backlog filled the queue, and a replica that had just joined held its other partitions without
 * taking one of their records until that backlog was done, for minutes when each of its records
 * first asks Port whether the run already ended:
 *
 * <pre>
 *  before: queue [p6 p6 p6 ... ×1500]            p7..p11 assigned, paused, nothing taken
 *  now:    queue [p6 ×≤64][p7 ×≤64]  fetch slices: p6 32 KiB, p7 32 KiB, ... p11 32 KiB, p6 ...
 * </pre>
 *
 * Each partition now waits at most for one slice of each other partition of the replica.
 */
@ApplicationScoped
final class RunsChannel {

    static final String CHANNEL = "runs";

    private final RecordDispatcher dispatcher;
    private final boolean consumed;

    /** @param consumed false when Berth runs triggers alone: SmallRye then gives this channel no consumer */
    @Inject
    RunsChannel(@Identifier(RunsWiring.RUNS) RecordDispatcher dispatcher,
            @ConfigProperty(name = RunsConsumption.CHANNEL_ENABLED, defaultValue = "true") boolean consumed) {
        this.dispatcher = dispatcher;
        this.consumed = consumed;
    }

    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    Uni<Void> receive(IncomingKafkaRecord<String, byte[]> record) {
        InboundRecord inbound = new InboundRecord(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getKey(), record.getPayload(), record.getTimestamp(), InboundRecord.textHeaders(record.getHeaders()),
                record::ack);
        // The dispatcher ends every record, even one it failed to take (see RecordDispatcherImpl).
        return dispatcher.dispatch(inbound);
    }

    /**
     * SIGTERM: stop taking records, let in-flight runs end within the grace period. Runs before the
     * connector closes (it closes on the application scope's destruction), so that what ended is
     * acknowledged and committed by the connector on its way out.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        if (consumed) {
            dispatcher.drain();
        }
    }
}
