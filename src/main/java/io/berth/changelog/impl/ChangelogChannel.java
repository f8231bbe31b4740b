package io.berth.changelog.impl;

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
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The change-log topic ({@code KAFKA_CHANGE_LOG_TOPIC}), as a reactive-messaging channel configured
 * like the runs' (manual acknowledgement by {@link io.berth.delivery.impl.OffsetCommits} once the
 * outcome is known, throttled commits, cooperative rebalancing, a small read-ahead: see
 * {@code io.berth.runs.impl.RunsChannel} for why).
 */
@ApplicationScoped
final class ChangelogChannel {

    static final String CHANNEL = "changelog";

    private final Instance<RecordDispatcher> dispatcher;
    private final boolean consumed;

    /**
     * @param dispatcher looked up only when the change log is consumed: with triggers alone or the
     *        polling streamer, its dead-letter emitter has no channel to connect to
     */
    @Inject
    ChangelogChannel(@Identifier(ChangelogWiring.CHANGELOG) Instance<RecordDispatcher> dispatcher,
            @ConfigProperty(name = RunsConsumption.CHANGELOG_ENABLED, defaultValue = "true") boolean consumed) {
        this.dispatcher = dispatcher;
        this.consumed = consumed;
    }

    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    Uni<Void> receive(IncomingKafkaRecord<String, byte[]> record) {
        return dispatcher.get().dispatch(new InboundRecord(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getKey(), record.getPayload(), record.getTimestamp(), InboundRecord.textHeaders(record.getHeaders()),
                record::ack));
    }

    /** SIGTERM: stop taking events, let those in flight end within the grace period, before the connector closes. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        // A failing shutdown observer would keep the later ones (triggers, bridge) from draining.
        if (consumed) {
            dispatcher.get().drain();
        }
    }
}
