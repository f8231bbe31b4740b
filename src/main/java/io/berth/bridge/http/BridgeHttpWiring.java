package io.berth.bridge.http;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.berth.config.CommandMode;
import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeConfiguration.RequestResponseRoute;
import io.berth.bridge.BridgeSettings;
import io.berth.bridge.Subscription;
import io.berth.bridge.impl.BridgeFile;
import io.berth.config.KafkaClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.AuthenticationException;
import io.smallrye.common.annotation.Identifier;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The bridge's HTTP side, when {@code BERTH_BRIDGE_PATH} is set: {@code POST /topics/{topic}}
 * ({@link PublishEndpoint}) and one route per {@code requestResponse} entry ({@link ReplyRoute}),
 * behind {@link InboundAuth}. Vert.x routes: nothing here blocks the event loop.
 */
@ApplicationScoped
final class BridgeHttpWiring {

    private static final Logger LOG = Logger.getLogger(BridgeHttpWiring.class);

    private final BridgeSettings bridge;
    private final BridgeHttpSettings settings;
    private final KafkaClientConfig kafka;
    private final Instance<Map<String, Object>> berthConnection;
    private final boolean oidc;
    private RecordSender sender;
    private PendingReplies pending;
    private ReplyReader replies;

    @Inject
    BridgeHttpWiring(BridgeSettings bridge, BridgeHttpSettings settings, KafkaClientConfig kafka,
            @Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> berthConnection,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.bridge = bridge;
        this.settings = settings;
        this.kafka = kafka;
        this.berthConnection = berthConnection;
        this.oidc = oidc;
    }

    void routes(@Observes Router router) {
        if (bridge.path().isEmpty() || CommandMode.active()) {
            return;
        }
        BridgeConfiguration file = BridgeFile.load(Path.of(bridge.path().get()));
        if (settings.maxBodyBytes() < 1 || settings.maxPendingReplies() < 1
                || settings.publishTimeout().toMillis() < 100) {
            throw new ConfigurationException("Berth cannot start:\n  - BERTH_BRIDGE_MAX_BODY_BYTES and "
                    + "BERTH_BRIDGE_MAX_PENDING_REPLIES must be at least 1, BERTH_BRIDGE_PUBLISH_TIMEOUT at least 100ms");
        }
        InboundAuth auth = new InboundAuth(file.httpOpen(), settings.apiKeys().orElse(""), oidc);
        ForwardedHeaders forwarded = new ForwardedHeaders(settings.forwardedHeaders().orElse(List.of()));
        Map<String, Object> connection = file.brokers().isEmpty() ? berthConnection.get()
                : kafka.connectionTo(String.join(",", file.brokers()));
        sender = new RecordSender(connection, settings.publishTimeout());
        pending = new PendingReplies(settings.maxPendingReplies());

        PublishEndpoint publish = new PublishEndpoint(allowedTopics(file), auth, forwarded, sender);
        guarded(router.post("/topics/:topic")).handler(publish::handle);
        Set<String> responseTopics = new LinkedHashSet<>();
        for (RequestResponseRoute entry : file.requestResponse()) {
            ReplyRoute route = new ReplyRoute(entry, auth, sender, pending);
            guarded(router.post(entry.path())).handler(route::handle);
            responseTopics.add(entry.responseTopic());
        }
        if (!responseTopics.isEmpty()) {
            replies = new ReplyReader(connection, responseTopics, pending);
        }
        describe(auth, file);
    }

    /** Replies are positioned before Berth reports ready, so none to a call made after is missed. */
    void start(@Observes StartupEvent event) {
        if (replies != null) {
            replies.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (replies != null) {
            replies.close();
        }
        if (sender != null) {
            sender.close();
        }
    }

    /** The body read up to the limit (413 beyond), and failures answered in kafka-hooks' shape. */
    private Route guarded(Route route) {
        return route.handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .failureHandler(this::failed);
    }

    private void failed(RoutingContext context) {
        if (context.failure() instanceof AuthenticationException) {
            ErrorAnswers.unauthorized(context); // OIDC refused the bearer token (lazy authentication fails the route)
        } else if (context.statusCode() == 413) {
            ErrorAnswers.send(context, 413, "The body is larger than " + settings.maxBodyBytes()
                    + " bytes (BERTH_BRIDGE_MAX_BODY_BYTES).");
        } else {
            Throwable failure = context.failure();
            LOG.warnf("Bridge HTTP: %s %s failed (%s)", context.request().method(), context.request().path(),
                    failure == null ? "status " + context.statusCode() : failure.getClass().getName());
            ErrorAnswers.send(context, context.statusCode() > 0 ? context.statusCode() : 500,
                    "The request could not be handled.");
        }
    }

    /** kafka-hooks allows its consumed and response topics; Berth adds the file's {@code publish}. */
    static Set<String> allowedTopics(BridgeConfiguration file) {
        Set<String> topics = new LinkedHashSet<>(file.publish());
        file.subscriptions().stream().map(Subscription::topic).forEach(topics::add);
        file.requestResponse().stream().map(RequestResponseRoute::responseTopic).forEach(topics::add);
        return topics;
    }

    private static void describe(InboundAuth auth, BridgeConfiguration file) {
        String who = auth.open() ? "open to anyone (the file's httpOpen is true)"
                : "for callers with one of " + auth.keyCount() + " API key(s)" + (auth.oidc() ? " or an OIDC token" : "");
        LOG.infof("Bridge HTTP: POST /topics/{topic} for %d topic(s) and %d request/response route(s), %s",
                allowedTopics(file).size(), file.requestResponse().size(), who);
        if (auth.refusesEveryone()) {
            LOG.warn("Bridge HTTP: every call is refused (401): set BERTH_BRIDGE_API_KEYS, or enable OIDC "
                    + "(QUARKUS_OIDC_TENANT_ENABLED=true, QUARKUS_OIDC_AUTH_SERVER_URL), or \"httpOpen\": true in "
                    + "the bridge file to open the endpoints to anyone");
        }
    }
}
