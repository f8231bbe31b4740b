package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.OrderedLanes;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcome;
import io.smallrye.mutiny.Uni;

/**
 * A revoked partition is let go only once nothing of it runs here: its started records are waited
 * for (within a bound), those not started are withdrawn, and the offset to commit stays below every
 * record whose outcome is not safe.
 */
class PartitionRevocationTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    /** Every record's work, started in its key's lane, ends when the test completes its future. */
    private final Map<Long, CompletableFuture<RecordOutcome>> work = new ConcurrentHashMap<>();
    private final List<Long> started = new CopyOnWriteArrayList<>();
    private final Map<Long, RecordOutcome> outcomes = new ConcurrentHashMap<>();
    private final OrderedLanes lanes = new OrderedLanes();

    private final RecordDispatcher dispatcher = RecordDispatcherImpl.builder("test record")
            .handler(record -> lanes.submit(record, record.key(), () -> {
                started.add(record.offset());
                return Uni.createFrom().completionStage(workOf(record.offset()));
            }))
            .deadLetters((record, reason) -> Uni.createFrom().voidItem())
            .listeners(List.of((record, outcome) -> outcomes.put(record.offset(), outcome)))
            .concurrency(8)
            .shutdownGrace(Duration.ofSeconds(5))
            .build();

    private CompletableFuture<RecordOutcome> workOf(long offset) {
        return work.computeIfAbsent(offset, ignored -> new CompletableFuture<>());
    }

    private void dispatch(TopicPartition partition, long offset, String key) {
        dispatcher.dispatch(new InboundRecord(partition.topic(), partition.partition(), offset, key, new byte[] {'{', '}'},
                () -> CompletableFuture.completedFuture(null))).await().atMost(Duration.ofSeconds(5));
    }

    private void endLater(long offset, Duration after) {
        CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> workOf(offset).complete(new Done()));
    }

    private record Done() implements RecordOutcome {
        @Override
        public String label() {
            return "done";
        }
    }

    @Test
    void waitsForTheStartedRecordsOfTheRevokedPartitionAndCommitsAfterThem() {
        dispatcher.assigned(List.of(P0, P1));
        dispatch(P0, 10, "a");
        endLater(10, Duration.ofMillis(300));

        long before = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = dispatcher.revoke(List.of(P0), Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(outcomes.get(10L)).isInstanceOf(Done.class);
        assertThat(offsets).containsExactly(Map.entry(P0, new OffsetAndMetadata(11)));
    }

    @Test
    void dropsTheRevokedPartitionsRecordsNotYetStartedAndCommitsBelowThem() {
        dispatcher.assigned(List.of(P0, P1));
        dispatch(P0, 10, "a");
        dispatch(P0, 11, "a"); // behind 10 in its lane: read, not started
        dispatch(P1, 20, "a"); // another partition's, behind both

        Map<TopicPartition, OffsetAndMetadata> offsets = endWhileWaiting(10,
                () -> dispatcher.revoke(List.of(P0), Duration.ofSeconds(5)));

        assertThat(offsets).containsExactly(Map.entry(P0, new OffsetAndMetadata(11)));
        await(() -> started.contains(20L));
        assertThat(started).containsExactly(10L, 20L);
        assertThat(outcomes.get(11L).committable()).as("withdrawn, left to the next owner").isFalse();
        assertThat(outcomes.get(11L).label()).isEqualTo("abandoned");
    }

    @Test
    void letsThePartitionGoWhenTheBoundPassesLeavingTheUnfinishedRecordUncommitted() {
        dispatcher.assigned(List.of(P0));
        dispatch(P0, 7, "a");
        workOf(6);

        long before = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = dispatcher.revoke(List.of(P0), Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        assertThat(outcomes).doesNotContainKey(7L);
        assertThat(offsets).containsExactly(Map.entry(P0, new OffsetAndMetadata(7)));
    }

    @Test
    void doesNotWaitForThePartitionsThatStay() {
        dispatcher.assigned(List.of(P0, P1));
        dispatch(P1, 3, "b");

        long before = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = dispatcher.revoke(List.of(P0), Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(offsets).isEmpty();
        assertThat(started).containsExactly(3L);
    }

    @Test
    void neverStartsARecordOfARevokedPartitionThatArrivesLateUntilThePartitionIsAssignedAgain() {
        dispatcher.assigned(List.of(P0));
        dispatcher.revoke(List.of(P0), Duration.ofMillis(100));

        dispatch(P0, 5, "a");
        await(() -> outcomes.containsKey(5L));
        assertThat(started).isEmpty();

        dispatcher.assigned(List.of(P0));
        dispatch(P0, 5, "a");
        await(() -> started.contains(5L));
    }

    @Test
    void onShutdownWithdrawsTheRecordsNotYetStartedInsteadOfRunningThemLate() {
        dispatch(P0, 1, "a");
        dispatch(P0, 2, "a");

        endWhileWaiting(1, () -> {
            dispatcher.drain();
            return null;
        });

        assertThat(started).containsExactly(1L);
        assertThat(outcomes.get(1L)).isInstanceOf(Done.class);
        assertThat(outcomes.get(2L).committable()).isFalse();
    }

    /**
     * Runs {@code call} (a revocation or a drain, which first withdraws what has not started, then
     * waits) on its own thread, and ends record {@code offset} only once that thread waits: the
     * order the scenario needs, whatever the machine's load.
     */
    private <T> T endWhileWaiting(long offset, java.util.function.Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread caller = new Thread(() -> result.complete(call.get()), "revoking");
        caller.start();
        await(() -> caller.getState() == Thread.State.TIMED_WAITING || caller.getState() == Thread.State.WAITING);
        workOf(offset).complete(new Done());
        return result.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
    }
}
