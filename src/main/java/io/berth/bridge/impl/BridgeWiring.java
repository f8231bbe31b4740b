package io.berth.bridge.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

import io.berth.config.CommandMode;
import io.berth.tracing.Tracing;
import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeConfiguration.ConsumerOptions;
import io.berth.bridge.BridgeSettings;
import io.berth.bridge.Subscription;
import io.berth.config.BerthSettings;
import io.berth.config.KafkaClientConfig;
import io.berth.config.PortSettings;
import io.berth.config.WebhookSettings;
import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.DeadLetters;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.PolledConsumerSettings;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.StopSignal;
import io.berth.delivery.impl.KafkaPolledConsumer;
import io.berth.delivery.impl.ProducerDeadLetters;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.retry.RetryPolicy;
import io.berth.webhook.DirectWebhook;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Builds and runs the bridge of {@code BERTH_BRIDGE_PATH}: the one place that decides what a
 * subscription is made of. Each gets the delivery core ({@link RecordDispatcherImpl} with its
 * {@link SubscriptionHandler}, behind a {@link Batcher} when it has {@code batch}; dead letters in
 * kafka-hooks' format on its {@code dlq} topic; every outcome listener, commits among them) and a
 * {@link KafkaPolledConsumer} of its topic in the file's group. A file that cannot work stops start-up.
 */
@ApplicationScoped
final class BridgeWiring {

    private static final Logger LOG = Logger.getLogger(BridgeWiring.class);

    private final BridgeSettings settings;
    private final KafkaClientConfig kafka;
    private final Instance<Map<String, Object>> kafkaConnection;
    private final PortSettings port;
    private final WebhookSettings webhookSettings;
    private final BerthSettings berth;
    private final Instance<RecordOutcomeListener> listeners;
    private final Vertx vertx;
    private final ConsumerRoster roster;
    private final List<PolledConsumer> consumers = new ArrayList<>();
    private Producer<String, byte[]> producer;

    /** A span per record (off unless tracing is enabled): injected here to keep the constructor as it is. */
    @Inject
    Tracing tracing;

    @Inject
    BridgeWiring(BridgeSettings settings, KafkaClientConfig kafka,
            @Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> kafkaConnection, PortSettings port,
            WebhookSettings webhookSettings, BerthSettings berth, Instance<RecordOutcomeListener> listeners,
            Vertx vertx, ConsumerRoster roster) {
        this.settings = settings;
        this.kafka = kafka;
        this.kafkaConnection = kafkaConnection;
        this.port = port;
        this.webhookSettings = webhookSettings;
        this.berth = berth;
        this.listeners = listeners;
        this.vertx = vertx;
        this.roster = roster;
    }

    void start(@Observes StartupEvent event) {
        if (settings.path().isEmpty() || CommandMode.active()) {
            return;
        }
        BridgeConfiguration bridge = BridgeFile.load(Path.of(settings.path().get()));
        refuseWithoutBrokers(bridge);
        Map<String, Object> connection = bridge.brokers().isEmpty() ? kafkaConnection.get()
                : kafka.connectionTo(String.join(",", bridge.brokers()));
        BridgeClients clients = new BridgeClients(connection, settings.reconnectInitialDelay(),
                settings.reconnectMaxDelay());
        producer = new KafkaProducer<>(clients.producer());
        for (Subscription subscription : bridge.subscriptions()) {
            consumers.add(consumer(bridge, subscription, clients));
        }
        consumers.forEach(PolledConsumer::start);
        LOG.infof("Bridge: %d subscription(s) in group %s from %s", bridge.subscriptions().size(),
                bridge.consumer().groupId(), settings.path().get());
    }

    /** Before the application scope ends: deliveries in flight finish (within the grace) and are committed. */
    void stop(@Observes @Priority(2) ShutdownEvent event) {
        Duration wait = settings.shutdownGrace().plusSeconds(15);
        consumers.parallelStream().forEach(consumer -> consumer.stop(wait));
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** The file's brokers, KAFKA_BROKERS, or Port's credentials to fetch them: one of them is needed. */
    private void refuseWithoutBrokers(BridgeConfiguration bridge) {
        boolean portCredentials = port.clientId().filter(id -> !id.isBlank()).isPresent()
                && port.clientSecret().filter(secret -> !secret.isBlank()).isPresent();
        if (bridge.brokers().isEmpty() && !kafka.brokersSet() && !portCredentials) {
            throw new ConfigurationException("Berth cannot start:\n  - Bridge file " + settings.path().get()
                    + ": brokers is missing and KAFKA_BROKERS is not set: set \"brokers\": [\"kafka:9092\"] in the "
                    + "file's kafka section, or KAFKA_BROKERS=kafka:9092");
        }
    }

    private PolledConsumer consumer(BridgeConfiguration bridge, Subscription subscription, BridgeClients clients) {
        DirectWebhook webhook = DirectWebhook.create(vertx, webhookSettings, berth.webhook(), bridge.concurrency(),
                subscription.timeout());
        ConsumerRoster.Member member = roster.enlist(ConsumerRoster.Capability.BRIDGE,
                "bridge " + subscription.topic(), bridge.consumer().groupId(), subscription.topic(),
                clients.consumer(subscription, bridge.consumer()));
        return consumer(subscription, bridge.concurrency(), bridge.consumer(), clients, producer, webhook,
                listeners.stream().toList(), vertx, settings, member, tracing);
    }

    /** As below, with no roster entry and no spans (tests assembling one subscription). */
    static PolledConsumer consumer(Subscription subscription, int concurrency, ConsumerOptions group,
            BridgeClients clients, Producer<String, byte[]> producer, DirectWebhook webhook,
            List<RecordOutcomeListener> listeners, Vertx vertx, PolledConsumerSettings settings) {
        return consumer(subscription, concurrency, group, clients, producer, webhook, listeners, vertx, settings,
                new PolledConsumer.Activity() {
                }, Tracing.off());
    }

    /**
     * What one subscription is made of, from its parts: the delivery core and the consumer that feeds it,
     * telling {@code activity} what the consumer does (its roster entry).
     */
    static PolledConsumer consumer(Subscription subscription, int concurrency, ConsumerOptions group,
            BridgeClients clients, Producer<String, byte[]> producer, DirectWebhook webhook,
            List<RecordOutcomeListener> listeners, Vertx vertx, PolledConsumerSettings settings,
            PolledConsumer.Activity activity, Tracing tracing) {
        StopSignal stop = new StopSignal();
        SubscriptionHandler handler = new SubscriptionHandler(subscription, webhook,
                OutboundCredentials.of(subscription.auth(), webhook), retryPolicy(subscription), stop,
                Clock.systemUTC(), tracing);
        RecordHandler delivery = subscription.batch().isEmpty() ? handler
                : new Batcher(subscription, concurrency, handler::deliverBatch, vertx, stop);
        DeadLetters deadLetters = subscription.deadLetterTopic()
                .<DeadLetters>map(topic -> new ProducerDeadLetters(producer, topic, settings.maxRecordBytes(),
                        new KafkaHooksDeadLetter(subscription.attempts())))
                .orElseGet(DroppedDeadLetters::new);
        var dispatcher = RecordDispatcherImpl.builder("record of topic " + subscription.topic())
                .handler(delivery)
                .deadLetters(deadLetters)
                .listeners(listeners)
                .concurrency(Batcher.recordsInFlight(subscription, concurrency))
                .maxInFlightBytes(Batcher.bytesInFlight(subscription, concurrency))
                .shutdownGrace(settings.shutdownGrace())
                .stopSignal(stop)
                .tracing(tracing)
                .build();
        return KafkaPolledConsumer.builder("Bridge " + subscription.topic(), "bridge-" + subscription.topic())
                .topic(subscription.topic())
                .consumer(new KafkaConsumer<>(clients.consumer(subscription, group)))
                .dispatcher(dispatcher)
                .reconnect(KafkaPolledConsumer.reconnectPolicy(settings))
                .maxInFlightPerPartition(Batcher.recordsInFlightPerPartition(subscription))
                .activity(activity)
                .build();
    }

    /**
     * kafka-hooks' fixed {@code retryDelay}, or the {@code backoff}; {@code retries} attempts in all.
     * A {@code Retry-After} that would end past every attempt's timeout and wait, plus ten minutes,
     * ends the retries (so that one answer cannot hold its key's records for hours).
     */
    static RetryPolicy retryPolicy(Subscription subscription) {
        Subscription.Backoff backoff = subscription.backoff().orElse(new Subscription.Backoff(
                subscription.retryDelay(), 1.0, subscription.retryDelay(), 0.0));
        Duration longest = subscription.timeout().plus(backoff.max()).multipliedBy(subscription.attempts())
                .plusMinutes(10);
        return new RetryPolicy(backoff.initial(), backoff.multiplier(), backoff.jitter(), backoff.max(),
                subscription.attempts(), longest);
    }
}
