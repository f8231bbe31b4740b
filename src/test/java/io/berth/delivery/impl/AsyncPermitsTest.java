package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Records in flight are bounded by count and by bytes, and none waits forever. */
class AsyncPermitsTest {

    final List<AsyncPermits.Permit> granted = new ArrayList<>();

    void acquire(AsyncPermits permits, long bytes) {
        permits.acquire(bytes).subscribe().with(granted::add);
    }

    @Test
    void holdsBackARecordThatWouldTakeTheBytesInFlightPastTheBudget() {
        AsyncPermits permits = new AsyncPermits(10, 1_000);
        acquire(permits, 600);
        acquire(permits, 300);
        acquire(permits, 200);

        assertThat(granted).hasSize(2);
        assertThat(permits.bytesInUse()).isEqualTo(900);

        granted.get(0).release();
        assertThat(granted).hasSize(3);
        assertThat(permits.bytesInUse()).isEqualTo(500);
    }

    @Test
    void holdsBackRecordsPastTheCountWhateverTheirSize() {
        AsyncPermits permits = new AsyncPermits(2, 1_000_000);
        acquire(permits, 1);
        acquire(permits, 1);
        acquire(permits, 1);

        assertThat(granted).hasSize(2);
        granted.get(1).release();
        assertThat(granted).hasSize(3);
        assertThat(permits.inUse()).isEqualTo(2);
    }

    @Test
    void letsARecordLargerThanTheWholeBudgetRunAloneOnceTheOthersHaveEnded() {
        AsyncPermits permits = new AsyncPermits(10, 1_000);
        acquire(permits, 400);
        acquire(permits, 5_000);
        acquire(permits, 10);

        assertThat(granted).hasSize(1);
        granted.get(0).release();
        // Alone now: the large record runs; the small one behind it waits its turn.
        assertThat(granted).hasSize(2);
        assertThat(permits.bytesInUse()).isEqualTo(5_000);
        granted.get(1).release();
        assertThat(granted).hasSize(3);
        assertThat(permits.inUse()).isEqualTo(1);
    }

    @Test
    void admitsEveryWaiterThatFitsWhenALargeRecordEnds() {
        AsyncPermits permits = new AsyncPermits(10, 1_000);
        acquire(permits, 900);
        acquire(permits, 300);
        acquire(permits, 300);
        acquire(permits, 300);
        acquire(permits, 300);

        granted.get(0).release();
        assertThat(granted).hasSize(4);
        assertThat(permits.bytesInUse()).isEqualTo(900);
    }

    @Test
    void forgetsAWaiterThatGaveUpSoItsPermitIsNotLost() {
        AsyncPermits permits = new AsyncPermits(1, 1_000);
        acquire(permits, 10);
        permits.acquire(10).subscribe().with(granted::add).cancel();
        acquire(permits, 10);

        granted.get(0).release();
        assertThat(granted).hasSize(2);
        assertThat(permits.inUse()).isEqualTo(1);
    }

    @Test
    void refusesToReleaseAPermitTwice() {
        AsyncPermits permits = new AsyncPermits(2, 1_000);
        AsyncPermits.Permit permit = permits.acquire(10).await().indefinitely();
        permit.release();

        assertThatThrownBy(permit::release).isInstanceOf(IllegalStateException.class);
        assertThat(permits.inUse()).isZero();
    }

    @Test
    void neverBlocksTheCallerWhileWaiting() {
        AsyncPermits permits = new AsyncPermits(1, 1_000);
        acquire(permits, 10);
        Uni<AsyncPermits.Permit> waiting = permits.acquire(10);

        assertThat(waiting.subscribe().asCompletionStage()).isNotDone();
    }
}
