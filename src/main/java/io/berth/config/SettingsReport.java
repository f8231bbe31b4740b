package io.berth.config;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.Config;

import io.berth.bridge.BridgeSettings;
import io.berth.command.CapabilityReport;
import io.berth.command.Check;
import io.berth.command.TopicUse;
import io.berth.triggers.TriggerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The settings {@link StartupCheck} refuses, one {@code validate} line each, and Port's topics the
 * runs and change-log channels would consume and write.
 */
@ApplicationScoped
final class SettingsReport implements CapabilityReport {

    private final PortSettings port;
    private final KafkaSettings kafka;
    private final BerthSettings berth;
    private final WebhookSettings webhook;
    private final TriggerSettings triggers;
    private final PortAgentSettings agent;
    private final BridgeSettings bridge;
    private final StreamerSettings streamer;
    private final Config config;

    @Inject
    SettingsReport(PortSettings port, KafkaSettings kafka, BerthSettings berth, WebhookSettings webhook,
            TriggerSettings triggers, PortAgentSettings agent, BridgeSettings bridge, StreamerSettings streamer,
            Config config) {
        this.port = port;
        this.kafka = kafka;
        this.berth = berth;
        this.webhook = webhook;
        this.triggers = triggers;
        this.agent = agent;
        this.bridge = bridge;
        this.streamer = streamer;
        this.config = config;
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public List<Check> checks() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            return problems.stream().map(problem -> Check.fail("settings", problem)).toList();
        }
        String runs = Streamer.of(streamer) == Streamer.POLLING ? "runs claimed from Port's API (STREAMER_NAME=POLLING)"
                : consumed() ? "runs consumed from " + topic("mp.messaging.incoming.runs.topic")
                        : "runs not consumed";
        return List.of(Check.ok("settings", "valid; " + runs));
    }

    @Override
    public List<TopicUse> topics() {
        if (!problems().isEmpty() || Streamer.of(streamer) == Streamer.POLLING || !consumed()) {
            return List.of();
        }
        List<TopicUse> topics = new ArrayList<>();
        topics.add(TopicUse.of(topic("mp.messaging.incoming.runs.topic"), "runs, consumed"));
        topics.add(TopicUse.of(topic("mp.messaging.outgoing.runs-dead-letters.topic"), "runs' dead letters"));
        topics.add(TopicUse.of(topic("mp.messaging.incoming.changelog.topic"), "change log, consumed"));
        topics.add(TopicUse.of(topic("mp.messaging.outgoing.changelog-dead-letters.topic"), "change log's dead letters"));
        return topics;
    }

    private boolean consumed() {
        return RunsConsumption.consumed(berth.runs().enabled(), port.orgId(),
                triggers.path().isPresent() || bridge.path().isPresent());
    }

    private List<String> problems() {
        return StartupCheck.problems(port, kafka, berth, webhook, triggers, agent, bridge, streamer);
    }

    private String topic(String property) {
        return config.getValue(property, String.class);
    }
}
