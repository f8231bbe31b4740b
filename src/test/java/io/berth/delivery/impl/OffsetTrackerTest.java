package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    static final TopicPartition P0 = new TopicPartition("orders", 0);
    static final TopicPartition P1 = new TopicPartition("orders", 1);

    final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyBelowTheOldestUnfinishedRecord() {
        OffsetTracker.Progress p = tracker.started(P0, 10);
        tracker.started(P0, 11);
        tracker.started(P0, 12);
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(10));

        p.finished(11);
        assertThat(tracker.toCommit(null)).as("11 is done but 10 is not").isEmpty();

        p.finished(10);
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(12));

        p.finished(12);
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(13));
        assertThat(tracker.toCommit(null)).as("nothing new").isEmpty();
    }

    @Test
    void aFailedCommitIsOfferedAgain() {
        tracker.started(P0, 5).finished(5);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.toCommit(null);
        tracker.commitFailed(first);
        assertThat(tracker.toCommit(null)).isEqualTo(first);
    }

    @Test
    void aRevokedPartitionIsForgottenAndLateAcknowledgementsChangeNothing() {
        OffsetTracker.Progress old = tracker.started(P0, 7);
        tracker.started(P1, 3).finished(3);
        assertThat(tracker.toCommit(List.of(P1))).containsOnlyKeys(P1);

        tracker.forget(List.of(P0));
        old.finished(7);
        assertThat(tracker.toCommit(null)).isEmpty();
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void recordsFinishingInAnyOrderAreCommittedBelowTheOldestUnfinishedOneAndCountedInFlight() {
        OffsetTracker.Progress p = null;
        for (long offset = 0; offset < 1_000; offset++) {
            p = tracker.started(P0, offset);
        }
        assertThat(tracker.inFlight(P0)).isEqualTo(1_000);
        for (long offset = 999; offset >= 1; offset--) {
            assertThat(p.finished(offset)).as("left after %d", offset).isEqualTo((int) offset);
        }
        assertThat(tracker.toCommit(null)).as("0 is not done").containsEntry(P0, new OffsetAndMetadata(0));
        assertThat(p.finished(0)).isZero();
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(1_000));
    }

    @Test
    void anOffsetStartedAgainAfterASeekBackIsOneRecordInFlightAndOlderOffsetsGoFirst() {
        OffsetTracker.Progress p = tracker.started(P0, 20);
        tracker.started(P0, 21);
        tracker.started(P0, 15);
        tracker.started(P0, 20);
        assertThat(tracker.inFlight(P0)).isEqualTo(3);
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(15));

        assertThat(p.finished(15)).isEqualTo(2);
        assertThat(p.finished(15)).as("finished twice").isEqualTo(2);
        assertThat(tracker.toCommit(null)).containsEntry(P0, new OffsetAndMetadata(20));
        p.finished(20);
        p.finished(21);
        assertThat(tracker.toCommit(null)).as("one past the newest started").containsEntry(P0, new OffsetAndMetadata(22));
    }
}
