package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class OffsetsInFlightTest {

    final OffsetsInFlight<String> inFlight = new OffsetsInFlight<>();

    @Test
    void keepsOffsetsSortedWhateverOrderTheyArriveAndLeaveIn() {
        TreeMap<Long, String> expected = new TreeMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 5_000; step++) {
            long offset = random.nextInt(400);
            if (random.nextBoolean()) {
                inFlight.put(offset, "r" + offset);
                expected.put(offset, "r" + offset);
            } else {
                inFlight.remove(offset);
                expected.remove(offset);
            }
            assertThat(inFlight.size()).isEqualTo(expected.size());
            if (!expected.isEmpty()) {
                assertThat(inFlight.first()).isEqualTo(expected.firstKey());
            }
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < inFlight.size(); i++) {
            values.add(inFlight.valueAt(i));
        }
        assertThat(values).containsExactlyElementsOf(expected.values());
    }

    @Test
    void anOffsetPutAgainIsOneEntryStandingForTheNewerValue() {
        inFlight.put(20, "first");
        inFlight.put(20, "second");
        assertThat(inFlight.size()).isOne();
        assertThat(inFlight.valueAt(0)).isEqualTo("second");
    }

    @Test
    void removingAnOffsetForAValueItNoLongerStandsForLeavesIt() {
        String older = "older";
        String newer = "newer";
        inFlight.put(5, older);
        inFlight.put(5, newer);
        inFlight.remove(5, older);
        assertThat(inFlight.size()).isOne();
        inFlight.remove(5, newer);
        assertThat(inFlight.isEmpty()).isTrue();
    }

    @Test
    void growsPastItsFirstCapacityAndRemovingAnAbsentOffsetChangesNothing() {
        for (long offset = 0; offset < 1_000; offset++) {
            inFlight.put(offset, null);
        }
        inFlight.remove(5_000);
        assertThat(inFlight.size()).isEqualTo(1_000);
        assertThat(inFlight.first()).isZero();
    }
}
