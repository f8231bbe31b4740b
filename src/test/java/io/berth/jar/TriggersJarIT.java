package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.testing.KafkaBrokerResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged application running topic triggers alone: no Port organisation, no credentials,
 * only brokers and a triggers file; and refusing to, naming the variables, when a trigger starts
 * Port action runs.
 */
class TriggersJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);

    static WireMockServer receiver;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/orders")).willReturn(aResponse().withStatus(204)));
        kafka = KafkaBrokerResource.companion();
    }

    @AfterAll
    static void stopWorld() {
        receiver.stop();
    }

    @Test
    void runsTriggersAloneWithOnlyKafkaBrokersAndATriggersFile() throws Exception {
        String topic = "jar-alone.orders";
        KafkaBrokerResource.createTopic(topic, 1);
        Map<String, String> env = triggersOnly("alone", """
                [{"id": "orders", "type": "kafka", "configuration": {"topic": "%s"},
                  "target": {"webhook": {"url": "http://localhost:%d/orders"}}}]
                """.formatted(topic, receiver.port()));
        try (BerthProcess berth = BerthProcess.start("triggers-alone", env)) {
            await().atMost(WITHIN).until(berth::ready);
            // Ready means the trigger joined its group: a record produced now is its to fire.
            kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, "order-1", "{\"amount\": 12}"))
                    .awaitCompletion(WITHIN);

            await().atMost(WITHIN).untilAsserted(() -> receiver.verify(postRequestedFor(urlEqualTo("/orders"))
                    .withRequestBody(matchingJsonPath("$.key", equalTo("order-1")))
                    .withRequestBody(matchingJsonPath("$.message.amount", equalTo("12")))));
            assertThat(readiness(berth)).contains("\"berth-triggers\"").contains("\"consumed\":false");
            assertThat(berth.output()).contains("Runs: not consumed (a triggers file and no PORT_ORG_ID)")
                    .doesNotContain("PORT_CLIENT_ID").doesNotContain("Assigned [");
            // Without PORT_ORG_ID a runs consumer would join ".berth" (other jar tests' groups share this broker).
            assertThat(kafka.consumerGroups().list()).noneMatch(group -> group.groupId().equals(".berth"));
        }
    }

    @Test
    void refusesAPortActionTriggerWithoutPortCredentialsAndNamesTheVariables() throws Exception {
        Map<String, String> env = triggersOnly("port-action", """
                triggers:
                  - id: deploys
                    type: kafka
                    configuration: {topic: jar-alone.deploys}
                    target: {port_action: {action: deploy_service, properties: {version: .message.version}}}
                """);
        try (BerthProcess berth = BerthProcess.start("triggers-port-action", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("PORT_CLIENT_ID is not set")
                    .contains("PORT_CLIENT_SECRET is not set")
                    .contains("to start the Port action runs of trigger 'deploys' (target port_action)");
        }
    }

    private static Map<String, String> triggersOnly(String name, String file) throws IOException {
        Path path = Files.createDirectories(Path.of("target", "jar-it")).resolve(name + "-triggers.yaml");
        Files.writeString(path, file);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", KafkaBrokerResource.bootstrapServers());
        env.put("BERTH_TRIGGERS_PATH", path.toAbsolutePath().toString());
        return env;
    }

    private static String readiness(BerthProcess berth) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(berth.baseUrl() + "/q/health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString()).body().replace(" ", "");
    }
}
