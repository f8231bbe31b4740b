package io.berth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How fast a consumer group settles with each group protocol (BERTH_KAFKA_GROUP_PROTOCOL): the
 * classic one with the cooperative-sticky assignor that Berth uses there, and KIP-848's consumer
 * protocol. Bare consumers, as Berth's channels configure them, on a 12-partition topic:
 *
 * <pre>
 *  join:      one consumer subscribes ──► it holds all 12 partitions
 *  scale-out: a second consumer joins the first ──► each holds 6 (both members' views settled)
 * </pre>
 *
 * The embedded broker sets {@code group.initial.rebalance.delay.ms} to 0; a production broker's 3 s
 * default adds to a classic group's first join only.
 */
final class GroupJoin {

    static final int PARTITIONS = 12;

    record Result(String protocol, double joinMs, double scaleOutMs, int trials) {
    }

    private GroupJoin() {
    }

    /** The median of {@code trials} of each measure, for {@code protocol} ("classic" or "consumer"). */
    static Result measure(String bootstrap, String protocol, Supplier<String> freshTopic, int trials) {
        List<Double> joins = new ArrayList<>();
        List<Double> scaleOuts = new ArrayList<>();
        for (int trial = 0; trial < trials; trial++) {
            String topic = freshTopic.get();
            String group = "bench-join-" + protocol + "-" + topic;
            try (Member first = new Member(bootstrap, protocol, group, topic)) {
                long began = System.nanoTime();
                first.awaitHolding(PARTITIONS);
                joins.add(millisSince(began));
                try (Member second = new Member(bootstrap, protocol, group, topic)) {
                    began = System.nanoTime();
                    while (second.holding() != PARTITIONS / 2 || first.holding() != PARTITIONS / 2) {
                        first.pollOnce();
                        second.pollOnce();
                        timeout(began);
                    }
                    scaleOuts.add(millisSince(began));
                }
            }
        }
        return new Result(protocol, median(joins), median(scaleOuts), trials);
    }

    private static double millisSince(long began) {
        return (System.nanoTime() - began) / 1e6;
    }

    private static void timeout(long began) {
        if (System.nanoTime() - began > Duration.ofSeconds(60).toNanos()) {
            throw new IllegalStateException("the group did not settle within 60 s");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** One group member, polled by the measuring thread only (a Kafka consumer is single-threaded). */
    private static final class Member implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final AtomicBoolean closed = new AtomicBoolean();

        Member(String bootstrap, String protocol, String group, String topic) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            if (protocol.equals("classic")) {
                config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            }
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic));
        }

        void pollOnce() {
            consumer.poll(Duration.ofMillis(20));
        }

        int holding() {
            Set<TopicPartition> assignment = consumer.assignment();
            return assignment.size();
        }

        void awaitHolding(int partitions) {
            long began = System.nanoTime();
            while (holding() != partitions) {
                pollOnce();
                timeout(began);
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }
}
