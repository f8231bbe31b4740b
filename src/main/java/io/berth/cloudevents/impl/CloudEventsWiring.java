package io.berth.cloudevents.impl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.berth.bridge.http.InboundAuth;
import io.berth.cloudevents.CloudEventsSettings;
import io.berth.delivery.RecordDispatcher;
import io.berth.triggers.PushedTriggers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationException;
import io.smallrye.common.annotation.Identifier;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * Puts {@code POST /cloudevents} together when {@code BERTH_CLOUDEVENTS_ENABLED=true}, the one place
 * that does: the bridge's {@link InboundAuth}, and the topics' own dispatchers, the runs'
 * ({@code runs.impl.RunsWiring}, identifier {@value #RUNS}) and the change log's
 * ({@code changelog.impl.ChangelogWiring}, {@value #CHANGELOG}), by the topic names their channels read,
 * and each trigger's by its topic ({@link PushedTriggers}).
 * Until Berth has started, pushes are answered 503. On SIGTERM the dispatchers drain: pushed records
 * still going end within the grace, or are answered 503 for the KafkaSource to retry.
 */
@ApplicationScoped
final class CloudEventsWiring {

    static final String RUNS = "runs";
    static final String CHANGELOG = "changelog";
    static final String RUNS_TOPIC = "mp.messaging.incoming.runs.topic";
    static final String CHANGELOG_TOPIC = "mp.messaging.incoming.changelog.topic";

    private static final Logger LOG = Logger.getLogger(CloudEventsWiring.class);

    private final CloudEventsSettings settings;
    private final PushedOutcomes outcomes;
    private final Instance<RecordDispatcher> runs;
    private final Instance<RecordDispatcher> changelog;
    private final Config config;
    private final boolean oidc;

    /** The triggers' dispatchers by topic: injected here to keep the constructor as it is. */
    @Inject
    Instance<PushedTriggers> triggers;
    private volatile CloudEventsEndpoint endpoint;

    @Inject
    CloudEventsWiring(CloudEventsSettings settings, PushedOutcomes outcomes,
            @Identifier(RUNS) Instance<RecordDispatcher> runs, @Identifier(CHANGELOG) Instance<RecordDispatcher> changelog,
            Config config, @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.settings = settings;
        this.outcomes = outcomes;
        this.runs = runs;
        this.changelog = changelog;
        this.config = config;
        this.oidc = oidc;
    }

    void routes(@Observes Router router) {
        if (!settings.enabled()) {
            return;
        }
        router.post("/cloudevents")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(this::failed);
    }

    /**
     * The dispatchers are taken once the application has started: the runs' needs its dead-letter emitter,
     * and the triggers' are built on start-up, by an observer of default priority this one comes after.
     */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        InboundAuth auth = new InboundAuth(settings.open(), settings.apiKeys().orElse(""), oidc);
        Map<String, RecordDispatcher> topics = new LinkedHashMap<>();
        topic(RUNS_TOPIC, runs).ifPresent(entry -> topics.put(entry.getKey(), entry.getValue()));
        topic(CHANGELOG_TOPIC, changelog).ifPresent(entry -> topics.put(entry.getKey(), entry.getValue()));
        if (triggers.isResolvable()) {
            triggers.get().dispatchersByTopic().forEach((topic, dispatcher) -> {
                if (topics.putIfAbsent(topic, dispatcher) != null) {
                    LOG.warnf("CloudEvents: a trigger reads %s, which is Berth's own topic: pushed records of it go "
                            + "to Berth's pipeline, not to the trigger", topic);
                }
            });
        }
        endpoint = new CloudEventsEndpoint(auth, topics, outcomes, settings.answerWithin());
        LOG.infof("CloudEvents: POST /cloudevents takes records of %s, %s", topics.keySet(), settings.open()
                ? "from anyone (BERTH_CLOUDEVENTS_OPEN=true)" : "from callers with an API key or an OIDC token");
        if (auth.refusesEveryone()) {
            LOG.warn("CloudEvents: every push is refused (401): set BERTH_CLOUDEVENTS_API_KEYS, or enable OIDC "
                    + "(QUARKUS_OIDC_TENANT_ENABLED=true, QUARKUS_OIDC_AUTH_SERVER_URL), or BERTH_CLOUDEVENTS_OPEN=true "
                    + "where only the cluster's network can reach Berth");
        }
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        CloudEventsEndpoint running = endpoint;
        if (running != null) {
            running.dispatchers().values().forEach(RecordDispatcher::drain);
        }
    }

    private Optional<Map.Entry<String, RecordDispatcher>> topic(String property, Instance<RecordDispatcher> dispatcher) {
        Optional<String> topic = config.getOptionalValue(property, String.class).filter(name -> !name.isBlank()
                && !name.startsWith("."));
        if (topic.isEmpty() || !dispatcher.isResolvable()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Map.entry(topic.get(), dispatcher.get()));
        } catch (RuntimeException unavailable) {
            // Its dead-letter topic is off (the polling streamer, or no PORT_ORG_ID): nothing to push to.
            LOG.warnf("CloudEvents: records of %s cannot be taken (%s)", topic.get(), unavailable.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private void handle(RoutingContext context) {
        CloudEventsEndpoint running = endpoint;
        if (running == null) {
            CloudEventsEndpoint.answer(context, 503, "Berth is starting; retry.");
        } else {
            running.handle(context);
        }
    }

    private void failed(RoutingContext context) {
        if (context.failure() instanceof AuthenticationException) {
            CloudEventsEndpoint.answer(context, 401, "The OIDC bearer token was refused.");
        } else if (context.statusCode() == 413) {
            CloudEventsEndpoint.answer(context, 413, "The body is larger than " + settings.maxBodyBytes()
                    + " bytes (BERTH_CLOUDEVENTS_MAX_BODY_BYTES).");
        } else {
            LOG.warnf("CloudEvents: a push failed (%s)", context.failure() == null ? "status " + context.statusCode()
                    : context.failure().getClass().getName());
            CloudEventsEndpoint.answer(context, 500, "The push could not be handled; retry.");
        }
    }
}
