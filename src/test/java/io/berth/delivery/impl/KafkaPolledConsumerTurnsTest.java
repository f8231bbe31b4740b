package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordOutcome;
import io.berth.retry.RetryPolicy;
import io.smallrye.mutiny.Uni;

/**
 * What the polled consumer does per record while it is behind its topic, one record in flight at a
 * time, each ending on another thread (as a webhook's answer does): its commits may not follow the
 * records one for one, and the records it hands on ahead of the permits start in offset order.
 */
class KafkaPolledConsumerTurnsTest {

    private static final String TOPIC = "records";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 300;

    private final ExecutorService webhook = Executors.newSingleThreadExecutor();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final List<Long> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            commits.incrementAndGet();
            super.commitAsync(offsets, callback);
        }

        /** As KafkaConsumer's: with nothing to return, the whole timeout, unless woken up. */
        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            polls.incrementAndGet();
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    wait(timeout.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }

        @Override
        public void wakeup() {
            super.wakeup();
            synchronized (this) {
                notifyAll();
            }
        }
    };
    private PolledConsumer polled;

    @AfterEach
    void stop() {
        if (polled != null) {
            polled.stop(Duration.ofSeconds(10));
        }
        webhook.shutdownNow();
    }

    @Test
    void aConsumerBehindItsTopicCommitsAtIntervalsNotOncePerRecordAndStillCommitsTheLastOne() {
        long elapsedMs = consumeAll();
        assertThat(commits.get())
                .as("commits over %d ms for %d records, each ending alone", elapsedMs, RECORDS)
                .isLessThanOrEqualTo((int) (elapsedMs / KafkaPolledConsumer.COMMIT_INTERVAL.toMillis()) + 2)
                .isLessThan(RECORDS / 3);
    }

    @Test
    void aConsumerBehindItsTopicHandsRecordsOnAheadOfThePermitsAndTheyStartInOffsetOrder() {
        consumeAll();
        assertThat(handled).as("records waiting for the permit start in offset order").hasSize(RECORDS).isSorted();
    }

    @Test
    void aConsumerWhosePartitionsAllHaveRecordsWaitingDoesNotPollUntilOneRunsDryOrThePollIsDue() {
        // The first poll brings all the records; each record ending makes room (a nudge), which
        // woke a poll for nothing, with its WakeupException, every few records.
        long elapsedMs = consumeAll();
        assertThat(polls.get())
                .as("polls over %d ms for %d records already fetched", elapsedMs, RECORDS)
                .isLessThanOrEqualTo((int) (elapsedMs / 100) + 3)
                .isLessThan(RECORDS / 8);
    }

    /** The topic's records through a dispatcher of one permit; answers how long until the last was committed. */
    private long consumeAll() {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            for (int offset = 0; offset < RECORDS; offset++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "k-" + offset, new byte[200]));
            }
        });
        var dispatcher = RecordDispatcherImpl.builder("test records")
                // Each record ends a moment later on another thread, as a webhook's answer does.
                .handler(record -> {
                    handled.add(record.offset());
                    return Uni.createFrom().completionStage(java.util.concurrent.CompletableFuture
                            .supplyAsync(() -> (RecordOutcome) new Delivered(), webhook));
                })
                .deadLetters((record, reason) -> Uni.createFrom().voidItem())
                .listeners(List.of(new OffsetCommits()))
                .concurrency(1)
                .build();
        polled = KafkaPolledConsumer.builder("Test", "test").topic(TOPIC).consumer(consumer).dispatcher(dispatcher)
                .reconnect(new RetryPolicy(Duration.ofMillis(10), 2.0, 0.0, Duration.ofMillis(100), Integer.MAX_VALUE,
                        Duration.ofDays(1)))
                .build();
        long started = System.nanoTime();
        polled.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == RECORDS);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private long committed() {
        synchronized (consumer) {
            OffsetAndMetadata offset = consumer.committed(java.util.Set.of(PARTITION)).get(PARTITION);
            return offset == null ? -1 : offset.offset();
        }
    }

    private record Delivered() implements RecordOutcome {
        @Override
        public boolean committable() {
            return true;
        }

        @Override
        public String label() {
            return "delivered";
        }
    }
}
