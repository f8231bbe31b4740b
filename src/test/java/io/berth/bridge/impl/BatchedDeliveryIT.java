package io.berth.bridge.impl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.bridge.BridgeConfiguration.ConsumerOptions;
import io.berth.bridge.Subscription;
import io.berth.config.BerthSettings;
import io.berth.config.WebhookSettings;
import io.berth.delivery.Ordering;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.PolledConsumerSettings;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.testing.KafkaBrokerResource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.core.Vertx;

/**
 * A subscription with {@code batch}, wired as BridgeWiring wires it ({@link BridgeWiring#consumer}),
 * against the real broker and a real receiver: when a batch leaves, what it looks like, and that
 * retries, dead letters, commits and order hold per batch.
 */
class BatchedDeliveryIT {

    static final Duration WITHIN = Duration.ofSeconds(45);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration LONG_LINGER = Duration.ofSeconds(20);

    static Vertx vertx;
    static SmallRyeConfig config;

    final KafkaCompanion kafka = KafkaBrokerResource.companion();
    final String topic = "batched-it-" + UUID.randomUUID();
    final String group = "batched-it-" + UUID.randomUUID();
    final List<PolledConsumer> running = new CopyOnWriteArrayList<>();
    final List<KafkaProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
    WireMockServer sink;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        config = new SmallRyeConfigBuilder()
                .withConverter(io.berth.config.Secret.class, 100, new io.berth.config.SecretConverter())
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WebhookSettings.class).withMapping(BerthSettings.class).withValidateUnknown(false).build();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    @BeforeEach
    void startSink() {
        sink = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(40));
        sink.start();
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stopAll() {
        running.forEach(consumer -> consumer.stop(WITHIN));
        producers.forEach(KafkaProducer::close);
        sink.stop();
    }

    Subscription subscription(Ordering ordering, int maxRecords, int maxBytes, Duration linger) {
        return new Subscription(topic, "http://localhost:" + sink.port() + "/hook", "POST", Map.of("x-team", "ops"),
                3, Duration.ofMillis(250), Optional.of(topic + ".dlq"), true, Optional.empty(), Duration.ofSeconds(30),
                ordering, 8, Optional.of(new Subscription.Batch(maxRecords, maxBytes, linger)), Optional.empty());
    }

    PolledConsumer start(Subscription subscription, Duration grace) {
        BridgeClients clients = new BridgeClients(Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers()),
                Duration.ofMillis(100), Duration.ofSeconds(1));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer());
        producers.add(producer);
        var webhook = io.berth.webhook.DirectWebhook.create(vertx, config.getConfigMapping(WebhookSettings.class),
                config.getConfigMapping(BerthSettings.class).webhook(), 8, subscription.timeout());
        // The production commit listener is the delivery core's OffsetCommits bean: the same rule.
        RecordOutcomeListener commits = (record, outcome) -> {
            if (outcome.committable()) {
                record.ack();
            }
        };
        PolledConsumer consumer = BridgeWiring.consumer(subscription, 8, new ConsumerOptions(group, "earliest", Map.of()),
                clients, producer, webhook, List.of(commits), vertx, settings(grace));
        running.add(consumer);
        consumer.start();
        return consumer;
    }

    static PolledConsumerSettings settings(Duration grace) {
        return new PolledConsumerSettings() {
            @Override
            public Duration shutdownGrace() {
                return grace;
            }

            @Override
            public int maxRecordBytes() {
                return 1024 * 1024;
            }

            @Override
            public Duration reconnectInitialDelay() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration reconnectMaxDelay() {
                return Duration.ofSeconds(1);
            }
        };
    }

    /** The receiver answers the batch whose body holds {@code text} 200, {@code millis} after it arrives. */
    void answerLate(String text, int millis) {
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(1).withRequestBody(containing(text))
                .willReturn(aResponse().withStatus(200).withFixedDelay(millis)));
    }

    void produce(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion(WITHIN);
    }

    void produceEach(List<String> keys) {
        kafka.produceStrings().fromRecords(keys.stream()
                .map(key -> new ProducerRecord<>(topic, key, "{\"key\": \"" + key + "\"}")).toList())
                .awaitCompletion(WITHIN);
    }

    static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("k-%02d", i)).toList();
    }

    long committed(int partition) {
        OffsetAndMetadata offset = kafka.consumerGroups().offsets(group, new TopicPartition(topic, partition));
        return offset == null ? -1 : offset.offset();
    }

    /** The requests in the order the receiver got them. */
    List<LoggedRequest> requests() {
        List<ServeEvent> events = new ArrayList<>(sink.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest).filter(r -> r.getUrl().equals("/hook")).toList();
    }

    static JsonNode array(LoggedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.getBody());
            assertThat(body.isArray()).as("a batch is a JSON array").isTrue();
            return body;
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + request.getBodyAsString(), e);
        }
    }

    static List<String> keysIn(LoggedRequest request) {
        List<String> keys = new ArrayList<>();
        array(request).forEach(element -> keys.add(element.path("key").asText()));
        return keys;
    }

    List<ConsumerRecord<String, byte[]>> deadLetters(int count) {
        var letters = kafka.consume(String.class, byte[].class).fromTopics(topic + ".dlq", count);
        return letters.awaitCompletion(WITHIN).getRecords();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aBatchLeavesAsSoonAsItHoldsMaxRecordsAndTheRestAfterTheLinger() {
        kafka.topics().createAndWait(topic, 1);
        List<String> keys = keys(12);
        produceEach(keys);
        start(subscription(Ordering.KEY, 5, 1024 * 1024, Duration.ofSeconds(2)), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> requests().size() >= 2);
        Instant full = Instant.now();
        assertThat(requests()).as("two full batches, the last two records still lingering").hasSize(2);
        // No key in common: the two are in flight at once, and may arrive in either order.
        assertThat(requests()).extracting(BatchedDeliveryIT::keysIn)
                .containsExactlyInAnyOrder(keys.subList(0, 5), keys.subList(5, 10));
        await().atMost(WITHIN).until(() -> requests().size() == 3);
        assertThat(keysIn(requests().get(2))).containsExactlyElementsOf(keys.subList(10, 12));
        assertThat(Duration.between(full, Instant.now())).as("sent by the linger").isGreaterThan(Duration.ofMillis(1000));
        await().atMost(WITHIN).until(() -> committed(0) == 12);
    }

    @Test
    void aBatchHoldsNoMoreThanMaxBytesOfBodyAndARecordLargerThanThatGoesAlone() {
        kafka.topics().createAndWait(topic, 1);
        String padding = "x".repeat(300);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            values.add("{\"n\": " + i + ", \"padding\": \"" + padding + "\"}");
        }
        values.add(3, "{\"large\": \"" + "y".repeat(1500) + "\"}");
        kafka.produceStrings().fromRecords(values.stream().map(value -> new ProducerRecord<>(topic, "same", value))
                .toList()).awaitCompletion(WITHIN);
        start(subscription(Ordering.KEY, 100, 1200, Duration.ofSeconds(1)), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> committed(0) == 7);
        List<LoggedRequest> requests = requests();
        assertThat(requests).extracting(request -> array(request).size())
                .containsExactly(2, 1, 1, 2, 1);
        assertThat(requests).extracting(request -> array(request).findValuesAsText("offset"))
                .containsExactly(List.of("0", "1"), List.of("2"), List.of("3"), List.of("4", "5"), List.of("6"));
        requests.stream().filter(request -> !request.getBodyAsString().contains("large"))
                .forEach(request -> assertThat(request.getBody().length).isLessThanOrEqualTo(1200));
    }

    @Test
    void aBatchThatIsNotFullLeavesLingerAfterItsFirstRecord() {
        kafka.topics().createAndWait(topic, 1);
        start(subscription(Ordering.KEY, 100, 1024 * 1024, Duration.ofMillis(1500)), Duration.ofSeconds(5));
        produce("warm-up", "{}");
        await().atMost(WITHIN).until(() -> requests().size() == 1);

        Instant produced = Instant.now();
        produceEach(List.of("a", "b", "c"));
        await().atMost(WITHIN).until(() -> requests().size() == 2);
        Instant received = requests().get(1).getLoggedDate().toInstant();
        assertThat(keysIn(requests().get(1))).containsExactly("a", "b", "c");
        assertThat(Duration.between(produced, received)).as("held for the linger, then sent")
                .isBetween(Duration.ofMillis(1400), Duration.ofMillis(5000));
    }

    @Test
    void theArrayHoldsOneObjectPerRecordWithItsValueAsJsonWhenItIsJsonAndInBase64OtherwiseAndItsCoordinates()
            throws Exception {
        kafka.topics().createAndWait(topic, 1);
        long at = Instant.parse("2026-01-01T00:00:00.250Z").toEpochMilli();
        List<ProducerRecord<String, byte[]>> records = List.of(
                new ProducerRecord<>(topic, 0, at, "order-1", " {\"id\": 1, \"total\": 12.50} ".getBytes(
                        StandardCharsets.UTF_8), List.of(new RecordHeader("x-z", "last".getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("x-a", "first".getBytes(StandardCharsets.UTF_8)))),
                new ProducerRecord<>(topic, 0, at + 1, "binary", new byte[] {0, (byte) 0xff, 'o', 'k'}),
                new ProducerRecord<>(topic, 0, at + 2, null, "plain text".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(topic, 0, at + 3, "string", "\"quoted\"".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<String, byte[]>(topic, 0, at + 4, "gone", (byte[]) null));
        kafka.produce(String.class, byte[].class).fromRecords(records).awaitCompletion(WITHIN);
        start(subscription(Ordering.KEY, 5, 1024 * 1024, LONG_LINGER), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> requests().size() == 1);
        LoggedRequest batch = requests().get(0);
        String base64Binary = Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff, 'o', 'k'});
        String base64Text = Base64.getEncoder().encodeToString("plain text".getBytes(StandardCharsets.UTF_8));
        assertThat(batch.getBodyAsString()).isEqualTo("["
                + "{\"key\":\"order-1\",\"value\":{\"id\": 1, \"total\": 12.50},\"headers\":{\"x-a\":\"first\","
                + "\"x-z\":\"last\"},\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":0,"
                + "\"timestamp\":\"2026-01-01T00:00:00.250Z\"},"
                + "{\"key\":\"binary\",\"value\":\"" + base64Binary + "\",\"valueEncoding\":\"base64\",\"headers\":{},"
                + "\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1,\"timestamp\":\"2026-01-01T00:00:00.251Z\"},"
                + "{\"key\":null,\"value\":\"" + base64Text + "\",\"valueEncoding\":\"base64\",\"headers\":{},"
                + "\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":2,\"timestamp\":\"2026-01-01T00:00:00.252Z\"},"
                + "{\"key\":\"string\",\"value\":\"quoted\",\"headers\":{},"
                + "\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":3,\"timestamp\":\"2026-01-01T00:00:00.253Z\"},"
                + "{\"key\":\"gone\",\"value\":null,\"headers\":{},"
                + "\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":4,\"timestamp\":\"2026-01-01T00:00:00.254Z\"}"
                + "]");
        assertThat(batch.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(batch.getHeader("x-team")).as("the subscription's headers").isEqualTo("ops");
        assertThat(batch.getHeader("x-plt-kafka-hooks-attempt")).isEqualTo("1");
        assertThat(batch.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(batch.containsHeader("x-plt-kafka-hooks-key")).as("keys travel in the body").isFalse();
        assertThat(batch.containsHeader("x-z")).as("so do the records' headers").isFalse();
    }

    @Test
    void aBatchAnswered500IsRetriedWholeAndThenDelivered() {
        kafka.topics().createAndWait(topic, 1);
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("recovered").willReturn(aResponse().withStatus(500)));
        List<String> keys = keys(3);
        produceEach(keys);
        start(subscription(Ordering.KEY, 3, 1024 * 1024, LONG_LINGER), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> committed(0) == 3);
        List<LoggedRequest> attempts = requests();
        assertThat(attempts).hasSize(2);
        assertThat(attempts).extracting(r -> r.getHeader("x-plt-kafka-hooks-attempt")).containsExactly("1", "2");
        assertThat(attempts.get(1).getBodyAsString()).as("the same batch again")
                .isEqualTo(attempts.get(0).getBodyAsString());
        assertThat(keysIn(attempts.get(1))).containsExactlyElementsOf(keys);
        assertThat(kafka.consumeStrings().fromTopics(topic + ".dlq").awaitNoRecords(Duration.ofSeconds(1)).count())
                .isZero();
    }

    @Test
    void aBatchAnswered400DeadLettersEachOfItsRecordsInKafkaHooksFormatWithTheBatchsReason() throws Exception {
        kafka.topics().createAndWait(topic, 1);
        kafka.topics().createAndWait(topic + ".dlq", 1);
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(1).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\": \"bad batch\"}")));
        List<String> keys = keys(3);
        produceEach(keys);
        start(subscription(Ordering.KEY, 3, 1024 * 1024, LONG_LINGER), Duration.ofSeconds(5));

        List<ConsumerRecord<String, byte[]>> letters = deadLetters(3);
        assertThat(requests()).as("a 400 is not retried").hasSize(1);
        assertThat(letters).extracting(ConsumerRecord::key).containsExactlyElementsOf(keys);
        for (int i = 0; i < letters.size(); i++) {
            ConsumerRecord<String, byte[]> letter = letters.get(i);
            assertThat(header(letter, "dead-letter-reason")).isEqualTo("topic " + topic + ": webhook answered 400, "
                    + "which is not retried after 1 attempt (a batch of 3 records of " + topic + "[0], offsets 0 to 2)");
            assertThat(header(letter, "dead-letter-offset")).isEqualTo(Integer.toString(i));
            JsonNode value = JSON.readTree(letter.value());
            assertThat(new String(Base64.getDecoder().decode(value.path("value").asText()), StandardCharsets.UTF_8))
                    .as("the record's own value").isEqualTo("{\"key\": \"" + keys.get(i) + "\"}");
            assertThat(value.path("offset").asText()).isEqualTo(Integer.toString(i));
            assertThat(value.path("errors")).hasSize(1);
            assertThat(value.at("/errors/0/statusCode").asInt()).isEqualTo(400);
            assertThat(value.at("/errors/0/body").asText()).isEqualTo("{\"error\": \"bad batch\"}");
            assertThat(value.path("retries").asInt()).isEqualTo(3);
        }
        await().atMost(WITHIN).until(() -> committed(0) == 3);
    }

    @Test
    void aBatchIsCommittedOnlyWholeSoThatAStopMidBatchRedeliversItAfterARestartLosingNothing() {
        kafka.topics().createAndWait(topic, 1);
        // The second batch (k-04 to k-07) hangs at the webhook: the stop comes while it is in flight.
        // The third (k-08, k-09) shares no key with it, so it is sent meanwhile and delivered, but its
        // offsets are above the unfinished batch's: it stays uncommitted, and is delivered again.
        answerLate("\"k-04\"", 5_000);
        List<String> keys = keys(10);
        produceEach(keys);
        PolledConsumer first = start(subscription(Ordering.KEY, 4, 1024 * 1024, Duration.ofMillis(50)),
                Duration.ofMillis(300));
        await().atMost(WITHIN).until(() -> requests().size() == 3);
        await().atMost(WITHIN).until(() -> committed(0) == 4); // the first batch answered, the second hanging

        first.stop(WITHIN);
        running.remove(first);
        assertThat(committed(0)).as("the first batch, and nothing from the one in flight on").isEqualTo(4);

        sink.resetAll();
        sink.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        start(subscription(Ordering.KEY, 4, 1024 * 1024, Duration.ofMillis(50)), Duration.ofSeconds(5));
        await().atMost(WITHIN).until(() -> committed(0) == 10);
        assertThat(requests()).extracting(BatchedDeliveryIT::keysIn).as("from the unfinished batch on")
                .containsExactlyInAnyOrder(keys.subList(4, 8), keys.subList(8, 10));
    }

    @Test
    void aStopLetsGoOfABatchNotSentYetAtOnceUncommittedAndARestartDeliversIt() {
        kafka.topics().createAndWait(topic, 1);
        List<String> keys = keys(2);
        produceEach(keys);
        PolledConsumer first = start(subscription(Ordering.KEY, 100, 1024 * 1024, LONG_LINGER), Duration.ofSeconds(10));
        await().pollDelay(Duration.ofSeconds(2)).atMost(WITHIN).until(() -> true);

        Instant stopping = Instant.now();
        first.stop(WITHIN);
        running.remove(first);
        assertThat(Duration.between(stopping, Instant.now())).as("neither the linger nor the grace waited for")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(requests()).isEmpty();
        assertThat(committed(0)).as("nothing committed").isLessThanOrEqualTo(0);

        start(subscription(Ordering.KEY, 100, 1024 * 1024, Duration.ofMillis(50)), Duration.ofSeconds(5));
        await().atMost(WITHIN).until(() -> committed(0) == 2);
        assertThat(requests()).extracting(BatchedDeliveryIT::keysIn).containsExactly(keys);
    }

    @Test
    void withKeyOrderingAPartitionsNextBatchIsSentWhileTheOneBeforeItHangsWhenTheyShareNoKey() {
        kafka.topics().createAndWait(topic, 1);
        answerLate("\"k-00\"", 4_000);
        produceEach(keys(8));
        start(subscription(Ordering.KEY, 4, 1024 * 1024, Duration.ofMillis(500)), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> requests().size() == 2);
        List<LoggedRequest> requests = requests();
        assertThat(requests).extracting(BatchedDeliveryIT::keysIn)
                .containsExactlyInAnyOrder(keys(8).subList(0, 4), keys(8).subList(4, 8));
        assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(),
                requests.get(1).getLoggedDate().toInstant()).abs())
                .as("the second did not wait for the first's answer, four seconds away").isLessThan(Duration.ofSeconds(2));
        await().atMost(WITHIN).until(() -> committed(0) == 8);
    }

    @Test
    void withKeyOrderingAPartitionsNextBatchWaitsForTheOneBeforeItWhenTheyShareAKey() {
        kafka.topics().createAndWait(topic, 1);
        answerLate("\"value\":\"a:0\"", 3_000);
        List<String> keys = List.of("a", "b", "c", "d", "e", "a", "f", "g");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            records.add(new ProducerRecord<>(topic, keys.get(i), "\"" + keys.get(i) + ":" + i + "\""));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);
        start(subscription(Ordering.KEY, 4, 1024 * 1024, Duration.ofMillis(500)), Duration.ofSeconds(5));

        await().atMost(WITHIN).until(() -> requests().size() == 2);
        List<LoggedRequest> requests = requests();
        assertThat(requests).extracting(BatchedDeliveryIT::keysIn)
                .containsExactly(List.of("a", "b", "c", "d"), List.of("e", "a", "f", "g"));
        assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(),
                requests.get(1).getLoggedDate().toInstant()))
                .as("the second (a again) waited for the first's answer").isGreaterThan(Duration.ofMillis(2_500));
    }

    @Test
    void eachKeysRecordsArriveInOrderAcrossBatchesOfSeveralPartitions() {
        kafka.topics().createAndWait(topic, 3);
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withUniformRandomDelay(5, 60)));
        List<String> keys = List.of("k-a", "k-b", "k-c", "k-d", "k-e", "k-f");
        int perKey = 20;
        start(subscription(Ordering.KEY, 4, 1024 * 1024, Duration.ofMillis(20)), Duration.ofSeconds(5));
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (String key : keys) {
                records.add(new ProducerRecord<>(topic, key, "\"" + key + ":" + i + "\""));
            }
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);

        await().atMost(WITHIN).until(() -> requests().stream().mapToInt(r -> array(r).size()).sum()
                >= keys.size() * perKey);
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (LoggedRequest request : requests()) {
            assertThat(array(request).size()).isBetween(1, 4);
            for (JsonNode element : array(request)) {
                byKey.computeIfAbsent(element.path("key").asText(), k -> new ArrayList<>())
                        .add(element.path("value").asText());
            }
        }
        for (String key : keys) {
            List<String> expected = IntStream.range(0, perKey).mapToObj(i -> key + ":" + i).toList();
            assertThat(byKey.get(key)).as("key %s in order, each once", key).containsExactlyElementsOf(expected);
        }
        assertThat(requests().stream().mapToInt(r -> array(r).size()).max().orElse(0))
                .as("records were batched").isGreaterThan(1);
    }
}
