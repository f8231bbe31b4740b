package io.berth.triggers.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.retry.RetryPolicy;

/**
 * One trigger's topic, consumed by a {@link Consumer} of kafka-clients on a thread of its own.
 * Triggers are declared in a file read at runtime, so they cannot be reactive-messaging channels
 * (those are fixed at build time); this class does what the connector does for the runs, at least
 * once:
 *
 * <pre>
 *  loop (own thread)
 *   ├─ hand the backlog to the dispatcher, in offset order, one record per free permit
 *   ├─ backlog left (permits exhausted)? pause every partition : resume them
 *   ├─ poll (keeps the group membership alive while paused) ─► backlog
 *   └─ commit what {@link OffsetTracker} allows (below the oldest unfinished record), asynchronously
 *  rebalance: revoked ─► commit what is done, forget the rest (its new owner reads it again)
 *  broker unreachable or a poll failing ─► wait, doubling up to the reconnect limit, and poll again
 *  stop ─► the dispatcher drains (up to its grace) ─► final synchronous commit ─► close
 * </pre>
 *
 * A record's offset is acknowledged by the delivery core's commit listener once its target succeeded
 * or it was dead-lettered; an abandoned record is never acknowledged, so it is read again.
 */
final class TriggerConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(TriggerConsumer.class);

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String triggerId;
    private final String topic;
    private final Consumer<String, byte[]> consumer;
    private final RecordDispatcher dispatcher;
    private final RetryPolicy reconnect;
    private final TriggerActivity activity;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final OffsetTracker tracker = new OffsetTracker();
    private final ArrayDeque<ConsumerRecord<String, byte[]>> backlog = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean stopping;
    private CompletableFuture<Void> accepting = CompletableFuture.completedFuture(null);
    private boolean paused;

    /**
     * @param reconnect the waits between failed polls (its attempt and duration limits are not used)
     * @param activity told of each record taken and of the group's answers
     */
    TriggerConsumer(String triggerId, String topic, Consumer<String, byte[]> consumer, RecordDispatcher dispatcher,
            RetryPolicy reconnect, TriggerActivity activity) {
        this.triggerId = Objects.requireNonNull(triggerId, "triggerId");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.thread = new Thread(this, "berth-trigger-" + triggerId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops consuming, lets records in flight end (the dispatcher's grace), commits, closes. Blocks. */
    void stop(Duration wait) {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warnf("Trigger %s: its consumer did not stop within %d s", triggerId, wait.toSeconds());
        }
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new Rebalance());
        LOG.infof("Trigger %s: consuming %s", triggerId, topic);
        int failures = 0;
        while (!stopping) {
            try {
                feed();
                flowControl();
                consumer.poll(POLL).forEach(backlog::add);
                commit();
                failures = 0;
            } catch (WakeupException woken) {
                // stop() woke the poll up: the loop condition ends it.
            } catch (RuntimeException e) {
                failures++;
                Duration wait = reconnect.delayAfter(failures);
                LOG.warnf("Trigger %s: consuming %s failed (%s: %s); trying again in %d ms", triggerId, topic,
                        e.getClass().getSimpleName(), e.getMessage(), wait.toMillis());
                pause(wait);
            }
        }
        shutDown();
    }

    /** Hands records to the dispatcher while it accepts them at once; stops at the first that waits for a permit. */
    private void feed() {
        while (accepting.isDone() && !backlog.isEmpty() && !stopping) {
            ConsumerRecord<String, byte[]> record = backlog.poll();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            OffsetTracker.Progress progress = tracker.started(partition, record.offset());
            activity.taken();
            accepting = dispatcher.dispatch(inbound(record, progress))
                    .onFailure().recoverWithNull()
                    .subscribeAsCompletionStage();
        }
    }

    private void flowControl() {
        boolean blocked = !backlog.isEmpty() || !accepting.isDone();
        if (blocked && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.debugf("Trigger %s: every permit in use, consumption paused", triggerId);
        } else if (!blocked && paused) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.debugf("Trigger %s: consumption resumed", triggerId);
        } else if (blocked) {
            // Partitions assigned while paused start unpaused.
            consumer.pause(consumer.assignment());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(null);
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    LOG.warnf("Trigger %s: commit failed (%s); retrying with the next one", triggerId,
                            failure.getClass().getSimpleName());
                    tracker.commitFailed(offsets);
                }
            });
        }
    }

    private void shutDown() {
        dispatcher.drain();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(null);
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets, CLOSE_TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Trigger %s: final commit failed (%s): records since the last commit will be delivered again",
                    triggerId, e.getClass().getSimpleName());
        } finally {
            consumer.close(CLOSE_TIMEOUT);
            LOG.infof("Trigger %s: stopped", triggerId);
        }
    }

    private InboundRecord inbound(ConsumerRecord<String, byte[]> record, OffsetTracker.Progress progress) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        Instant timestamp = record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || record.timestamp() < 0
                ? null : Instant.ofEpochMilli(record.timestamp());
        long offset = record.offset();
        return new InboundRecord(record.topic(), record.partition(), offset, record.key(), record.value(), timestamp,
                headers, () -> acknowledge(progress, offset));
    }

    private static CompletionStage<Void> acknowledge(OffsetTracker.Progress progress, long offset) {
        progress.finished(offset);
        return CompletableFuture.completedFuture(null);
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Runs inside poll, on this consumer's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(revoked);
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, CLOSE_TIMEOUT);
                }
            } catch (RuntimeException e) {
                LOG.warnf("Trigger %s: commit on revocation failed (%s): the new owner reads those records again",
                        triggerId, e.getClass().getSimpleName());
            }
            forget(revoked);
            activity.assigned(owned.size());
            LOG.infof("Trigger %s: partitions revoked %s", triggerId, revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            activity.lost(owned.size());
            LOG.warnf("Trigger %s: partitions lost %s: their records in flight will be delivered again", triggerId, lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // Called after every rebalance this consumer takes part in, with nothing new or not.
            owned.addAll(assigned);
            activity.assigned(owned.size());
            if (!assigned.isEmpty()) {
                LOG.infof("Trigger %s: partitions assigned %s", triggerId, assigned);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            tracker.forget(partitions);
            backlog.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
        }
    }
}
