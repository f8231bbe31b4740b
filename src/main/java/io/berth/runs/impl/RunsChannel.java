package io.berth.runs.impl;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.berth.runs.DeadLetters;
import io.berth.runs.InboundRecord;
import io.berth.runs.RunDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The runs topic, as a reactive-messaging channel. Acknowledgement is manual: a record is
 * acknowledged by {@link OffsetCommits} when its outcome is known, and the connector's throttled
 * commit strategy commits the highest offset below which every record is acknowledged.
 */
@ApplicationScoped
final class RunsChannel {

    static final String CHANNEL = "runs";

    private static final Logger LOG = Logger.getLogger(RunsChannel.class);

    private final RunDispatcher dispatcher;
    private final DeadLetters deadLetters;

    @Inject
    RunsChannel(RunDispatcher dispatcher, DeadLetters deadLetters) {
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
    }

    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    Uni<Void> receive(IncomingKafkaRecord<String, byte[]> record) {
        InboundRecord inbound = new InboundRecord(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getKey(), record.getPayload(), record::ack);
        return take(inbound);
    }

    /**
     * The dispatcher ends every record it takes. Should it fail to take one, the record must still
     * end: left unacknowledged, it would hold back its partition's commits for good. So it is
     * dead-lettered with the failure's class and acknowledged (even if the dead-letter topic refuses
     * it: the ERROR line then names its coordinates), and the channel lives on.
     */
    Uni<Void> take(InboundRecord inbound) {
        return Uni.createFrom().deferred(() -> dispatcher.dispatch(inbound))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "%s: the run pipeline could not take this record; dead-lettering it", inbound);
                    return deadLetters.send(inbound, "unexpected failure: " + failure.getClass().getName())
                            .onFailure().invoke(refused -> LOG.errorf("%s: the dead-letter topic refused this record "
                                    + "(%s): it stays only in the runs topic at this offset", inbound,
                                    refused.getClass().getSimpleName()))
                            .onFailure().recoverWithNull()
                            .chain(() -> Uni.createFrom().completionStage(inbound.ack()));
                });
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
