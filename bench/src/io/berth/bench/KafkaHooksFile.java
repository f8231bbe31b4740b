package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One kafka-hooks {@code platformatic.json}, read unchanged by both peers: kafka-hooks' keys only
 * (Berth ignores {@code $schema}, {@code module} and {@code server}), a subscription to one topic
 * delivered to the sink, the consumer started from the earliest offset of a fresh group
 * ({@code mode: committed}, {@code fallbackMode: earliest}) and {@code concurrency} set explicitly.
 *
 * @param serverPort kafka-hooks' own HTTP port (Berth's is {@code QUARKUS_HTTP_PORT})
 */
record KafkaHooksFile(Path path, int serverPort) {

    /**
     * Writes {@code dir/platformatic.json}. {@code subscriptionExtra} is appended to the topic's
     * entry (e.g. {@code , "batch": {...}}): Berth's keys, which kafka-hooks' schema would refuse,
     * so only for Berth-only scenarios.
     */
    static KafkaHooksFile write(Path dir, String brokers, String topic, String url, String groupId, int concurrency,
            String subscriptionExtra) {
        int port = BridgePeer.freePort();
        String json = """
                {
                  "$schema": "https://schemas.platformatic.dev/@platformatic/kafka-hooks/0.6.4.json",
                  "module": "@platformatic/kafka-hooks",
                  "kafka": {
                    "brokers": ["%s"],
                    "topics": [{"topic": "%s", "url": "%s", "method": "POST", "dlq": false, "retries": 3, "retryDelay": 1000%s}],
                    "consumer": {"groupId": "%s", "mode": "committed", "fallbackMode": "earliest"},
                    "concurrency": %d
                  },
                  "server": {"hostname": "127.0.0.1", "port": %d, "logger": {"level": "warn"}}
                }
                """.formatted(brokers, topic, url, subscriptionExtra, groupId, concurrency, port);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("platformatic.json");
            Files.writeString(file, json);
            return new KafkaHooksFile(file, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
