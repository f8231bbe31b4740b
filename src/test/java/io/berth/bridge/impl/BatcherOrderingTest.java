package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.berth.bridge.BridgeOutcome;
import io.berth.bridge.Subscription;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.Ordering;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Which batches of one partition may be in flight at once. With key ordering, as many as hold no key
 * in common (keyless records count as one key per partition), as single records of different keys
 * are; a batch holding a key in flight waits for that batch's outcome, and the batches behind it wait
 * with it. With partition ordering, one at a time; without ordering, up to {@code maxInFlight}.
 * Batches here hold three records and leave only when full (the linger is a minute).
 */
class BatcherOrderingTest {

    static final Vertx vertx = Vertx.vertx();

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final StopSignal stop = new StopSignal();
    final AtomicLong offsets = new AtomicLong();

    /** A batch the sender was given, answered when the test says so. */
    record Sent(List<String> keys, CompletableFuture<RecordOutcome> answer) {

        void delivered() {
            answeredWith(200);
        }

        void answeredWith(int status) {
            answer.complete(new BridgeOutcome.Delivered("events", status, 1));
        }
    }

    @AfterAll
    static void closeVertx() {
        vertx.closeAndAwait(); // whose timers hold the lingering batches
    }

    @Test
    void withKeyOrderingBatchesOfDifferentKeysAreInFlightAtOnce() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        handle(batcher, 0, "a", "b", "c", "d", "e", "f", "g", "h", "i");

        assertThat(keysSent()).containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("g", "h", "i"));
    }

    @Test
    void withKeyOrderingABatchHoldingAKeyInFlightWaitsForThatBatchAndTheBatchesBehindItWaitWithIt() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        handle(batcher, 0, "a", "b", "c", "d", "e", "f", "a", "g", "h", "i", "j", "k");
        assertThat(keysSent()).as("[a g h] waits for [a b c]; [i j k] waits behind it")
                .containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"));

        sent.get(1).delivered();
        assertThat(keysSent()).as("the batch that ended held none of its keys").hasSize(2);

        sent.get(0).delivered();
        assertThat(keysSent()).as("once [a b c] has its outcome, both leave").containsExactly(
                List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("a", "g", "h"), List.of("i", "j", "k"));
    }

    @Test
    void withKeyOrderingKeylessRecordsCountAsOneKeyOfTheirPartition() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        handle(batcher, 0, null, "a", "b", "c", null, "d");
        handle(batcher, 1, null, "a", "b");
        assertThat(keysSent()).as("the second keyless batch of partition 0 waits; partition 1 has its own")
                .containsExactly(nulled(null, "a", "b"), nulled(null, "a", "b"));

        sent.get(0).delivered();
        assertThat(keysSent()).hasSize(3);
        assertThat(keysSent().get(2)).containsExactly("c", null, "d");
    }

    @Test
    void withKeyOrderingAPartitionHasAtMostMaxInFlightBatchesInFlightAndAnyOneEndingFreesASlot() {
        for (int maxInFlight = 1; maxInFlight <= 3; maxInFlight++) {
            sent.clear();
            // Four full batches, no key in common.
            handle(batcher(Ordering.KEY, maxInFlight), 0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
            assertThat(keysSent()).as("maxInFlight %d", maxInFlight).hasSize(maxInFlight);
            sent.get(maxInFlight - 1).delivered();
            assertThat(keysSent()).as("maxInFlight %d, the last sent answered", maxInFlight).hasSize(maxInFlight + 1);
        }
    }

    @Test
    void withKeyOrderingAKeyTwiceInOneBatchIsFreedWithThatBatch() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        handle(batcher, 0, "a", "a", "b", "c", "d", "e", "a", "f", "g");
        assertThat(keysSent()).containsExactly(List.of("a", "a", "b"), List.of("c", "d", "e"));

        sent.get(0).delivered();
        assertThat(keysSent()).hasSize(3);
        assertThat(keysSent().get(2)).containsExactly("a", "f", "g");
    }

    @Test
    void withKeyOrderingABatchSharingKeysWithTwoBatchesInFlightWaitsForBoth() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        handle(batcher, 0, "a", "b", "c", "d", "e", "f", "a", "d", "g");
        assertThat(keysSent()).hasSize(2);

        sent.get(0).delivered();
        assertThat(keysSent()).as("d is still in flight").hasSize(2);

        sent.get(1).delivered();
        assertThat(keysSent()).hasSize(3);
        assertThat(keysSent().get(2)).containsExactly("a", "d", "g");
    }

    @Test
    void withKeyOrderingABatchThatWaitedPastItsLingerLeavesOnceFreeAndTheNextLingersAgain() {
        Batcher batcher = batcher(Ordering.KEY, 8, Duration.ofMillis(100));
        handle(batcher, 0, "a", "b", "c", "a");
        // [a], past its linger, waits for [a b c]
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> keysSent().size() == 1);

        sent.get(0).delivered();
        assertThat(keysSent()).as("free, and due already").containsExactly(List.of("a", "b", "c"), List.of("a"));

        handle(batcher, 0, "x");
        assertThat(keysSent()).as("not full: it lingers").hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> keysSent().size() == 3);
        assertThat(keysSent().get(2)).containsExactly("x");
    }

    @Test
    void aStopEndsTheRecordsOfABatchThatWaitsForAKeyAbandonedAtOnce() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        List<RecordOutcome> answers = new CopyOnWriteArrayList<>();
        for (String key : List.of("a", "b", "c", "a", "d", "e")) {
            batcher.handle(record(0, key)).subscribe().with(answers::add);
        }
        assertThat(keysSent()).hasSize(1);

        stop.raise();
        assertThat(answers).as("the waiting batch's three records, not the one in flight").hasSize(3)
                .allMatch(outcome -> outcome instanceof RecordOutcome.Abandoned);

        sent.get(0).delivered();
        assertThat(answers).hasSize(6);
        assertThat(keysSent()).as("nothing is sent once stopping").hasSize(1);
    }

    @Test
    void batchesAnsweredOutOfOrderGiveEachRecordItsOwnBatchsOutcome() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        Map<String, RecordOutcome> answers = new ConcurrentHashMap<>();
        for (String key : List.of("a", "b", "c", "d", "e", "f")) {
            batcher.handle(record(0, key)).subscribe().with(outcome -> answers.put(key, outcome));
        }
        sent.get(1).answeredWith(201);
        sent.get(0).answeredWith(200);

        assertThat(answers).hasSize(6);
        for (String key : List.of("a", "b", "c")) {
            assertThat(((BridgeOutcome.Delivered) answers.get(key)).status()).as(key).isEqualTo(200);
        }
        for (String key : List.of("d", "e", "f")) {
            assertThat(((BridgeOutcome.Delivered) answers.get(key)).status()).as(key).isEqualTo(201);
        }
    }

    @Test
    void withPartitionOrderingAPartitionSendsOneBatchAtATimeWhateverItsKeys() {
        Batcher batcher = batcher(Ordering.PARTITION, 8);
        handle(batcher, 0, "a", "b", "c", "d", "e", "f");
        assertThat(keysSent()).containsExactly(List.of("a", "b", "c"));

        sent.get(0).delivered();
        assertThat(keysSent()).containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"));
    }

    @Test
    void withoutOrderingBatchesSharingAKeyAreInFlightAtOnce() {
        Batcher batcher = batcher(Ordering.NONE, 8);
        handle(batcher, 0, "a", "b", "c", "a", "b", "c");

        assertThat(keysSent()).hasSize(2);
    }

    @Test
    void eachRecordOfABatchIsAnsweredWithItsBatchsOutcome() {
        Batcher batcher = batcher(Ordering.KEY, 8);
        List<RecordOutcome> answers = new CopyOnWriteArrayList<>();
        for (String key : List.of("a", "b", "c")) {
            batcher.handle(record(0, key)).subscribe().with(answers::add);
        }
        assertThat(answers).isEmpty();

        sent.get(0).delivered();
        assertThat(answers).hasSize(3).allMatch(outcome -> outcome instanceof BridgeOutcome.Delivered);
    }

    private Batcher batcher(Ordering ordering, int maxInFlight) {
        return batcher(ordering, maxInFlight, Duration.ofMinutes(1));
    }

    private Batcher batcher(Ordering ordering, int maxInFlight, Duration linger) {
        Subscription subscription = new Subscription("events", "http://127.0.0.1:1/hook", "POST", Map.of(), 3,
                Duration.ofSeconds(1), Optional.empty(), true, Optional.empty(), Duration.ofSeconds(30), ordering,
                maxInFlight, Optional.of(new Subscription.Batch(3, 65_536, linger)), Optional.empty());
        return new Batcher(subscription, 100, (records, body) -> {
            CompletableFuture<RecordOutcome> answer = new CompletableFuture<>();
            sent.add(new Sent(records.stream().map(InboundRecord::key).toList(), answer));
            return Uni.createFrom().completionStage(answer);
        }, vertx, stop);
    }

    private void handle(Batcher batcher, int partition, String... keys) {
        for (String key : keys) {
            batcher.handle(record(partition, key)).subscribe().with(outcome -> {
            });
        }
    }

    private InboundRecord record(int partition, String key) {
        return new InboundRecord("events", partition, offsets.getAndIncrement(), key,
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8), () -> CompletableFuture.completedFuture(null));
    }

    private List<List<String>> keysSent() {
        return sent.stream().map(Sent::keys).toList();
    }

    private static List<String> nulled(String... keys) {
        return Arrays.asList(keys);
    }
}
