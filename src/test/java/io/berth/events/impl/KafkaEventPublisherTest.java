package io.berth.events.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.dev.EmbeddedKafka;
import io.berth.handlers.RunResult;
import io.berth.delivery.InboundRecord;
import io.berth.runs.RunOutcome;
import io.berth.runs.RunContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The publisher against no broker, then against one that comes up late. */
class KafkaEventPublisherTest {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dataDir;

    MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aRunsEventsNeitherWaitNorThrowWhenTheBrokerIsUnreachableAndEachIsCountedAsFailed() throws IOException {
        RunContext run = quietRun("r_unreachable");
        try (KafkaEventPublisher publisher = publisher(freePort(), TestSettings.on(Duration.ofSeconds(1), 100))) {
            RunEventStream stream = new RunEventStream(TestSettings.on(Duration.ofSeconds(1), 100), publisher);

            long started = System.nanoTime();
            stream.started(run, "TestHandler");
            stream.progress(run, 50, "Half way", null);
            stream.published(run, "pop.deployment", null, JSON.objectNode().put("pop_name", "NYC-PoP-01"));
            stream.onOutcome(record(), new RunOutcome.Finished(run.runId(), "test", "TestHandler",
                    RunResult.failure("boom"), Duration.ofSeconds(1), false));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofMillis(500));
            // started, in_progress, the domain event, failed, the completion: each given up after its delivery timeout
            await().atMost(WITHIN).until(() -> count("failed") == 5);
            assertThat(count("published")).isZero();
        }
    }

    @Test
    void dropsAndCountsEventsBeyondItsQueueInsteadOfWaiting() throws IOException {
        try (KafkaEventPublisher publisher = publisher(freePort(), TestSettings.on(Duration.ofSeconds(1), 1))) {
            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                publisher.publish("unit.task.status", "r_full", JSON.objectNode().put("n", i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
            assertThat(count("failed")).isGreaterThanOrEqualTo(47); // one sending, one queued, maybe one more taken
        }
    }

    @Test
    void deliversInOrderWhatWasPublishedWhileTheBrokerWasDownOnceItIsBack() throws IOException {
        int port = freePort();
        try (KafkaEventPublisher publisher = publisher(port, TestSettings.on(Duration.ofMinutes(2), 100))) {
            for (int i = 1; i <= 3; i++) {
                publisher.publish("outage.task.status", "r_outage", JSON.objectNode().put("sequence", i));
            }
            try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port)) {
                await().atMost(WITHIN).until(() -> count("published") == 3);
                assertThat(count("failed")).isZero();
                assertThat(read(broker.bootstrapServers(), "outage.task.status", 3))
                        .extracting(r -> r.key() + ":" + r.value())
                        .containsExactly("r_outage:{\"sequence\":1}", "r_outage:{\"sequence\":2}",
                                "r_outage:{\"sequence\":3}");
            }
        }
    }

    KafkaEventPublisher publisher(int port, TestSettings settings) {
        return new KafkaEventPublisher(Map.of("bootstrap.servers", "127.0.0.1:" + port), settings, registry);
    }

    double count(String outcome) {
        return registry.get("berth.events").tag("outcome", outcome).counter().count();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static InboundRecord record() {
        return new InboundRecord("org_test.runs", 0, 0, null, new byte[0], () -> null);
    }

    static List<ConsumerRecord<String, String>> read(String servers, String topic, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG, "outage-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(WITHIN).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            return records;
        }
    }

    /** A run that reports nowhere: only its identity matters here. */
    static RunContext quietRun(String runId) {
        return (RunContext) Proxy.newProxyInstance(RunContext.class.getClassLoader(), new Class<?>[] { RunContext.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "runId" -> runId;
                    case "action" -> "test";
                    case "inputs", "message" -> JSON.objectNode();
                    case "triggeredBy" -> Optional.of("dana@example.com");
                    case "entity", "blueprint" -> Optional.empty();
                    default -> null;
                });
    }
}
