package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.testing.KafkaBrokerResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged application as a kafka-hooks replacement: nothing but {@code BERTH_BRIDGE_PATH} (the
 * file names its brokers; no Port setting, no {@code KAFKA_BROKERS}), killed with SIGKILL in the
 * middle of a stream and started again; its outbound token in no log line.
 */
class BridgeJarIT {

    static final Duration WITHIN = Duration.ofSeconds(120);

    static WireMockServer sink;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        sink = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        sink.start();
        // Slow enough that the kill lands with deliveries in flight and records not yet taken.
        sink.stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withStatus(200).withFixedDelay(200)));
        kafka = KafkaBrokerResource.companion();
    }

    @AfterAll
    static void stopWorld() {
        sink.stop();
    }

    Set<String> delivered() {
        return sink.findAll(postRequestedFor(urlEqualTo("/orders"))).stream()
                .map(request -> request.getHeader("x-plt-kafka-hooks-key")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aKillInTheMiddleOfTheStreamLosesNothingAndTheBridgeNeedsNoPortSetting() throws Exception {
        String topic = "jar-bridge.orders";
        KafkaBrokerResource.createTopic(topic, 2);
        Path file = Files.createDirectories(Path.of("target", "jar-it")).resolve("bridge-platformatic.json");
        Files.writeString(file, """
                {"$schema": "https://schemas.platformatic.dev/@platformatic/kafka-hooks/0.6.4.json",
                 "module": "@platformatic/kafka-hooks@0.6.4",
                 "kafka": {"brokers": ["%s"],
                           "topics": [{"topic": "%s", "url": "http://localhost:%d/orders", "dlq": false,
                                       "auth": {"header": {"name": "Authorization", "env": "ORDERS_TOKEN"}}}],
                           "consumer": {"groupId": "jar-bridge", "mode": "committed", "fallbackMode": "earliest"},
                           "concurrency": 4},
                 "server": {"port": "{PORT}"}}
                """.formatted(KafkaBrokerResource.bootstrapServers(), topic, sink.port()));
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> String.format("order-%02d", i)).toList();
        keys.forEach(key -> kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, "{\"id\": \"" + key + "\"}"))
                .awaitCompletion(WITHIN));
        Map<String, String> env = Map.of("BERTH_BRIDGE_PATH", file.toAbsolutePath().toString(),
                "ORDERS_TOKEN", "Bearer jar-secret-0123456789");

        try (BerthProcess first = BerthProcess.start("bridge-first", env)) {
            await().atMost(WITHIN).until(() -> delivered().size() >= 10);
            first.kill();
            assertThat(first.output()).contains("Runs: not consumed (a bridge file and no PORT_ORG_ID)")
                    .doesNotContain("PORT_CLIENT_ID");
        }
        assertThat(delivered()).as("killed mid-stream").hasSizeLessThan(keys.size());

        try (BerthProcess second = BerthProcess.start("bridge-second", env)) {
            await().atMost(WITHIN).until(() -> delivered().size() == keys.size());
            assertThat(delivered()).containsExactlyElementsOf(keys);
            assertThat(sink.findAll(postRequestedFor(urlEqualTo("/orders")))).allMatch(request ->
                    "Bearer jar-secret-0123456789".equals(request.getHeader("Authorization")));
            second.terminate();
            assertThat(second.awaitExit(WITHIN)).isNotNull();
            assertThat(second.output()).as("SIGTERM drains and commits the bridge's consumer")
                    .contains("Bridge jar-bridge.orders: stopped").doesNotContain("Running a shutdown task failed")
                    .as("the auth header's value is in no log line").doesNotContain("jar-secret-0123456789");
        }
    }
}
