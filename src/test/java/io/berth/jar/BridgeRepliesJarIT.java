package io.berth.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.KafkaResponder;
import io.berth.testing.KafkaResponder.Answer;

/**
 * Two production-jar replicas of the bridge behind alternating request/response calls: every call
 * gets its own reply. kafka-hooks reads replies with one shared group, so a reply may reach the
 * replica that does not wait for it, and the caller gets 504; each Berth reads every reply partition.
 */
class BridgeRepliesJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);
    static final String REQUESTS = "jar-bridge.requests";
    static final String RESPONSES = "jar-bridge.responses";

    @Test
    void twoReplicasBehindAlternatingRequestsEachAnswerTheirOwnCallers() throws Exception {
        KafkaBrokerResource.createTopic(REQUESTS, 3);
        KafkaBrokerResource.createTopic(RESPONSES, 3);
        Path file = Files.createDirectories(Path.of("target", "jar-it")).resolve("bridge-replies.json");
        Files.writeString(file, """
                {"kafka": {"requestResponse": [{"path": "/api/orders/:id", "requestTopic": "%s",
                   "responseTopic": "%s", "timeout": 20000}]}}
                """.formatted(REQUESTS, RESPONSES));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", KafkaBrokerResource.bootstrapServers());
        env.put("BERTH_BRIDGE_PATH", file.toAbsolutePath().toString());
        env.put("BERTH_BRIDGE_API_KEYS", "jar-key");

        try (KafkaResponder worker = new KafkaResponder(REQUESTS, RESPONSES, "jar-bridge-worker",
                request -> new Answer("201", "text/plain", "reply to " + request.value()));
                BerthProcess first = BerthProcess.start("bridge-replica-1", env);
                BerthProcess second = BerthProcess.start("bridge-replica-2", env)) {
            await().atMost(WITHIN).until(() -> first.ready() && second.ready());

            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                BerthProcess replica = i % 2 == 0 ? first : second;
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/orders/" + i))
                        .header("X-API-Key", "jar-key").header("content-type", "text/plain")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("call " + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> response = calls.get(i).get();
                assertThat(response.statusCode()).as("call %d", i).isEqualTo(201);
                assertThat(response.body()).isEqualTo("reply to call " + i);
            }
            assertThat(worker.answered()).isEqualTo(20);
            assertThat(first.output() + second.output()).doesNotContain("jar-key"); // keys are never logged
        }
    }
}
