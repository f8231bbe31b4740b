package io.berth.bridge;

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
 * A whole kafka-hooks {@code platformatic.json} (Watt keys, {@code {ENV}} placeholders) with five
 * subscriptions, their topics, and the webhook receiver they call (stubs are each test's).
 */
public final class BridgeFileResource implements QuarkusTestResourceLifecycleManager {

    public static final String EVENTS = "bridge-it.events";
    public static final String RETRY = "bridge-it.retry";
    public static final String RETRY_DLQ = "bridge-it.retry.dlq";
    public static final String ORDER = "bridge-it.order";
    public static final String OAUTH = "bridge-it.oauth";
    public static final String BATCH = "bridge-it.batch";
    public static final String GROUP = "bridge-it";
    public static final String TOKEN = "Bearer bridge-it-static-token";
    public static final String CLIENT_SECRET = "bridge-it-client-secret";

    public static WireMockServer receiver;

    @Override
    public Map<String, String> start() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(40));
        receiver.start();
        KafkaBrokerResource.createTopic(EVENTS, 1);
        KafkaBrokerResource.createTopic(RETRY, 1);
        KafkaBrokerResource.createTopic(RETRY_DLQ, 1);
        KafkaBrokerResource.createTopic(ORDER, 3);
        KafkaBrokerResource.createTopic(OAUTH, 1);
        KafkaBrokerResource.createTopic(BATCH, 1);
        KafkaBrokerResource.createTopic("plt-kafka-hooks-dlq", 1);
        String file = """
                {
                  "$schema": "https://schemas.platformatic.dev/@platformatic/kafka-hooks/0.6.4.json",
                  "module": "@platformatic/kafka-hooks@0.6.4",
                  "kafka": {
                    "brokers": ["{PLT_KAFKA_BROKER}"],
                    "topics": [
                      {"topic": "%s", "url": "{PLT_SINK}/events", "headers": {"x-source": "kafka"},
                       "auth": {"header": {"name": "Authorization", "env": "BRIDGE_IT_TOKEN"}}},
                      {"topic": "%s", "url": "{PLT_SINK}/retry", "retries": 3, "retryDelay": 250,
                       "dlq": "%s", "timeout": 1000},
                      {"topic": "%s", "url": "{PLT_SINK}/order", "method": "PUT", "dlq": false,
                       "includeAttemptInRequests": false},
                      {"topic": "%s", "url": "{PLT_SINK}/oauth",
                       "auth": {"oauth2": {"tokenUrl": "{PLT_SINK}/token", "clientId": "berth",
                                           "clientSecret": "{BRIDGE_IT_CLIENT_SECRET}", "scope": "sink"}}},
                      {"topic": "%s", "url": "{PLT_SINK}/batch", "batch": {"maxRecords": 3, "linger": "10s"}}
                    ],
                    "consumer": {"groupId": "%s", "mode": "committed", "fallbackMode": "earliest",
                                 "maxWaitTime": 500, "sessionTimeout": 10000, "rebalanceTimeout": 15000,
                                 "heartbeatInterval": 500},
                    "concurrency": 8
                  },
                  "server": {"hostname": "{PLT_SERVER_HOSTNAME}", "port": "{PORT}"},
                  "watch": true
                }
                """.formatted(EVENTS, RETRY, RETRY_DLQ, ORDER, OAUTH, BATCH, GROUP);
        try {
            Path path = Files.createDirectories(Path.of("target")).resolve("bridge-it-platformatic.json");
            Files.writeString(path, file);
            return Map.of("berth.bridge.path", path.toString(),
                    "PLT_KAFKA_BROKER", KafkaBrokerResource.bootstrapServers(),
                    "PLT_SINK", "http://localhost:" + receiver.port(),
                    "BRIDGE_IT_TOKEN", TOKEN,
                    "BRIDGE_IT_CLIENT_SECRET", CLIENT_SECRET,
                    "berth.bridge.shutdown-grace", "2s");
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
