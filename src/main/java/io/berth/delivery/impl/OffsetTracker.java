package io.berth.delivery.impl;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offset of each assigned partition may be committed, when records finish out of order.
 * The consumer's thread starts records; acknowledgements arrive from any thread.
 *
 * <pre>
 *  partition 0   offset  10   11   12   13   14  │ 15 16 ...
 *                state   done done  …   done  …  │ not started (still in the backlog, or not polled)
 *                                   ▲
 *                committable = 12: the oldest unfinished offset. 13 is done but waits for 12;
 *                with nothing unfinished it is one past the newest started offset (15).
 * </pre>
 *
 * A restart resumes at the committable offset: 13 is delivered again (at least once), nothing is
 * skipped. Unfinished offsets are held in {@link OffsetsInFlight}, whose size is bounded by the
 * records in flight (the consumer's bounds). A revoked partition is forgotten: acknowledgements
 * still arriving for it land on the detached {@link Progress} and change nothing.
 */
final class OffsetTracker {

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    /** One partition's records between the last commit and the newest started one. */
    static final class Progress {

        private final OffsetsInFlight<Void> unfinished = new OffsetsInFlight<>();
        private long next = -1;
        private long committed = -1;

        synchronized void started(long offset) {
            unfinished.put(offset, null);
            next = Math.max(next, offset + 1);
        }

        /** @return the records still unfinished after this one */
        synchronized int finished(long offset) {
            unfinished.remove(offset);
            return unfinished.size();
        }

        /** The offset to commit, or -1 when nothing new is committable. */
        synchronized long committable() {
            if (next < 0) {
                return -1;
            }
            long position = unfinished.isEmpty() ? next : unfinished.first();
            return position > committed ? position : -1;
        }

        synchronized void committed(long offset) {
            committed = Math.max(committed, offset);
        }

        synchronized void commitFailed(long offset) {
            if (committed == offset) {
                committed = -1;
            }
        }

        synchronized int inFlight() {
            return unfinished.size();
        }
    }

    /** Registers {@code offset} as started; the returned progress is the one to tell when it ends. */
    synchronized Progress started(TopicPartition partition, long offset) {
        Progress progress = partitions.computeIfAbsent(partition, p -> new Progress());
        progress.started(offset);
        return progress;
    }

    /** What to commit now for {@code only} (all assigned partitions when null), marked as committed. */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, progress) -> {
            if (only != null && !only.contains(partition)) {
                return;
            }
            long offset = progress.committable();
            if (offset >= 0) {
                progress.committed(offset);
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    /** A commit that failed is tried again at the next {@link #toCommit}. */
    synchronized void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.commitFailed(offset.offset());
            }
        });
    }

    synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    synchronized int inFlight() {
        return partitions.values().stream().mapToInt(Progress::inFlight).sum();
    }

    /** Records of {@code partition} started and not finished yet. */
    synchronized int inFlight(TopicPartition partition) {
        Progress progress = partitions.get(partition);
        return progress == null ? 0 : progress.inFlight();
    }
}
