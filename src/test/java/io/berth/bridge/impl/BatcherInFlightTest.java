package io.berth.bridge.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.bridge.Subscription;
import io.berth.delivery.Ordering;

/**
 * How far ahead a batched subscription reads: one batch beyond what its partition sends at once.
 * A record read further ahead would only wait, long enough to be copied to the old generation.
 */
class BatcherInFlightTest {

    private static final Subscription.Batch HUNDRED = new Subscription.Batch(100, 65_536, Duration.ofMillis(5));

    @Test
    void withKeyOrPartitionOrderingAPartitionReadsOneBatchAheadOfTheOneInFlight() {
        // With key ordering the one read ahead may leave before the other ends (BatcherOrderingTest).
        assertEquals(200, Batcher.recordsInFlightPerPartition(subscription(Ordering.KEY, 50, Optional.of(HUNDRED))));
        assertEquals(200, Batcher.recordsInFlightPerPartition(subscription(Ordering.PARTITION, 50, Optional.of(HUNDRED))));
    }

    @Test
    void withoutOrderingAPartitionHoldsMaxInFlightBatchesAndOneFilling() {
        assertEquals(5_100, Batcher.recordsInFlightPerPartition(subscription(Ordering.NONE, 50, Optional.of(HUNDRED))));
    }

    @Test
    void withoutBatchingAPartitionHoldsMaxInFlightRecords() {
        assertEquals(50, Batcher.recordsInFlightPerPartition(subscription(Ordering.KEY, 50, Optional.empty())));
    }

    @Test
    void overEveryPartitionTheDispatcherHoldsConcurrencyFullBatchesOfRecordsAndOfBytes() {
        Subscription batched = subscription(Ordering.KEY, 50, Optional.of(HUNDRED));
        assertEquals(1_000, Batcher.recordsInFlight(batched, 10));
        assertEquals(655_360, Batcher.bytesInFlight(batched, 10));
        assertEquals(10, Batcher.recordsInFlight(subscription(Ordering.KEY, 50, Optional.empty()), 10));
    }

    private static Subscription subscription(Ordering ordering, int maxInFlight, Optional<Subscription.Batch> batch) {
        return new Subscription("events", "http://127.0.0.1:1/hook", "POST", Map.of(), 3, Duration.ofSeconds(1),
                Optional.empty(), true, Optional.empty(), Duration.ofSeconds(30), ordering, maxInFlight, batch,
                Optional.empty());
    }
}
