package io.berth.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.runs.Runs.agentWebhook;
import static io.berth.runs.Runs.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * Records that Port did not write, or wrote long ago, end to end through the broker, the test
 * mapping file ({@code test_webhook*} goes to the run's invocation URL) and the Port stand-in:
 * unsigned agent-webhook runs never reach a webhook, and old signed runs are asked about in Port.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class UntrustedRecordsIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    PortStandIn port = PortStandInResource.standIn();

    @BeforeEach
    void answerEveryHook() {
        receiver.stubFor(post(urlMatching("/hooks/.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void anUnsignedAgentWebhookRunIsDeadLetteredAndNeverCallsItsWebhook() {
        String runId = runId();
        String key = "unsigned-" + runId;
        produce(key, agentWebhook(runId, "test_webhook_plain", hook(runId)));
        String after = signedRunAfterwards();

        assertThat(deadLetterReason(key)).contains("unsigned run with an agent webhook invocation method");
        assertThat(port.terminalStatus(after)).contains("SUCCESS");
        assertThat(webhookCalls(runId)).isZero();
        assertThat(port.requestsFor(runId)).isEmpty();
    }

    @Test
    void anUnsignedRunThatCallsItselfKafkaStillCannotReachAMappingWebhook() {
        String runId = runId();
        String key = "disguised-" + runId;
        ObjectNode message = agentWebhook(runId, "test_webhook_plain", hook(runId));
        ((ObjectNode) message.at("/payload/action/invocationMethod")).put("type", "KAFKA");
        produce(key, message);

        assertThat(deadLetterReason(key)).contains("mapping-file webhooks take only runs signed by Port");
        assertThat(webhookCalls(runId)).isZero();
        assertThat(port.requestsFor(runId)).isEmpty();
    }

    @Test
    void anOldSignedRunThatPortHasEndedIsSkippedAfterOneGet() {
        String runId = runId();
        port.markRun(runId, "SUCCESS");
        produce(runId, signed(agentWebhook(runId, "test_webhook_plain", hook(runId)),
                Instant.parse("2001-09-09T01:46:40Z")));

        await().atMost(WITHIN).until(() -> !port.requestsFor(runId).isEmpty());
        // The skip leaves no trace in Port: hold on a little to see that nothing follows the GET.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> port.requestsFor(runId).size() == 1 && webhookCalls(runId) == 0);
        assertThat(port.requestsFor(runId)).singleElement()
                .satisfies(request -> assertThat(request.method()).isEqualTo("GET"));
    }

    @Test
    void anOldSignedRunStillInProgressInPortIsHandled() {
        String runId = runId();
        produce(runId, signed(agentWebhook(runId, "test_webhook_plain", hook(runId)), Instant.now().minus(Duration.ofHours(1))));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(port.requestsFor(runId)).filteredOn(request -> request.method().equals("GET")).hasSize(1);
        assertThat(webhookCalls(runId)).isEqualTo(1);
    }

    @Test
    void aFreshlySignedRunIsHandledWithoutAskingPort() {
        String runId = runId();
        produce(runId, signed(agentWebhook(runId, "test_webhook_plain", hook(runId)), Instant.now()));

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        assertThat(port.requestsFor(runId)).noneMatch(request -> request.method().equals("GET"));
        assertThat(webhookCalls(runId)).isEqualTo(1);
    }

    /** A fresh, signed run produced after the others: the channel still consumes. */
    private String signedRunAfterwards() {
        String after = runId();
        produce(after, signed(agentWebhook(after, "test_webhook_plain", hook(after)), Instant.now()));
        await().atMost(WITHIN).until(() -> port.terminalStatus(after).isPresent());
        return after;
    }

    private static String runId() {
        return "r_ut_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String hook(String runId) {
        return receiver.baseUrl() + "/hooks/" + runId;
    }

    private static int webhookCalls(String runId) {
        return receiver.findAll(postRequestedFor(urlEqualTo("/hooks/" + runId))).size();
    }

    private static void produce(String key, ObjectNode message) {
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, key, message.toString()))
                .awaitCompletion(WITHIN);
    }

    /** The reason of the dead letter keyed {@code key}, once it is stored. */
    private static String deadLetterReason(String key) {
        ConsumerTask<String, String> deadLetters = KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(KafkaBrokerResource.DEAD_LETTER_TOPIC);
        try {
            await().atMost(WITHIN).until(() -> deadLetters.getRecords().stream().anyMatch(r -> key.equals(r.key())));
            ConsumerRecord<String, String> dead = deadLetters.getRecords().stream()
                    .filter(r -> key.equals(r.key())).findFirst().orElseThrow();
            return new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        } finally {
            deadLetters.stop();
        }
    }
}
