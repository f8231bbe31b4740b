package io.berth.bridge.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeConfiguration.RequestResponseRoute;
import io.berth.bridge.BridgeSettings;
import io.berth.bridge.InvalidBridgeFile;
import io.berth.bridge.OutboundAuth;
import io.berth.bridge.Subscription;
import io.berth.command.CapabilityReport;
import io.berth.command.Check;
import io.berth.command.Served;
import io.berth.command.TopicUse;
import io.berth.config.KafkaClientConfig;
import io.berth.config.PortSettings;
import io.berth.webhook.DirectWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The bridge file for {@code validate} and {@code list}: read as {@link BridgeWiring} reads it, with
 * its subscriptions, the topics {@code POST /topics/{topic}} may write and the request/response
 * routes, and every topic they consume or write on the file's brokers (or Berth's).
 */
@ApplicationScoped
final class BridgeReport implements CapabilityReport {

    private final BridgeSettings settings;
    private final KafkaClientConfig kafka;
    private final PortSettings port;

    @Inject
    BridgeReport(BridgeSettings settings, KafkaClientConfig kafka, PortSettings port) {
        this.settings = settings;
        this.kafka = kafka;
        this.port = port;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<Check> checks() {
        if (settings.path().isEmpty()) {
            return List.of();
        }
        BridgeConfiguration bridge;
        try {
            bridge = load().orElseThrow();
        } catch (InvalidBridgeFile e) {
            return List.of(Check.fail("bridge file", e.getMessage()));
        }
        if (bridge.brokers().isEmpty() && !kafka.brokersSet() && !portCredentials()) {
            return List.of(Check.fail("bridge file", settings.path().get() + ": brokers is missing and KAFKA_BROKERS "
                    + "is not set: set \"brokers\": [\"kafka:9092\"] in the file's kafka section, or KAFKA_BROKERS=kafka:9092"));
        }
        return List.of(Check.ok("bridge file", settings.path().get() + ": " + bridge.subscriptions().size()
                + " subscription(s) in group " + bridge.consumer().groupId() + ", " + bridge.requestResponse().size()
                + " request/response route(s)"));
    }

    @Override
    public List<TopicUse> topics() {
        List<TopicUse> topics = new ArrayList<>();
        loaded().filter(bridge -> !bridge.brokers().isEmpty() || kafka.brokersSet() || portCredentials()).ifPresent(bridge -> {
            Optional<String> brokers = bridge.brokers().isEmpty() ? Optional.empty()
                    : Optional.of(String.join(",", bridge.brokers()));
            for (Subscription subscription : bridge.subscriptions()) {
                topics.add(new TopicUse(subscription.topic(), brokers, "consumed by the bridge"));
                subscription.deadLetterTopic().ifPresent(dlq -> topics.add(new TopicUse(dlq, brokers,
                        "the bridge's dead letters of " + subscription.topic())));
            }
            bridge.publish().forEach(topic -> topics.add(new TopicUse(topic, brokers, "written by POST /topics/" + topic)));
            for (RequestResponseRoute route : bridge.requestResponse()) {
                topics.add(new TopicUse(route.requestTopic(), brokers, "requests of POST " + route.path()));
                topics.add(new TopicUse(route.responseTopic(), brokers, "replies of POST " + route.path()));
            }
        });
        return topics;
    }

    @Override
    public List<Served> served() {
        List<Served> served = new ArrayList<>();
        loaded().ifPresent(bridge -> {
            for (Subscription subscription : bridge.subscriptions()) {
                served.add(new Served("bridge", subscription.topic(), subscription.method() + " "
                        + DirectWebhook.safeUrl(subscription.url()) + auth(subscription.auth())
                        + subscription.deadLetterTopic().map(dlq -> ", dead letters to " + dlq).orElse("")));
            }
            bridge.publish().forEach(topic -> served.add(new Served("publish", topic, "POST /topics/" + topic)));
            for (RequestResponseRoute route : bridge.requestResponse()) {
                served.add(new Served("route", "POST " + route.path(), "request to " + route.requestTopic()
                        + ", reply from " + route.responseTopic() + " within " + route.timeout().toSeconds() + " s"));
            }
        });
        return served;
    }

    /** Whether Berth could fetch brokers from Port, for a file that names none and no KAFKA_BROKERS. */
    private boolean portCredentials() {
        return port.clientId().filter(id -> !id.isBlank()).isPresent()
                && port.clientSecret().filter(secret -> !secret.isBlank()).isPresent();
    }

    /** The kind of outbound credential, never its value. */
    private static String auth(Optional<OutboundAuth> auth) {
        return auth.map(a -> a instanceof OutboundAuth.ClientCredentials credentials
                ? " (OAuth2 client credentials from " + DirectWebhook.safeUrl(credentials.tokenUrl().toString()) + ")"
                : " (header " + ((OutboundAuth.StaticHeader) a).name() + " from $" + ((OutboundAuth.StaticHeader) a).variable()
                        + ")").orElse("");
    }

    private Optional<BridgeConfiguration> loaded() {
        try {
            return load();
        } catch (InvalidBridgeFile e) {
            return Optional.empty();
        }
    }

    private Optional<BridgeConfiguration> load() {
        return settings.path().map(path -> BridgeFile.load(Path.of(path)));
    }
}
