package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.delivery.impl.KafkaPolledConsumer;
import io.berth.delivery.impl.ProducerDeadLetters;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.retry.RetryPolicy;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerDefinition.Ordering;
import io.berth.triggers.TriggerEnvelope;
import io.berth.triggers.TriggerHandler;
import io.berth.testing.KafkaBrokerResource;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * One trigger's consumer against the real in-process broker, without Quarkus: what is committed
 * when, and what is delivered again.
 */
class TriggerConsumerIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final RetryPolicy QUICK = new RetryPolicy(Duration.ofMillis(10), 2, 0, Duration.ofMillis(50), 3,
            Duration.ofSeconds(5));

    final KafkaCompanion kafka = KafkaBrokerResource.companion();
    final String topic = "trigger-it-" + UUID.randomUUID();
    final String group = "berth-triggers-" + topic;
    final List<PolledConsumer> running = new CopyOnWriteArrayList<>();
    final List<KafkaProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(consumer -> consumer.stop(WITHIN));
        producers.forEach(KafkaProducer::close);
    }

    /** A trigger whose target is {@code handler}, wired as TriggersWiring wires it. */
    PolledConsumer start(Function<TriggerEnvelope, Uni<Void>> handler, int maxInFlight, Duration grace) {
        TriggerDefinition trigger = new TriggerDefinition("t", topic, group, Optional.empty(), true,
                OptionalInt.empty(), OptionalInt.empty(), maxInFlight, Ordering.KEY, topic + ".dlq",
                new TriggerDefinition.Target.Handler("test"));
        TriggerClients clients = new TriggerClients(Duration.ofMillis(100), Duration.ofSeconds(1));
        Map<String, Object> connection = Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer(trigger, connection));
        producers.add(producer);
        StopSignal stop = new StopSignal();
        TriggerHandler named = new TriggerHandler() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Uni<Void> handle(TriggerEnvelope envelope) {
                return handler.apply(envelope);
            }
        };
        // The production commit listener is the delivery core's OffsetCommits bean: the same rule.
        RecordOutcomeListener commits = (record, outcome) -> {
            if (outcome.committable()) {
                record.ack();
            }
        };
        var dispatcher = RecordDispatcherImpl.builder("trigger t")
                .handler(new TriggerRecordHandler(trigger, new HandlerTarget(named, QUICK), new Envelopes(Clock.systemUTC()), stop))
                .deadLetters(new ProducerDeadLetters(producer, trigger.deadLetterTopic(), 1024))
                .listeners(List.of(commits))
                .concurrency(maxInFlight)
                .shutdownGrace(grace)
                .stopSignal(stop)
                .build();
        PolledConsumer consumer = KafkaPolledConsumer.builder("Trigger t", "trigger-t").topic(topic)
                .consumer(new KafkaConsumer<>(clients.consumer(trigger, connection))).dispatcher(dispatcher)
                .reconnect(QUICK).build();
        running.add(consumer);
        consumer.start();
        return consumer;
    }

    void produce(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion(WITHIN);
    }

    long committed() {
        OffsetAndMetadata offset = kafka.consumerGroups().offsets(group, new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void aFailingTargetIsRetriedThenDeadLetteredWithTheReasonAndCommitted() {
        kafka.topics().createAndWait(topic, 1);
        AtomicInteger attempts = new AtomicInteger();
        start(envelope -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("order service said no"));
        }, 4, Duration.ofSeconds(5));

        produce("o-1", "{\"order\": 1}");

        ConsumerRecord<String, String> letter = kafka.consumeStrings().fromTopics(topic + ".dlq", 1)
                .awaitCompletion(WITHIN).getFirstRecord();
        assertThat(letter.value()).isEqualTo("{\"order\": 1}");
        assertThat(letter.key()).isEqualTo("o-1");
        assertThat(header(letter, "dead-letter-reason"))
                .isEqualTo("trigger t: handler test failed: order service said no");
        assertThat(header(letter, "dead-letter-topic")).isEqualTo(topic);
        assertThat(header(letter, "dead-letter-offset")).isEqualTo("0");
        assertThat(attempts).as("every attempt the retry policy allows").hasValue(QUICK.maxAttempts());
        await().atMost(WITHIN).until(() -> committed() == 1);
    }

    @Test
    void aRecordTheHandlerCallsUnusableIsDeadLetteredAtOnce() {
        kafka.topics().createAndWait(topic, 1);
        AtomicInteger attempts = new AtomicInteger();
        start(envelope -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new UnusableRecord("no order id in " + envelope.id()));
        }, 4, Duration.ofSeconds(5));

        produce(null, "not json");

        ConsumerRecord<String, String> letter = kafka.consumeStrings().fromTopics(topic + ".dlq", 1)
                .awaitCompletion(WITHIN).getFirstRecord();
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("trigger t: no order id in " + topic + "-0-0");
        assertThat(attempts).hasValue(1);
        await().atMost(WITHIN).until(() -> committed() == 1);
    }

    @Test
    void aRecordInFlightWhenTheConsumerClosesIsNotCommittedAndIsDeliveredAgain() {
        kafka.topics().createAndWait(topic, 1);
        List<Long> firstRun = new CopyOnWriteArrayList<>();
        PolledConsumer first = start(envelope -> {
            firstRun.add(envelope.offset());
            // Offset 1 never finishes: the consumer is closed with it in flight.
            return envelope.offset() == 1 ? Uni.createFrom().nothing() : Uni.createFrom().voidItem();
        }, 4, Duration.ofMillis(300));
        produce("a", "{\"n\": 0}");
        produce("b", "{\"n\": 1}");
        produce("c", "{\"n\": 2}");
        await().atMost(WITHIN).until(() -> firstRun.size() == 3);

        first.stop(WITHIN);
        running.remove(first);
        assertThat(committed()).as("0 is done, 1 is not: commit stops below 1").isEqualTo(1);

        List<Long> secondRun = new CopyOnWriteArrayList<>();
        start(envelope -> {
            secondRun.add(envelope.offset());
            return Uni.createFrom().voidItem();
        }, 4, Duration.ofSeconds(5));
        await().atMost(WITHIN).until(() -> secondRun.size() == 2);
        assertThat(secondRun).containsExactly(1L, 2L);
        await().atMost(WITHIN).until(() -> committed() == 3);
    }

    @Test
    void withOneRecordInFlightTheConsumerPausesAndResumesAndLosesNothing() {
        kafka.topics().createAndWait(topic, 1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        start(envelope -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(30))
                    .invoke(() -> {
                        inFlight.decrementAndGet();
                        handled.add(envelope.offset());
                    });
        }, 1, Duration.ofSeconds(5));

        for (int i = 0; i < 20; i++) {
            produce("k" + i, "{\"n\": " + i + "}");
        }

        await().atMost(WITHIN).until(() -> handled.size() == 20);
        assertThat(handled).isSorted();
        assertThat(maxInFlight).hasValue(1);
        await().atMost(WITHIN).until(() -> committed() == 20);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
