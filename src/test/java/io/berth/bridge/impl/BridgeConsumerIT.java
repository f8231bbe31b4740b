package io.berth.bridge.impl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.berth.bridge.BridgeConfiguration.ConsumerOptions;
import io.berth.bridge.Subscription;
import io.berth.config.BerthSettings;
import io.berth.config.WebhookSettings;
import io.berth.delivery.Ordering;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.testing.KafkaBrokerResource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.core.Vertx;

/**
 * One subscription wired as BridgeWiring wires it, without Quarkus, against the real broker: what
 * a stop in the middle of the stream leaves committed, and what is delivered after a restart.
 */
class BridgeConsumerIT {

    static final Duration WITHIN = Duration.ofSeconds(45);

    static Vertx vertx;
    static SmallRyeConfig config;

    final KafkaCompanion kafka = KafkaBrokerResource.companion();
    final String topic = "bridge-consumer-it-" + UUID.randomUUID();
    final String group = "bridge-consumer-it-" + UUID.randomUUID();
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
    }

    @AfterEach
    void stopAll() {
        running.forEach(consumer -> consumer.stop(WITHIN));
        producers.forEach(KafkaProducer::close);
        sink.stop();
    }

    PolledConsumer start(Duration grace) {
        Subscription subscription = new Subscription(topic, "http://localhost:" + sink.port() + "/hook", "POST",
                Map.of(), 3, Duration.ofMillis(250), Optional.of(topic + ".dlq"), true, Optional.empty(),
                Duration.ofSeconds(30), Ordering.NONE, 8, Optional.empty(), Optional.empty());
        Map<String, Object> connection = Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers());
        BridgeClients clients = new BridgeClients(connection, Duration.ofMillis(100), Duration.ofSeconds(1));
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
        // Wired as production wires a subscription: no second assembly of the delivery core here.
        PolledConsumer consumer = BridgeWiring.consumer(subscription, 8, new ConsumerOptions(group, "earliest", Map.of()),
                clients, producer, webhook, List.of(commits), vertx, BatchedDeliveryIT.settings(grace));
        running.add(consumer);
        consumer.start();
        return consumer;
    }

    long committed() {
        OffsetAndMetadata offset = kafka.consumerGroups().offsets(group, new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    Set<String> delivered() {
        return sink.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .filter(request -> request.getHeader("x-delivered") == null)
                .map(request -> request.getHeader("x-plt-kafka-hooks-key")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aStopInTheMiddleOfTheStreamCommitsOnlyWhatWasDeliveredAndARestartDeliversTheRestLosingNothing() {
        kafka.topics().createAndWait(topic, 1);
        // Records 10 to 13 hang at the webhook: the stop comes while they are in flight.
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(1).withHeader("x-plt-kafka-hooks-key", matching("k-1[0-3]"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        sink.stubFor(post(urlEqualTo("/hook")).atPriority(2).willReturn(aResponse().withStatus(200)));
        List<String> keys = IntStream.range(0, 30).mapToObj(i -> String.format("k-%02d", i)).toList();
        keys.forEach(key -> kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, "{\"key\": \"" + key + "\"}"))
                .awaitCompletion(WITHIN));
        PolledConsumer first = start(Duration.ofMillis(300));
        await().atMost(WITHIN).until(() -> sink.findAll(postRequestedFor(urlEqualTo("/hook"))
                .withHeader("x-plt-kafka-hooks-key", equalTo("k-13"))).size() == 1);

        first.stop(WITHIN);
        running.remove(first);
        assertThat(committed()).as("commits stop below the oldest record not delivered (offset 10)").isBetween(0L, 10L);

        sink.resetAll();
        sink.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        start(Duration.ofSeconds(5));
        await().atMost(WITHIN).until(() -> committed() == 30);
        assertThat(delivered()).as("after the restart: every record from the committed offset on, 10 to 13 included")
                .containsAll(keys.subList(10, 30));
        assertThat(kafka.consumeStrings().fromTopics(topic + ".dlq").awaitNoRecords(Duration.ofSeconds(2)).count())
                .as("nothing was dead-lettered").isZero();
    }
}
