package io.berth.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * OperationsIT's Berth: runs and change log on topics and a group of their own, lifecycle events on,
 * a bridge with two subscriptions (one webhook that answers, one that never does, for lag), lag
 * measured every second with a limit of 5 for the stalled topic, a short stuck bound, and a topic
 * trigger starting Port action runs.
 */
public final class OperationsResource implements QuarkusTestResourceLifecycleManager {

    static final String RUNS = "org_test.ops-it.runs";
    static final String HOOKS = "ops-it.hooks";
    static final String STALLED = "ops-it.stalled";
    static final String TRIGGERED = "ops-it.triggered";
    static final String TRIGGER = "ops-it-deploys";
    static final String CHANGE_LOG = "org_test.ops-it.change.log";
    static final String BRIDGE_GROUP = "ops-it.bridge";
    static final String RUNS_GROUP = "org_test.ops-it";
    static final int STALLED_PARTITIONS = 3;
    static final long STALLED_LIMIT = 5;

    static WireMockServer receiver;

    @Override
    public Map<String, String> start() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(20));
        receiver.start();
        KafkaBrokerResource.createTopic(RUNS, 1);
        KafkaBrokerResource.createTopic(RUNS + ".dlq", 1);
        KafkaBrokerResource.createTopic("org_test.ops-it.change.log", 1);
        KafkaBrokerResource.createTopic("org_test.ops-it.change.log.dlq", 1);
        KafkaBrokerResource.createTopic(HOOKS, 1);
        KafkaBrokerResource.createTopic(STALLED, STALLED_PARTITIONS);
        KafkaBrokerResource.createTopic(TRIGGERED, 1);
        KafkaBrokerResource.createTopic(TRIGGERED + ".dlq", 1);
        String file = """
                {
                  "kafka": {
                    "brokers": ["%s"],
                    "topics": [
                      {"topic": "%s", "url": "http://localhost:%d/hook"},
                      {"topic": "%s", "url": "http://localhost:%d/stalled", "retries": 1000, "retryDelay": 1000,
                       "dlq": false}
                    ],
                    "consumer": {"groupId": "%s", "mode": "committed", "fallbackMode": "earliest",
                                 "maxWaitTime": 500, "sessionTimeout": 10000, "rebalanceTimeout": 15000,
                                 "heartbeatInterval": 500},
                    "concurrency": 4
                  }
                }
                """.formatted(KafkaBrokerResource.bootstrapServers(), HOOKS, receiver.port(), STALLED,
                receiver.port(), BRIDGE_GROUP);
        try {
            Path path = Files.createDirectories(Path.of("target")).resolve("operations-it-bridge.json");
            Files.writeString(path, file);
            Path triggers = Files.writeString(path.resolveSibling("operations-it-triggers.yaml"), """
                    triggers:
                      - id: %s
                        type: kafka
                        configuration: {topic: %s, from_beginning: true}
                        target: {port_action: {action: ops_it_deploy, properties: {version: .message.version}}}
                    """.formatted(TRIGGER, TRIGGERED));
            return Map.ofEntries(
                    Map.entry("berth.triggers.path", triggers.toString()),
                    Map.entry("berth.bridge.path", path.toString()),
                    Map.entry("berth.bridge.shutdown-grace", "2s"),
                    Map.entry("kafka.runs-topic", RUNS),
                    Map.entry("berth.runs.dead-letter-topic", RUNS + ".dlq"),
                    Map.entry("kafka.change-log-topic", "org_test.ops-it.change.log"),
                    Map.entry("berth.changelog.dead-letter-topic", "org_test.ops-it.change.log.dlq"),
                    Map.entry("kafka.consumer.group-id", RUNS_GROUP),
                    Map.entry("berth.events.enabled", "true"),
                    Map.entry("berth.events.topic-prefix", "ops-it.events"),
                    Map.entry("berth.lag.interval", "1s"),
                    Map.entry("berth.lag.grace-period", "0s"),
                    Map.entry("berth.lag.topics", STALLED + ":" + STALLED_LIMIT),
                    Map.entry("berth.health.stuck-after", "4s"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.stop();
        }
    }
}
