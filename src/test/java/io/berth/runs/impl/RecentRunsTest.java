package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class RecentRunsTest {

    final RecentRuns runs = new RecentRuns(2);

    @Test
    void aRedeliveredRunWaitsForTheOriginalToEnd() {
        assertThat(runs.claim("r_1")).isEmpty();
        CompletableFuture<Boolean> original = runs.claim("r_1").orElseThrow();

        assertThat(original).isNotDone();
        runs.ended("r_1", true);
        assertThat(original).isCompletedWithValue(true);
        assertThat(runs.claim("r_1")).hasValueSatisfying(end -> assertThat(end).isCompletedWithValue(true));
    }

    @Test
    void anAbandonedRunIsForgottenSoThatItsRedeliveryIsHandled() {
        runs.claim("r_1");
        CompletableFuture<Boolean> waiting = runs.claim("r_1").orElseThrow();

        runs.ended("r_1", false);

        assertThat(waiting).isCompletedWithValue(false);
        assertThat(runs.claim("r_1")).isEmpty();
    }

    @Test
    void forgetsTheOldestEndedRunsButNeverOneInFlight() {
        runs.claim("r_in_flight");
        runs.claim("r_2");
        runs.ended("r_2", true);
        runs.claim("r_3");
        runs.ended("r_3", true);
        runs.claim("r_4");
        runs.ended("r_4", true);

        assertThat(runs.claim("r_in_flight")).isPresent();
        assertThat(runs.claim("r_2")).isEmpty();
    }
}
