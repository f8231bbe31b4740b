package io.berth.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Berth given a kafka-hooks platformatic.json unchanged: topic → webhook against the real broker and a real receiver. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = BridgeFileResource.class, restrictToAnnotatedClass = true)
class BridgeIT {

    static final Duration WITHIN = Duration.ofSeconds(45);
    static final ObjectMapper JSON = new ObjectMapper();

    final KafkaCompanion kafka = KafkaBrokerResource.companion();

    void produce(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8))));
        kafka.produce(String.class, byte[].class).fromRecords(record).awaitCompletion(WITHIN);
    }

    void produce(String topic, String key, String value) {
        produce(topic, key, value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    long committed(String topic, int partition) {
        var offset = kafka.consumerGroups().offsets(BridgeFileResource.GROUP, new TopicPartition(topic, partition));
        return offset == null ? -1 : offset.offset();
    }

    static List<LoggedRequest> requests(String path, String key) {
        return BridgeFileResource.receiver.findAll(postRequestedFor(urlEqualTo(path))
                .withHeader("x-plt-kafka-hooks-key", equalTo(key)));
    }

    /** {@code key}'s first request answers as {@code first} says, every later one 200. */
    static void failsOnceThenAccepts(String key, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        var receiver = BridgeFileResource.receiver;
        receiver.stubFor(post(urlEqualTo("/retry")).withHeader("x-plt-kafka-hooks-key", equalTo(key))
                .inScenario(key).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("accepting").willReturn(first));
        receiver.stubFor(post(urlEqualTo("/retry")).withHeader("x-plt-kafka-hooks-key", equalTo(key))
                .inScenario(key).whenScenarioStateIs("accepting").willReturn(aResponse().withStatus(200)));
    }

    ConsumerRecord<String, byte[]> deadLetter(String key) {
        var letters = kafka.consume(String.class, byte[].class).fromTopics(BridgeFileResource.RETRY_DLQ);
        try {
            await().atMost(WITHIN).until(() -> letters.getRecords().stream().anyMatch(l -> key.equals(l.key())));
            return letters.getRecords().stream().filter(l -> key.equals(l.key())).findFirst().orElseThrow();
        } finally {
            letters.stop();
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void deliversTheValueUnchangedWithTheSubscriptionsAndTheRecordsHeadersKafkaHooksOwnAndATraceparent() {
        var receiver = BridgeFileResource.receiver;
        receiver.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(204)));
        byte[] binary = {0, (byte) 0xff, 'o', 'k', '\n'};
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/octet-stream");
        headers.put("x-team", "ops");
        headers.put("x-source", "the-record");
        headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        produce(BridgeFileResource.EVENTS, "order-7", binary, headers);
        produce(BridgeFileResource.EVENTS, "order-8", "{\"n\": 8}");

        await().atMost(WITHIN).until(() -> requests("/events", "order-8").size() == 1);
        LoggedRequest first = requests("/events", "order-7").get(0);
        assertThat(first.getBody()).isEqualTo(binary);
        assertThat(first.getHeader("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(first.getHeader("x-team")).isEqualTo("ops");
        assertThat(first.getHeader("x-source")).as("the record's header overrides the subscription's").isEqualTo("the-record");
        assertThat(first.getHeader("x-plt-kafka-hooks-attempt")).isEqualTo("1");
        assertThat(first.getHeader("Authorization")).isEqualTo(BridgeFileResource.TOKEN);
        assertThat(first.getHeader("traceparent")).as("the record's trace, a new span")
                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        LoggedRequest second = requests("/events", "order-8").get(0);
        assertThat(second.getBodyAsString()).isEqualTo("{\"n\": 8}");
        assertThat(second.getHeader("x-source")).isEqualTo("kafka");
        assertThat(second.getHeader("traceparent")).as("a new trace").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        await().atMost(WITHIN).until(() -> committed(BridgeFileResource.EVENTS, 0) == 2);
    }

    @Test
    void retriesConnectionErrorsTimeoutsTooEarlyRateLimitsAndServerErrorsHonouringRetryAfter() {
        failsOnceThenAccepts("500", aResponse().withStatus(500));
        failsOnceThenAccepts("503", aResponse().withStatus(503));
        failsOnceThenAccepts("408", aResponse().withStatus(408));
        failsOnceThenAccepts("425", aResponse().withStatus(425));
        failsOnceThenAccepts("429", aResponse().withStatus(429).withHeader("Retry-After", "2"));
        failsOnceThenAccepts("reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        failsOnceThenAccepts("slow", aResponse().withStatus(200).withFixedDelay(2500));
        List<String> keys = List.of("500", "503", "408", "425", "429", "reset", "slow");
        keys.forEach(key -> produce(BridgeFileResource.RETRY, key, "{\"case\": \"" + key + "\"}"));

        await().atMost(WITHIN).until(() -> keys.stream().allMatch(key -> requests("/retry", key).size() >= 2));
        for (String key : keys) {
            List<LoggedRequest> attempts = requests("/retry", key);
            assertThat(attempts).as(key).hasSize(2);
            assertThat(attempts).extracting(r -> r.getHeader("x-plt-kafka-hooks-attempt")).as(key)
                    .containsExactlyInAnyOrder("1", "2");
        }
        List<LoggedRequest> rateLimited = new ArrayList<>(requests("/retry", "429"));
        rateLimited.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        assertThat(Duration.between(rateLimited.get(0).getLoggedDate().toInstant(),
                rateLimited.get(1).getLoggedDate().toInstant())).as("Retry-After: 2, though retryDelay is 250 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRefusedRecordIsDeadLetteredAtOnceInKafkaHooksFormat() throws Exception {
        BridgeFileResource.receiver.stubFor(post(urlEqualTo("/retry")).withHeader("x-plt-kafka-hooks-key", equalTo("404"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/plain").withBody("no such order")));
        Instant before = Instant.now().minusSeconds(1);
        produce(BridgeFileResource.RETRY, "404", "{\"order\": 404}".getBytes(StandardCharsets.UTF_8),
                Map.of("x-team", "ops"));

        ConsumerRecord<String, byte[]> letter = deadLetter("404");
        assertThat(requests("/retry", "404")).as("a 404 is not retried").hasSize(1);
        assertThat(letter.key()).isEqualTo("404");
        assertThat(header(letter, "dead-letter-reason"))
                .isEqualTo("topic bridge-it.retry: webhook answered 404, which is not retried after 1 attempt");
        assertThat(header(letter, "dead-letter-topic")).isEqualTo(BridgeFileResource.RETRY);
        assertThat(header(letter, "dead-letter-partition")).isEqualTo("0");
        String offset = header(letter, "dead-letter-offset");
        JsonNode value = JSON.readTree(letter.value());
        String requestedAt = value.at("/errors/0/requestedAt").asText();
        String timestamp = value.path("timestamp").asText();
        assertThat(Instant.parse(requestedAt)).isAfter(before);
        assertThat(Instant.parse(timestamp)).isAfter(before);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"404\",\"value\":\""
                + Base64.getEncoder().encodeToString("{\"order\": 404}".getBytes(StandardCharsets.UTF_8))
                + "\",\"headers\":{\"x-team\":\"ops\"},\"topic\":\"bridge-it.retry\",\"partition\":0,\"offset\":\""
                + offset + "\",\"errors\":[{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"Webhook replied "
                + "with an error\",\"attempt\":1,\"requestedAt\":\"" + requestedAt + "\",\"body\":\"no such order\"}],"
                + "\"retries\":3,\"timestamp\":\"" + timestamp + "\"}");
        await().atMost(WITHIN).until(() -> committed(BridgeFileResource.RETRY, 0) > Long.parseLong(offset));
    }

    @Test
    void aRecordStillRefusedAfterItsRetriesIsDeadLetteredWithEveryAttempt() throws Exception {
        BridgeFileResource.receiver.stubFor(post(urlEqualTo("/retry"))
                .withHeader("x-plt-kafka-hooks-key", equalTo("always-503"))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\": \"down\"}")));
        produce(BridgeFileResource.RETRY, "always-503", "{\"order\": 503}");

        ConsumerRecord<String, byte[]> letter = deadLetter("always-503");
        assertThat(requests("/retry", "always-503")).as("retries: 3 is three attempts in all").hasSize(3);
        assertThat(header(letter, "dead-letter-reason"))
                .isEqualTo("topic bridge-it.retry: webhook answered 503 after 3 attempts");
        JsonNode value = JSON.readTree(letter.value());
        assertThat(value.path("errors")).hasSize(3);
        assertThat(value.path("errors").findValuesAsText("statusCode")).containsExactly("503", "503", "503");
        assertThat(value.path("errors").findValuesAsText("attempt")).containsExactly("1", "2", "3");
        assertThat(value.at("/errors/2/body").asText()).isEqualTo("{\"error\": \"down\"}");
        assertThat(value.path("retries").asInt()).isEqualTo(3);
    }

    @Test
    void keepsEachKeysRecordsInOrderWhileDifferentKeysRunConcurrently() {
        var receiver = BridgeFileResource.receiver;
        receiver.stubFor(put(urlEqualTo("/order")).willReturn(aResponse().withStatus(200).withUniformRandomDelay(5, 60)));
        List<String> keys = List.of("k-a", "k-b", "k-c", "k-d", "k-e", "k-f");
        int perKey = 15;
        for (int i = 0; i < perKey; i++) {
            for (String key : keys) {
                produce(BridgeFileResource.ORDER, key, key + ":" + i);
            }
        }

        await().atMost(WITHIN).until(() -> receiver.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals("/order")).count() >= keys.size() * perKey);
        List<ServeEvent> events = receiver.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals("/order"))
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate())).toList();
        assertThat(events).hasSize(keys.size() * perKey);
        for (String key : keys) {
            List<String> bodies = events.stream().map(ServeEvent::getRequest)
                    .filter(r -> key.equals(r.getHeader("x-plt-kafka-hooks-key"))).map(LoggedRequest::getBodyAsString)
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add(key + ":" + i);
            }
            assertThat(bodies).as("key %s in order", key).containsExactlyElementsOf(expected);
        }
        assertThat(events.get(0).getRequest().getHeader("x-plt-kafka-hooks-attempt"))
                .as("includeAttemptInRequests: false").isNull();
        assertThat(overlapping(events)).as("records of different keys were in flight at once").isTrue();
    }

    /** Whether some request arrived while another was still being answered. */
    static boolean overlapping(List<ServeEvent> byArrival) {
        for (int i = 0; i + 1 < byArrival.size(); i++) {
            long start = byArrival.get(i).getRequest().getLoggedDate().getTime();
            long end = start + byArrival.get(i).getTiming().getTotalTime();
            if (byArrival.get(i + 1).getRequest().getLoggedDate().getTime() < end) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anOAuth2TokenIsCachedAndRenewedWhenTheWebhookAnswers401() {
        var receiver = BridgeFileResource.receiver;
        receiver.stubFor(post(urlEqualTo("/token")).inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("renewed").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"t1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
        receiver.stubFor(post(urlEqualTo("/token")).inScenario("token").whenScenarioStateIs("renewed")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"t2\", \"expires_in\": 3600}")));
        receiver.stubFor(post(urlEqualTo("/oauth")).withHeader("Authorization", equalTo("Bearer t1"))
                .inScenario("sink").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("t1 revoked")
                .willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/oauth")).withHeader("Authorization", equalTo("Bearer t1"))
                .inScenario("sink").whenScenarioStateIs("t1 revoked").willReturn(aResponse().withStatus(401)));
        receiver.stubFor(post(urlEqualTo("/oauth")).withHeader("Authorization", equalTo("Bearer t2"))
                .willReturn(aResponse().withStatus(200)));
        for (int i = 1; i <= 3; i++) {
            produce(BridgeFileResource.OAUTH, "same-key", "{\"n\": " + i + "}");
        }

        await().atMost(WITHIN).until(() -> committed(BridgeFileResource.OAUTH, 0) == 3);
        List<LoggedRequest> tokens = receiver.findAll(postRequestedFor(urlEqualTo("/token")));
        assertThat(tokens).as("one token for the first two records, one more after the 401").hasSize(2);
        assertThat(tokens.get(0).getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("berth:" + BridgeFileResource.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(tokens.get(0).getBodyAsString()).isEqualTo("grant_type=client_credentials&scope=sink");
        List<LoggedRequest> calls = receiver.findAll(postRequestedFor(urlEqualTo("/oauth")));
        assertThat(calls).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer t1", "Bearer t1", "Bearer t2", "Bearer t2");
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/oauth")).withHeader("x-plt-kafka-hooks-attempt",
                matching("1")))).hasSize(4);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/oauth"))
                .withRequestBody(containing("\"n\": 3")))).hasSize(1);
    }

    @Test
    void aSubscriptionWithBatchDeliversItsRecordsAsOneJsonArrayPerBatch() throws Exception {
        var receiver = BridgeFileResource.receiver;
        receiver.stubFor(post(urlEqualTo("/batch")).willReturn(aResponse().withStatus(200)));
        for (int i = 1; i <= 3; i++) {
            produce(BridgeFileResource.BATCH, "order-" + i, "{\"n\": " + i + "}");
        }

        await().atMost(WITHIN).until(() -> committed(BridgeFileResource.BATCH, 0) == 3);
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo("/batch")));
        assertThat(requests).as("maxRecords: 3, sent when full, long before the linger").hasSize(1);
        JsonNode batch = JSON.readTree(requests.get(0).getBody());
        assertThat(batch.findValuesAsText("key")).containsExactly("order-1", "order-2", "order-3");
        assertThat(batch.findValuesAsText("offset")).containsExactly("0", "1", "2");
        assertThat(batch.at("/2/value/n").asInt()).as("a JSON value is embedded as JSON").isEqualTo(3);
        assertThat(requests.get(0).getHeader("Content-Type")).isEqualTo("application/json");
    }
}
