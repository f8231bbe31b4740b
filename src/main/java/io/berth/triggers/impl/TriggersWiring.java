package io.berth.triggers.impl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.berth.config.CommandMode;
import io.berth.ops.HandlerDurations;
import io.berth.tracing.Tracing;
import io.berth.config.BerthSettings;
import io.berth.config.ConfigurationProblems;
import io.berth.config.KafkaClientConfig;
import io.berth.config.PortSettings;
import io.berth.config.WebhookSettings;
import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.StopSignal;
import io.berth.delivery.impl.KafkaPolledConsumer;
import io.berth.delivery.impl.ProducerDeadLetters;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.outbound.Outbound;
import io.berth.port.PortClient;
import io.berth.retry.RetryPolicy;
import io.berth.triggers.PushedTriggers;
import io.berth.triggers.RunningTriggers;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerDefinition.Target;
import io.berth.triggers.TriggerHandler;
import io.berth.triggers.TriggerRecordListener;
import io.berth.triggers.TriggerSettings;
import io.berth.webhook.DirectWebhook;
import io.berth.webhook.Jq;
import io.berth.webhook.JqTemplate;
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
 * Builds and runs the triggers of {@code BERTH_TRIGGERS_PATH}: the one place that decides what a
 * trigger is made of. Each gets the delivery core ({@link RecordDispatcherImpl} with its
 * {@link TriggerRecordHandler}, dead letters on its own {@code dlq} topic, every outcome listener)
 * and a {@link KafkaPolledConsumer}, or, with {@code BERTH_CLOUDEVENTS_ENABLED=true}, no consumer: its
 * records are pushed and the CloudEvents endpoint hands them to its dispatcher ({@link PushedTriggers}).
 * A file that cannot work stops start-up.
 */
@ApplicationScoped
final class TriggersWiring implements RunningTriggers, PushedTriggers {

    private static final Logger LOG = Logger.getLogger(TriggersWiring.class);

    private final TriggerSettings settings;
    private final BerthSettings berth;
    private final WebhookSettings webhookSettings;
    private final Instance<Map<String, Object>> kafka;
    private final Instance<TriggerHandler> handlers;
    private final Instance<PortClient> port;
    private final Instance<RecordOutcomeListener> listeners;
    private final Instance<TriggerRecordListener> triggerListeners;
    private final PortSettings portSettings;
    private final Vertx vertx;
    private final Outbound outbound;
    private final ConsumerRoster roster;
    private final List<PolledConsumer> consumers = new ArrayList<>();
    private final List<Producer<String, byte[]>> producers = new ArrayList<>();
    private volatile List<Running> running = List.of();
    private volatile Map<String, RecordDispatcher> pushed = Map.of();

    /** A span per record (off unless tracing is enabled): injected here to keep the constructor as it is. */
    @Inject
    Tracing tracing;

    /** Times each record's handling (berth_trigger_duration_seconds); injected as tracing is. */
    @Inject
    HandlerDurations durations;

    /** Records are pushed (a KafkaSource per trigger topic), so no trigger consumes its topic itself. */
    @Inject
    @ConfigProperty(name = "berth.cloudevents.enabled", defaultValue = "false")
    boolean pushMode;

    @Inject
    TriggersWiring(TriggerSettings settings, BerthSettings berth, WebhookSettings webhookSettings,
            @Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> kafka,
            Instance<TriggerHandler> handlers, Instance<PortClient> port, Instance<RecordOutcomeListener> listeners,
            Instance<TriggerRecordListener> triggerListeners, PortSettings portSettings, Vertx vertx,
            Outbound outbound, ConsumerRoster roster) {
        this.settings = settings;
        this.berth = berth;
        this.webhookSettings = webhookSettings;
        this.kafka = kafka;
        this.handlers = handlers;
        this.port = port;
        this.listeners = listeners;
        this.triggerListeners = triggerListeners;
        this.portSettings = portSettings;
        this.vertx = vertx;
        this.outbound = outbound;
        this.roster = roster;
    }

    void start(@Observes StartupEvent event) {
        if (settings.path().isEmpty() || CommandMode.active()) {
            return;
        }
        Jq jq = Jq.withSystemEnvironment(berth.mapping().envAllow());
        List<TriggerDefinition> triggers = TriggersFile.load(Path.of(settings.path().get()), jq);
        refuseWithoutPortCredentials(triggers);
        if (pushMode) {
            refuseSharedTopics(triggers);
        }
        TriggerHandlers named = new TriggerHandlers(handlers);
        List<TriggerTarget> targets = new ArrayList<>();
        for (int i = 0; i < triggers.size(); i++) {
            targets.add(target(triggers.get(i), "entry #" + i + " (id '" + triggers.get(i).id() + "')", named, jq));
        }
        Map<String, Object> connection = kafka.get();
        List<Running> started = new ArrayList<>();
        Map<String, RecordDispatcher> byTopic = new LinkedHashMap<>();
        for (int i = 0; i < triggers.size(); i++) {
            TriggerDefinition trigger = triggers.get(i);
            TriggerActivity activity = new TriggerActivity(trigger, triggerListeners.stream().toList());
            RecordDispatcher dispatcher = dispatcher(trigger, targets.get(i), connection, activity);
            if (pushMode) {
                byTopic.put(trigger.topic(), dispatcher);
                started.add(new Running(activity, null));
            } else {
                consumers.add(consumer(trigger, dispatcher, connection, activity, started));
            }
        }
        running = List.copyOf(started);
        pushed = Map.copyOf(byTopic);
        consumers.forEach(PolledConsumer::start);
        LOG.infof("Topic triggers: %d from %s%s", triggers.size(), settings.path().get(),
                pushMode ? ", their records pushed on POST /cloudevents (BERTH_CLOUDEVENTS_ENABLED=true)" : "");
    }

    @Override
    public Map<String, RecordDispatcher> dispatchersByTopic() {
        return pushed;
    }

    /** A pushed record names only its topic: two triggers reading one could not be told apart. */
    static void refuseSharedTopics(List<TriggerDefinition> triggers) {
        Map<String, String> owners = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TriggerDefinition trigger : triggers) {
            String owner = owners.putIfAbsent(trigger.topic(), trigger.id());
            if (owner != null) {
                problems.add("BERTH_TRIGGERS_PATH: triggers '" + owner + "' and '" + trigger.id() + "' both read topic '"
                        + trigger.topic() + "'; with BERTH_CLOUDEVENTS_ENABLED=true a pushed record names only its topic, "
                        + "so give each trigger a topic of its own (or merge them into one trigger)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
    }

    @Override
    public List<TriggerStatus> statuses() {
        return running.stream().map(trigger -> trigger.activity().status(trigger.member())).toList();
    }

    /** A trigger that starts Port action runs needs Port's API credentials, even when Berth consumes no runs. */
    private void refuseWithoutPortCredentials(List<TriggerDefinition> triggers) {
        List<String> portActions = triggers.stream().filter(t -> t.target() instanceof Target.PortAction)
                .map(TriggerDefinition::id).toList();
        List<String> problems = ConfigurationProblems.forPortActions(portSettings, portActions);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** Before the application scope ends: records in flight finish (within the grace) and are committed. */
    void stop(@Observes @Priority(2) ShutdownEvent event) {
        Duration wait = settings.shutdownGrace().plusSeconds(15);
        consumers.parallelStream().forEach(consumer -> consumer.stop(wait));
        producers.forEach(producer -> producer.close(Duration.ofSeconds(10)));
    }

    private TriggerTarget target(TriggerDefinition trigger, String where, TriggerHandlers named, Jq jq) {
        Target target = trigger.target();
        if (target instanceof Target.Handler handler) {
            return new HandlerTarget(named.named(handler.name(), where), RetryPolicy.of(settings.retry()));
        }
        if (target instanceof Target.Webhook webhook) {
            return new WebhookTarget(DirectWebhook.create(vertx, webhookSettings, berth.webhook(),
                    trigger.maxInFlight(), outbound), webhook);
        }
        Target.PortAction action = (Target.PortAction) target;
        return new PortActionTarget(port.get(), action.action(),
                action.entity().map(jqText -> JqTemplate.compile(jqText, "target.port_action.entity", jq)).orElse(null),
                JqTemplate.compile(action.properties(), "target.port_action.properties", jq));
    }

    private RecordDispatcher dispatcher(TriggerDefinition trigger, TriggerTarget target, Map<String, Object> connection,
            TriggerActivity activity) {
        StopSignal stop = new StopSignal();
        Producer<String, byte[]> producer = new KafkaProducer<>(clients().producer(trigger, connection));
        producers.add(producer);
        return RecordDispatcherImpl.builder("record of trigger " + trigger.id())
                .tracing(tracing)
                .handler(new TriggerRecordHandler(trigger, target, new Envelopes(Clock.systemUTC()), stop, durations))
                .deadLetters(new ProducerDeadLetters(producer, trigger.deadLetterTopic(), settings.maxRecordBytes()))
                .listeners(withActivity(activity))
                .concurrency(trigger.maxInFlight())
                .shutdownGrace(settings.shutdownGrace())
                .stopSignal(stop)
                .build();
    }

    private PolledConsumer consumer(TriggerDefinition trigger, RecordDispatcher dispatcher,
            Map<String, Object> connection, TriggerActivity activity, List<Running> started) {
        Map<String, Object> consumerConfig = clients().consumer(trigger, connection);
        ConsumerRoster.Member member = roster.enlist(ConsumerRoster.Capability.TRIGGER, "trigger " + trigger.id(),
                trigger.consumerGroup(), trigger.topic(), consumerConfig);
        started.add(new Running(activity, member));
        return KafkaPolledConsumer.builder("Trigger " + trigger.id(), "trigger-" + trigger.id())
                .topic(trigger.topic())
                .consumer(new KafkaConsumer<>(consumerConfig))
                .dispatcher(dispatcher)
                .reconnect(KafkaPolledConsumer.reconnectPolicy(settings))
                .activity(member)
                .build();
    }

    private TriggerClients clients() {
        return new TriggerClients(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
    }

    /**
     * A trigger's records in flight and outcomes (its activity), and its consumer's group membership (its
     * member; none when its records are pushed).
     */
    private record Running(TriggerActivity activity, ConsumerRoster.Member member) {
    }

    /** Every listener (commits first among them), and the trigger's own, which tells its outcomes from the runs'. */
    private List<RecordOutcomeListener> withActivity(TriggerActivity activity) {
        List<RecordOutcomeListener> all = new ArrayList<>(listeners.stream().toList());
        all.add(activity);
        return all;
    }
}
