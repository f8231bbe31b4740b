package io.berth.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.runs.Runs;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The packaged artifact as shipped, started once by Quarkus: the fast-jar here, the native
 * executable with {@code -Dnative} wherever a container engine builds one (failsafe points
 * {@code native.image.path} at it). A signed run from the topic through port-agent's mapping file to
 * a webhook and its end in Port; the health endpoints the manifests probe; the metrics they scrape.
 * The {@code *JarIT} tests hold the jar to much more (crashes, rebalances, outages); this one is the
 * subset a native binary must pass too.
 */
@QuarkusIntegrationTest
@TestProfile(BerthPackagedIT.Packaged.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class BerthPackagedIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    public static final class Packaged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("control-the-payload.config-path",
                    Path.of("src/test/resources/webhook-it-mapping.json").toAbsolutePath().toString(),
                    "kafka.consumer.group-id", KafkaBrokerResource.ORG_ID + ".packaged-it",
                    "kafka.consumer.auto-offset-reset", "earliest");
        }
    }

    static WireMockServer receiver;

    PortStandIn port = PortStandInResource.standIn();

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(wireMockConfig().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void aSignedRunGoesFromTheTopicThroughTheMappingFileToItsEndInPort() {
        String runId = "r_packaged_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String path = "/hooks/" + runId;
        receiver.stubFor(post(path).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        String message = Runs.signed(Runs.agentWebhook(runId, "test_webhook_packaged", receiver.baseUrl() + path),
                Instant.now()).toString();

        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, runId, message)).awaitCompletion(WITHIN);

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.terminalWrites(runId)).isEqualTo(1);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1);
        // Counted by outcome, as the ServiceMonitor scrapes it.
        await().atMost(WITHIN).untilAsserted(() -> assertThat(given().get("/q/metrics").then().statusCode(200)
                .extract().asString()).contains("berth_records"));
    }

    @Test
    void theProbesTheManifestsUseAnswer() {
        given().get("/q/health/live").then().statusCode(200);
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/started").then().statusCode(200);
    }
}
