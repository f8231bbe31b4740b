package io.berth.runs.impl;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
 * commit strategy commits the highest offset below which every record is acknowledged.
 */
@ApplicationScoped
final class RunsChannel {

    static final String CHANNEL = "runs";

    private final RecordDispatcher dispatcher;

    @Inject
    RunsChannel(@Identifier(RunsWiring.RUNS) RecordDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    Uni<Void> receive(IncomingKafkaRecord<String, byte[]> record) {
        InboundRecord inbound = new InboundRecord(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getKey(), record.getPayload(), record.getTimestamp(), record::ack);
        return dispatcher.dispatch(inbound)
                // The dispatcher never fails; if it did, the record stays unacknowledged and the channel lives on.
                .onFailure().recoverWithNull();
    }

    /**
     * SIGTERM: stop taking records, let in-flight runs end within the grace period. Runs before the
     * connector closes (it closes on the application scope's destruction), so that what ended is
     * acknowledged and committed by the connector on its way out.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        dispatcher.drain();
    }
}
