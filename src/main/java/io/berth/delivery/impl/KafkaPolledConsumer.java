package io.berth.delivery.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.PolledConsumer;
import io.berth.delivery.PolledConsumerSettings;
import io.berth.delivery.RecordDispatcher;
import io.berth.retry.RetryPolicy;

/**
 * {@link PolledConsumer} with a {@link Consumer} of kafka-clients:
 *
 * <pre>
 *  loop (own thread)
 *   ├─ hand each partition's backlog to the dispatcher, in offset order, round robin over the
 *   │  partitions, while fewer than LOOKAHEAD records wait for a permit and the partition has
 *   │  fewer than maxInFlightPerPartition records in flight
 *   ├─ every partition has a backlog, and the last poll is less than POLL ago?
 *   │     commit when due; park until room is made (a nudge) or the poll is due; loop
 *   ├─ pause every partition with a backlog left, resume the others
 *   ├─ commit what {@link OffsetTracker} allows (below the oldest unfinished record), asynchronously,
 *   │  at most once per COMMIT_INTERVAL
 *   └─ poll (at least once per POLL: rebalances, commit callbacks) ─► backlogs
 *  rebalance: revoked ─► commit what is done, forget the rest (its new owner reads it again)
 *  broker unreachable or a poll failing ─► wait, doubling up to the reconnect limit, and poll again
 *  stop ─► the dispatcher drains (up to its grace) ─► final synchronous commit ─► close
 * </pre>
 *
 * While a backlog waits every partition that has one is paused, so the poll has nothing to return
 * and would sit out its whole timeout: permits or a partition's slots freeing meanwhile wake it
 * ({@link #nudge}) once half the lookahead, or half a partition's bound, is free, and the loop hands
 * the next records on at once. When every partition has a backlog the loop does not poll at all
 * but parks, and a nudge unparks it: a poll woken by {@link Consumer#wakeup} costs a
 * {@code WakeupException}, a fetch-position check and a network round, which were a fifth of the
 * bridge's allocation.
 *
 * <p>The loop hands on up to {@link #LOOKAHEAD} records more than the dispatcher has permits for:
 * they wait in its queue, in order, and each permit freed goes straight to the next of them on the
 * thread that freed it, without a turn of the loop. Only the permit that leaves half of them
 * waiting wakes the loop. Under load this spares most turns (a poll, its wake-up exception, the
 * pauses): at one turn per record they were a fifth of the consumer thread's samples, and with 16 records
 * ahead (one turn per 8 records) still half of them. 128 is at most one poll's records
 * (the bridge asks for at least 500 per poll), which are in memory anyway; when records end faster
 * than the loop turns it still turns about as often as records end. They have not started, so a stop or a
 * revocation withdraws them as any record waiting for a permit.
 *
 * A partition is paused exactly while it has a backlog, so memory holds at most one poll's records
 * per partition however far behind the consumer is. A record's offset is acknowledged by the
 * delivery core's commit listener once its outcome is safe; an abandoned record is never
 * acknowledged, so it is read again.
 *
 * <p>Commits are spaced by {@link #COMMIT_INTERVAL}: the loop turns once per record freed while a
 * backlog waits, and a commit on each turn was one broker request per record. A crash redelivers at
 * most that interval's records more; revocation and stop still commit at once, synchronously.
 */
public final class KafkaPolledConsumer implements PolledConsumer, Runnable {

    private static final Logger LOG = Logger.getLogger(KafkaPolledConsumer.class);

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    static final int LOOKAHEAD = 128;
    private static final CompletionStage<Void> ACKNOWLEDGED = CompletableFuture.completedStage(null);

    private final String name;
    private final String topic;
    private final Consumer<String, byte[]> consumer;
    private final RecordDispatcher dispatcher;
    private final RetryPolicy reconnect;
    private final Activity activity;
    private final int maxInFlightPerPartition;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> backlogs = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;
    /** Records handed to the dispatcher that wait for a permit. */
    private final AtomicInteger awaitingPermit = new AtomicInteger();
    /** Set by the loop just before it polls, cleared by whoever wakes that poll (or by the loop after it). */
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean backlogWaiting;
    /** When the last asynchronous commit was sent (nanoTime); the first one is due at once. */
    private long lastCommit = System.nanoTime() - COMMIT_INTERVAL.toNanos();
    /** When the loop last polled (nanoTime): it polls at least once per {@link #POLL}. */
    private long lastPoll = System.nanoTime() - POLL.toNanos();

    private KafkaPolledConsumer(Builder builder) {
        this.name = Objects.requireNonNull(builder.name, "name");
        this.topic = Objects.requireNonNull(builder.topic, "topic");
        this.consumer = Objects.requireNonNull(builder.consumer, "consumer");
        this.dispatcher = Objects.requireNonNull(builder.dispatcher, "dispatcher");
        this.reconnect = Objects.requireNonNull(builder.reconnect, "reconnect");
        this.activity = Objects.requireNonNull(builder.activity, "activity");
        this.maxInFlightPerPartition = builder.maxInFlightPerPartition;
        this.thread = new Thread(this, "berth-" + builder.threadName);
        this.thread.setDaemon(true);
    }

    /**
     * @param name names the source in log lines, e.g. {@code "Trigger orders"}
     * @param threadName the thread's name after {@code berth-}, e.g. {@code "trigger-orders"}
     */
    public static Builder builder(String name, String threadName) {
        return new Builder(name, threadName);
    }

    /**
     * The waits between failed polls a capability's settings call for: from
     * {@code reconnectInitialDelay}, doubling ±20 % up to {@code reconnectMaxDelay}, for as long as it takes.
     */
    public static RetryPolicy reconnectPolicy(PolledConsumerSettings settings) {
        return new RetryPolicy(settings.reconnectInitialDelay(), 2.0, 0.2, settings.reconnectMaxDelay(),
                Integer.MAX_VALUE, Duration.ofDays(365));
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void stop(Duration wait) {
        stopping = true;
        consumer.wakeup();
        LockSupport.unpark(thread);
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warnf("%s: its consumer did not stop within %d s", name, wait.toSeconds());
        }
    }

    @Override
    public void run() {
        try {
            consume();
        } finally {
            activity.stopped();
        }
    }

    private void consume() {
        consumer.subscribe(List.of(topic), new Rebalance());
        LOG.infof("%s: consuming %s", name, topic);
        int failures = 0;
        while (!stopping) {
            try {
                feed();
                if (!pollDue()) {
                    // Every partition has records waiting: a poll would fetch nothing and be woken at once.
                    commitWhenDue();
                    awaitRoom();
                    continue;
                }
                flowControl();
                // Before the poll: a nudge ends the poll with a WakeupException, which would skip it.
                commitWhenDue();
                polling.set(true);
                try {
                    lastPoll = System.nanoTime();
                    consumer.poll(POLL).forEach(record -> backlogs.computeIfAbsent(
                            new TopicPartition(record.topic(), record.partition()), p -> new ArrayDeque<>()).add(record));
                } finally {
                    polling.set(false);
                }
                failures = 0;
            } catch (WakeupException woken) {
                // stop() woke the poll up (the loop condition ends it), or a nudge did (the loop feeds on).
            } catch (RuntimeException e) {
                failures++;
                Duration wait = reconnect.delayAfter(failures);
                LOG.warnf("%s: consuming %s failed (%s: %s); trying again in %d ms", name, topic,
                        e.getClass().getSimpleName(), e.getMessage(), wait.toMillis());
                pause(wait);
            }
        }
        shutDown();
    }

    /**
     * Hands records to the dispatcher while fewer than {@link #LOOKAHEAD} wait for a permit, one per
     * partition in turn, so that one busy partition does not starve the others; a partition at its
     * in-flight bound waits.
     */
    private void feed() {
        boolean progressed = true;
        while (progressed && awaitingPermit.get() < LOOKAHEAD && !stopping) {
            progressed = false;
            for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> backlog : backlogs.entrySet()) {
                if (awaitingPermit.get() >= LOOKAHEAD || stopping) {
                    return;
                }
                if (backlog.getValue().isEmpty() || tracker.inFlight(backlog.getKey()) >= maxInFlightPerPartition) {
                    continue;
                }
                ConsumerRecord<String, byte[]> record = backlog.getValue().poll();
                OffsetTracker.Progress progress = tracker.started(backlog.getKey(), record.offset());
                // Counted before it is offered: its permit may come, on another thread, before offer returns.
                awaitingPermit.incrementAndGet();
                if (dispatcher.offer(inbound(record, progress), this::permitted)) {
                    awaitingPermit.decrementAndGet();
                }
                progressed = true;
            }
        }
    }

    /**
     * Whether to poll now: a partition of this consumer has no records waiting (a poll may bring
     * some), or {@link #POLL} has passed since the last poll (which runs rebalances and commit
     * callbacks). Otherwise a poll would return nothing, every partition being paused.
     */
    private boolean pollDue() {
        if (owned.isEmpty() || System.nanoTime() - lastPoll >= POLL.toNanos()) {
            return true;
        }
        for (TopicPartition partition : owned) {
            ArrayDeque<ConsumerRecord<String, byte[]>> backlog = backlogs.get(partition);
            if (backlog == null || backlog.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Parks until a nudge (room for records) or until the next poll is due. */
    private void awaitRoom() {
        backlogWaiting = true;
        long left = POLL.toNanos() - (System.nanoTime() - lastPoll);
        if (left > 0 && !stopping) {
            LockSupport.parkNanos(this, left);
        }
    }

    /**
     * A record that waited has its permit: when only half the lookahead is left waiting, the loop
     * hands on more. Only that crossing nudges, once per descent: each permit after it would wake a
     * loop already woken (an unpark or a poll's wake-up per record).
     */
    private void permitted() {
        if (awaitingPermit.decrementAndGet() == LOOKAHEAD / 2) {
            nudge();
        }
    }

    /** Paused exactly while a backlog waits: partitions assigned meanwhile start unpaused and are caught here. */
    private void flowControl() {
        Set<TopicPartition> waiting = new HashSet<>();
        backlogs.forEach((partition, backlog) -> {
            if (!backlog.isEmpty()) {
                waiting.add(partition);
            }
        });
        waiting.retainAll(consumer.assignment());
        backlogWaiting = !waiting.isEmpty();
        Set<TopicPartition> resume = new HashSet<>(consumer.paused());
        resume.removeAll(waiting);
        if (!waiting.isEmpty()) {
            consumer.pause(waiting);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
            LOG.debugf("%s: consumption of %s resumed", name, resume);
        }
    }

    private void commitWhenDue() {
        long now = System.nanoTime();
        if (now - lastCommit < COMMIT_INTERVAL.toNanos()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(null);
        if (!offsets.isEmpty()) {
            lastCommit = now;
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    LOG.warnf("%s: commit failed (%s); retrying with the next one", name,
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
            LOG.warnf("%s: final commit failed (%s): records since the last commit will be delivered again",
                    name, e.getClass().getSimpleName());
        } finally {
            consumer.close(CLOSE_TIMEOUT);
            LOG.infof("%s: stopped", name);
        }
    }

    private InboundRecord inbound(ConsumerRecord<String, byte[]> record, OffsetTracker.Progress progress) {
        Map<String, String> headers = InboundRecord.textHeaders(record.headers());
        Instant timestamp = record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || record.timestamp() < 0
                ? null : Instant.ofEpochMilli(record.timestamp());
        long offset = record.offset();
        return new InboundRecord(record.topic(), record.partition(), offset, record.key(), record.value(), timestamp,
                headers, () -> acknowledge(progress, offset));
    }

    /**
     * The record's offset may be committed. Its partition may have been at its in-flight bound: when
     * half the bound is left in flight, the loop hands on more. Each count is seen by one
     * acknowledgement alone, so one of them nudges per descent; the others would wake a loop already
     * woken. A partition that stops short of half (records stuck in retries) is fed at the next poll.
     */
    private CompletionStage<Void> acknowledge(OffsetTracker.Progress progress, long offset) {
        if (progress.finished(offset) == maxInFlightPerPartition / 2) {
            nudge();
        }
        return ACKNOWLEDGED;
    }

    /**
     * Room for another record while records wait: ends the loop's current poll early (any thread;
     * {@link Consumer#wakeup} is the one thread-safe call), at most once per poll.
     */
    private void nudge() {
        if (!backlogWaiting) {
            return;
        }
        if (polling.compareAndSet(true, false)) {
            consumer.wakeup();
        } else {
            LockSupport.unpark(thread); // parked in awaitRoom, or about to be: then it does not park
        }
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
                LOG.warnf("%s: commit on revocation failed (%s): the new owner reads those records again",
                        name, e.getClass().getSimpleName());
            }
            forget(revoked);
            activity.assigned(owned.size());
            LOG.infof("%s: partitions revoked %s", name, revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            activity.lost(owned.size());
            LOG.warnf("%s: partitions lost %s: their records in flight will be delivered again", name, lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // Called after every rebalance this consumer takes part in, with nothing new or not.
            owned.addAll(assigned);
            activity.assigned(owned.size());
            if (!assigned.isEmpty()) {
                LOG.infof("%s: partitions assigned %s", name, assigned);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            tracker.forget(partitions);
            partitions.forEach(backlogs::remove);
        }
    }

    /** What a polled consumer is made of; every part is required but the activity and the per-partition bound. */
    public static final class Builder {

        private final String name;
        private final String threadName;
        private String topic;
        private Consumer<String, byte[]> consumer;
        private RecordDispatcher dispatcher;
        private RetryPolicy reconnect;
        private Activity activity = new Activity() {
        };
        private int maxInFlightPerPartition = Integer.MAX_VALUE;

        private Builder(String name, String threadName) {
            this.name = name;
            this.threadName = threadName;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Subscribed by {@link #start()}; closed by {@link #stop(Duration)}. Manual commits only. */
        public Builder consumer(Consumer<String, byte[]> consumer) {
            this.consumer = consumer;
            return this;
        }

        public Builder dispatcher(RecordDispatcher dispatcher) {
            this.dispatcher = dispatcher;
            return this;
        }

        /** The waits between failed polls (its attempt and duration limits are not used). */
        public Builder reconnect(RetryPolicy reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        public Builder activity(Activity activity) {
            this.activity = activity;
            return this;
        }

        /** At most this many records of one partition in flight (default: the dispatcher's limit alone). */
        public Builder maxInFlightPerPartition(int maxInFlightPerPartition) {
            if (maxInFlightPerPartition < 1) {
                throw new IllegalArgumentException("maxInFlightPerPartition must be at least 1, was "
                        + maxInFlightPerPartition);
            }
            this.maxInFlightPerPartition = maxInFlightPerPartition;
            return this;
        }

        public PolledConsumer build() {
            return new KafkaPolledConsumer(this);
        }
    }
}
