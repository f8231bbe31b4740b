package io.berth.bridge.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.berth.bridge.http.PendingReplies.Reply;

/**
 * Reads every partition of the response topics, with {@code assign()} and no consumer group, so
 * that each Berth instance sees every reply and picks those its own callers wait for: with a
 * shared group (kafka-hooks) a reply may go to another replica, and the caller gets 504.
 *
 * <p>Partitions known at start are read from their end, positioned before Berth is ready, so no
 * reply to a call made after start is skipped; a topic or partition that appears later is read from
 * its beginning (everything in it is newer than Berth). Nothing is committed: replies are not work.
 */
final class ReplyReader implements AutoCloseable {

    static final String CORRELATION_HEADER = "x-plt-kafka-hooks-correlation-id";
    static final String STATUS_HEADER = "x-status-code";

    private static final Logger LOG = Logger.getLogger(ReplyReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RESCAN = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> topics;
    private final PendingReplies pending;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    ReplyReader(Map<String, Object> connection, Set<String> topics, PendingReplies pending) {
        Map<String, Object> config = new HashMap<>(connection);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "berth-bridge-replies");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = Set.copyOf(topics);
        this.pending = pending;
        this.thread = new Thread(this::run, "berth-bridge-replies");
        this.thread.setDaemon(true);
    }

    /** Positions every known partition at its end (blocking: call it at start-up), then reads. */
    void start() {
        List<TopicPartition> found = discover();
        consumer.assign(assigned);
        consumer.seekToEnd(found);
        found.forEach(consumer::position); // resolve the end now, not at the first poll
        LOG.infof("Bridge replies: reading %d partition(s) of %s from their end", found.size(), topics);
        thread.start();
    }

    private void run() {
        long nextScan = System.nanoTime() + RESCAN.toNanos();
        try {
            while (running) {
                if (assigned.isEmpty()) {
                    Thread.sleep(POLL.toMillis()); // no response topic exists yet
                } else {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        deliver(record);
                    }
                }
                if (System.nanoTime() > nextScan) {
                    nextScan = System.nanoTime() + RESCAN.toNanos();
                    List<TopicPartition> added = discover();
                    if (!added.isEmpty()) {
                        consumer.assign(assigned);
                        consumer.seekToBeginning(added);
                        LOG.infof("Bridge replies: reading new partition(s) %s from their beginning", added);
                    }
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.errorf("Bridge replies: reading stopped (%s: %s); request/response calls now time out",
                    e.getClass().getSimpleName(), e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        String id = text(record.headers().lastHeader(CORRELATION_HEADER));
        if (id == null) {
            return;
        }
        String status = text(record.headers().lastHeader(STATUS_HEADER));
        int code = 200;
        if (status != null) {
            try {
                code = Integer.parseInt(status.trim());
            } catch (NumberFormatException notANumber) {
                code = -1;
            }
        }
        if (code < 100 || code > 599) {
            LOG.warnf("Bridge replies: %s-%d@%d has %s '%s', not an HTTP status: answered 502", record.topic(),
                    record.partition(), record.offset(), STATUS_HEADER, status);
            pending.complete(id, new Reply(502, null, new byte[0]));
            return;
        }
        pending.complete(id, new Reply(code, text(record.headers().lastHeader("content-type")),
                record.value() == null ? new byte[0] : record.value()));
    }

    /** Partitions of the response topics not assigned yet (added to {@link #assigned}). */
    private List<TopicPartition> discover() {
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            } catch (RuntimeException unavailable) {
                LOG.warnf("Bridge replies: partitions of %s unknown (%s); looking again in %ds", topic,
                        unavailable.getClass().getSimpleName(), RESCAN.toSeconds());
                continue;
            }
            for (PartitionInfo partition : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                if (assigned.add(tp)) {
                    added.add(tp);
                }
            }
        }
        return added;
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
