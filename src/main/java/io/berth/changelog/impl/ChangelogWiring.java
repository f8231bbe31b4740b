package io.berth.changelog.impl;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.ops.HandlerDurations;
import io.berth.tracing.Tracing;
import io.berth.changelog.ChangeHandler;
import io.berth.changelog.ChangelogSettings;
import io.berth.config.KafkaClientConfig;
import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.StopSignal;
import io.berth.delivery.impl.KafkaDeadLetters;
import io.berth.delivery.impl.PartitionHandover;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.delivery.impl.RosterRebalance;
import io.berth.port.PortClient;
import io.berth.retry.RetryPolicy;
import io.berth.webhook.WebhookInvoker;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Builds the change log's pipeline: the delivery core ({@link RecordDispatcherImpl}) with the
 * change log's {@link ChangeRecordHandler} and its dead-letter topic
 * ({@code {PORT_ORG_ID}.change.log.dlq}), and every outcome listener.
 */
@ApplicationScoped
final class ChangelogWiring {

    /** The change log's dispatcher, for the channel that feeds it. */
    static final String CHANGELOG = "changelog";

    static final String DEAD_LETTER_CHANNEL = "changelog-dead-letters";

    /** Named by {@code mp.messaging.incoming.changelog.consumer-rebalance-listener.name}. */
    static final String REBALANCE_LISTENER = "berth-changelog-rebalance";

    private final MutinyEmitter<byte[]> deadLetterTopic;

    /** A span per record (off unless tracing is enabled): injected here to keep the constructor as it is. */
    @Inject
    Tracing tracing;

    @Inject
    ChangelogWiring(@Channel(DEAD_LETTER_CHANNEL) MutinyEmitter<byte[]> deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * Built when the change-log channel is: not at all when Berth runs triggers alone (its emitter
     * has no channel then). {@link ChangeHandlersCheck} reads the handlers' selectors at start-up.
     */
    @Produces
    @ApplicationScoped
    @Identifier(CHANGELOG)
    RecordDispatcher changelogDispatcher(ChangelogSettings settings, ObjectMapper mapper,
            Instance<ChangeHandler> handlers, WebhookInvoker webhooks, Instance<PortClient> port,
            Instance<RecordOutcomeListener> listeners, HandlerDurations durations) {
        RetryPolicy retry = RetryPolicy.of(settings.retry());
        List<HandlerRoute> routes = handlers.stream()
                .map(handler -> new HandlerRoute(handler, retry, settings.handlerTimeout())).toList();
        StopSignal stop = new StopSignal();
        return RecordDispatcherImpl.builder("change event")
                .handler(new ChangeRecordHandler(new ChangeEventParser(mapper, settings.maxRecordBytes()),
                        new ChangeRouter(routes, webhooks), port::get, stop, durations))
                .deadLetters(new KafkaDeadLetters(deadLetterTopic, settings.maxRecordBytes()))
                .listeners(listeners.stream().toList())
                .concurrency(settings.concurrency())
                .shutdownGrace(settings.shutdownGrace())
                .stopSignal(stop)
                .tracing(tracing)
                .build();
    }

    /** The change-log channel's rebalance listener: revoked partitions are let go once drained and committed. */
    @Produces
    @ApplicationScoped
    @Identifier(REBALANCE_LISTENER)
    KafkaConsumerRebalanceListener changelogHandover(@Identifier(CHANGELOG) RecordDispatcher dispatcher,
            ChangelogSettings settings, Config config, ConsumerRoster roster, KafkaClientConfig kafka,
            @Identifier(KafkaClientConfig.PRODUCER) Map<String, Object> connection) {
        ConsumerRoster.Member member = roster.enlist(ConsumerRoster.Capability.CHANGE_LOG, "change log",
                kafka.groupId(), config.getValue("mp.messaging.incoming." + ChangelogChannel.CHANNEL + ".topic",
                        String.class), connection);
        return PartitionHandover.of(dispatcher, ChangelogChannel.CHANNEL, "BERTH_CHANGELOG_REVOCATION_DRAIN",
                settings.revocationDrain(), config, new RosterRebalance(member, new KafkaConsumerRebalanceListener() {
                }));
    }
}
