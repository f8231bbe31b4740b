package io.berth.bridge.impl;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

import io.berth.bridge.Subscription;
import io.berth.delivery.DirectUni;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.Ordering;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A batched subscription's {@link RecordHandler}: the dispatcher hands it records one at a time,
 * as to any handler, and it sends them as JSON arrays ({@link BatchBody}), each record's answer
 * completing when its batch's outcome is known. Retries, dead letters and commits stay the delivery
 * core's, per record: a failed batch fails each of its records with the batch's reason and attempts.
 *
 * <pre>
 *  handle(record) ─► its partition's pending records (offset order)
 *  a batch leaves when: maxRecords are pending, or maxBytes of body, or linger after the oldest;
 *                       and its partition has fewer than maxInFlight batches in flight, none of
 *                       them holding a lane of this batch (Ordering.lane: a key, or the partition
 *                       itself for keyless records and for partition ordering; none without
 *                       ordering), and fewer than concurrency batches are in flight; what the
 *                       dispatcher reads ahead bounds it too (recordsInFlightPerPartition:
 *                       2 × maxRecords records with key or partition ordering)
 *   └─ SubscriptionHandler.deliverBatch (attempts, waits, verdicts as for one record)
 *        └─ outcome ─► each record of the batch ─► the dispatcher (dead letter, commit, release)
 *  Berth stopping ─► pending records end Abandoned at once (uncommitted, redelivered);
 *                    a batch in flight ends at its current attempt
 * </pre>
 *
 * Batches are formed per partition and leave in offset order, so a batch holds its records in offset
 * order. A batch waits while an earlier batch of its partition holds one of its records' lanes, the
 * lanes single records wait in ({@link Ordering#lane}), until that batch has its outcome: with key
 * ordering each key's records arrive in order across batches too, and batches of different keys are
 * delivered at once, as single records of different keys are; with partition ordering every record's
 * lane is its partition, so a partition's batches go one after another. A batch that must wait holds
 * back the batches behind it: they leave in offset order, never around it.
 *
 * <pre>
 *  partition 0, key ordering:  [a1 b1 c1] in flight   [d1 e1 f1] leaves too: no key in common
 *                              [a2 g1 h1] waits for the first batch (a), and what follows it waits too
 * </pre>
 *
 * Linger runs on a Vert.x timer; no thread waits.
 */
final class Batcher implements RecordHandler {

    private final Subscription.Batch limits;
    private final Ordering ordering;
    private final int batchesPerPartition;
    private final int batchesInFlight;
    private final BiFunction<List<InboundRecord>, byte[], Uni<RecordOutcome>> sender;
    private final Vertx vertx;
    private final StopSignal stop;
    private final Map<Integer, Partition> partitions = new HashMap<>();
    /** Partitions with a batch ready that waits for one of the {@code concurrency} slots. */
    private final ArrayDeque<Partition> waitingForSlot = new ArrayDeque<>();
    private int sending;

    /**
     * @param concurrency batches in flight at once, over every partition (the file's {@code concurrency})
     * @param sender sends one batch: {@link SubscriptionHandler#deliverBatch}
     */
    Batcher(Subscription subscription, int concurrency,
            BiFunction<List<InboundRecord>, byte[], Uni<RecordOutcome>> sender, Vertx vertx, StopSignal stop) {
        this.limits = subscription.batch().orElseThrow();
        this.ordering = subscription.ordering();
        this.batchesPerPartition = subscription.maxInFlight();
        this.batchesInFlight = concurrency;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.stop = Objects.requireNonNull(stop, "stop");
        stop.whenRaised(this::abandonPending);
    }

    /**
     * Records of one partition the dispatcher may have in flight: without ordering, the batches its
     * partition may send at once and one more, which fills while they are delivered; with key or
     * partition ordering, a full batch and the next (with key ordering, batches may leave before the
     * one ahead of them has its outcome, when they hold no key in common, as many as those records
     * make: two full ones, more cut short by linger or bytes). No
     * more: a record read further ahead only waits, and one that waits longer than the young
     * generation's collections is copied to the old one, where its garbage takes full collections to
     * clear (measured: the image's heap cut to 48 MiB ran out with {@code maxInFlight} batches read
     * ahead, and held with these).
     */
    static int recordsInFlightPerPartition(Subscription subscription) {
        int sentAtOnce = subscription.ordering() == Ordering.NONE ? subscription.maxInFlight() : 1;
        return subscription.batch()
                .map(batch -> saturated((sentAtOnce + 1L) * batch.maxRecords()))
                .orElse(subscription.maxInFlight());
    }

    /** Records the dispatcher may have in flight over every partition: {@code concurrency} full batches. */
    static int recordsInFlight(Subscription subscription, int concurrency) {
        return subscription.batch().map(batch -> saturated((long) concurrency * batch.maxRecords()))
                .orElse(concurrency);
    }

    /** Bytes of values the dispatcher may have in flight: {@code concurrency} full batches' worth. */
    static long bytesInFlight(Subscription subscription, int concurrency) {
        return subscription.batch().map(batch -> (long) concurrency * batch.maxBytes()).orElse(Long.MAX_VALUE);
    }

    private static int saturated(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        byte[] element = BatchBody.element(record);
        String lane = ordering.lane(record);
        // The record's span (Tracing.record): its batch's span links to it.
        Context span = Context.current();
        // A DirectUni, not Mutiny's emitter: no context captured for its callback, once per record.
        return DirectUni.of(answer -> {
            List<Batch> ready = new ArrayList<>();
            boolean abandoned;
            synchronized (this) {
                abandoned = stop.raised();
                if (!abandoned) {
                    Partition partition = partitions.computeIfAbsent(record.partition(), number -> new Partition());
                    partition.add(new Pending(record, element, lane, answer, System.nanoTime(), span));
                    collect(partition, ready);
                }
            }
            if (abandoned) {
                answer.complete(abandoned());
            }
            ready.forEach(this::send);
            return null; // a record's answer is never cancelled: it ends with its batch, or abandoned
        });
    }

    /** Under the lock: the batches {@code partition} may send now; a timer for when it may, by linger. */
    private void collect(Partition partition, List<Batch> ready) {
        long now = System.nanoTime();
        while (partition.sending < batchesPerPartition && !partition.waitsForALane && partition.due(now)) {
            if (sending >= batchesInFlight) {
                if (!waitingForSlot.contains(partition)) {
                    waitingForSlot.add(partition);
                }
                return;
            }
            int count = partition.fitting();
            if (partition.sharesALaneInFlight(count)) {
                // Only a batch of this partition ending can change that: ended() collects it again.
                partition.waitsForALane = true;
                return;
            }
            ready.add(partition.take(count));
            sending++;
        }
        if (!partition.pending.isEmpty() && partition.timer == null && !partition.waitsForALane
                && !partition.due(now)) {
            long delay = Math.max(1, Duration.ofNanos(partition.lingerLeft(now)).toMillis() + 1);
            partition.timer = vertx.setTimer(delay, id -> lingered(partition));
        }
    }

    private void lingered(Partition partition) {
        List<Batch> ready = new ArrayList<>();
        synchronized (this) {
            partition.timer = null;
            collect(partition, ready);
        }
        ready.forEach(this::send);
    }

    /** In a span of the batch's own (current while the sender is called), linked to its records' spans. */
    private void send(Batch batch) {
        InboundRecord first = batch.records().get(0);
        Tracing.batch(batch.spans(), first.topic(), first.partition(),
                span -> sender.apply(batch.records(), BatchBody.array(batch.elements())))
                .subscribe().with(outcome -> ended(batch, outcome, null), failure -> ended(batch, null, failure));
    }

    /** Every record of the batch gets its outcome; then the next batches may leave. */
    private void ended(Batch batch, RecordOutcome outcome, Throwable failure) {
        for (DirectUni.Completion<RecordOutcome> answer : batch.answers()) {
            if (failure != null) {
                answer.fail(failure);
            } else {
                answer.complete(outcome);
            }
        }
        List<Batch> ready = new ArrayList<>();
        synchronized (this) {
            sending--;
            batch.partition().ended(batch);
            collect(batch.partition(), ready);
            while (sending < batchesInFlight && !waitingForSlot.isEmpty()) {
                collect(waitingForSlot.poll(), ready);
            }
        }
        ready.forEach(this::send);
    }

    /** Berth is stopping: records not sent yet are let go of, to be redelivered. */
    private void abandonPending() {
        List<Pending> abandoned = new ArrayList<>();
        synchronized (this) {
            for (Partition partition : partitions.values()) {
                abandoned.addAll(partition.pending);
                partition.pending.clear();
                partition.pendingBytes = 0;
                if (partition.timer != null) {
                    vertx.cancelTimer(partition.timer);
                    partition.timer = null;
                }
            }
            waitingForSlot.clear();
        }
        abandoned.forEach(pending -> pending.answer().complete(abandoned()));
    }

    private static RecordOutcome abandoned() {
        return new RecordOutcome.Abandoned(null, "stopping before its batch was sent");
    }

    /** One partition's records waiting for their batch, and its batches in flight. */
    private final class Partition {

        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private long pendingBytes;
        private int sending;
        private Long timer;
        /** The lanes of this partition's batches in flight (a lane is in one of them at most). */
        private final Set<String> lanesInFlight = new HashSet<>();
        /** The next batch holds a lane in flight, and waits for that batch's outcome. */
        private boolean waitsForALane;

        void add(Pending record) {
            pending.add(record);
            pendingBytes += record.element().length;
        }

        /** Whether a batch should leave: a full one is pending, or the oldest record has lingered. */
        boolean due(long now) {
            return !pending.isEmpty() && (pending.size() >= limits.maxRecords()
                    || BatchBody.size(pendingBytes, pending.size()) >= limits.maxBytes() || lingerLeft(now) <= 0);
        }

        long lingerLeft(long now) {
            return limits.linger().toNanos() - (now - pending.peek().arrivedAt());
        }

        /** How many of the oldest pending records fit one batch; at least one, however large. */
        int fitting() {
            int count = 0;
            long bytes = 0;
            for (Iterator<Pending> next = pending.iterator(); next.hasNext() && count < limits.maxRecords(); ) {
                long size = next.next().element().length;
                if (count > 0 && BatchBody.size(bytes + size, count + 1) > limits.maxBytes()) {
                    break;
                }
                count++;
                bytes += size;
            }
            return count;
        }

        /** Whether one of the {@code count} oldest pending records waits in a lane a batch in flight holds. */
        boolean sharesALaneInFlight(int count) {
            if (lanesInFlight.isEmpty()) {
                return false;
            }
            Iterator<Pending> next = pending.iterator();
            for (int i = 0; i < count; i++) {
                String lane = next.next().lane();
                if (lane != null && lanesInFlight.contains(lane)) {
                    return true;
                }
            }
            return false;
        }

        /** The {@code count} oldest pending records, as a batch in flight. */
        Batch take(int count) {
            List<Pending> taken = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Pending record = pending.poll();
                taken.add(record);
                pendingBytes -= record.element().length;
            }
            sending++;
            Batch batch = Batch.of(this, taken);
            lanesInFlight.addAll(batch.lanes());
            return batch;
        }

        /** A batch of this partition has its outcome: its lanes are free, and the next batch may try again. */
        void ended(Batch batch) {
            sending--;
            lanesInFlight.removeAll(batch.lanes());
            waitsForALane = false;
        }
    }

    /** @param lane the record's {@link Ordering#lane}, or null when it waits for nothing */
    private record Pending(InboundRecord record, byte[] element, String lane,
            DirectUni.Completion<RecordOutcome> answer, long arrivedAt, Context span) {
    }

    /** A batch in flight: its records, their elements, spans and answers, each in offset order, and its lanes. */
    private record Batch(Partition partition, List<InboundRecord> records, List<byte[]> elements, List<Context> spans,
            List<DirectUni.Completion<RecordOutcome>> answers, Set<String> lanes) {

        /** Made in one pass: once per batch, not once per use. */
        static Batch of(Partition partition, List<Pending> members) {
            int size = members.size();
            InboundRecord[] records = new InboundRecord[size];
            byte[][] elements = new byte[size][];
            Context[] spans = new Context[size];
            @SuppressWarnings("unchecked")
            DirectUni.Completion<RecordOutcome>[] answers = new DirectUni.Completion[size];
            Set<String> lanes = new HashSet<>();
            for (int i = 0; i < size; i++) {
                Pending member = members.get(i);
                records[i] = member.record();
                elements[i] = member.element();
                spans[i] = member.span();
                answers[i] = member.answer();
                if (member.lane() != null) {
                    lanes.add(member.lane());
                }
            }
            return new Batch(partition, fixed(records), fixed(elements), fixed(spans), fixed(answers), lanes);
        }

        private static <T> List<T> fixed(T[] items) {
            return Collections.unmodifiableList(Arrays.asList(items));
        }
    }
}
