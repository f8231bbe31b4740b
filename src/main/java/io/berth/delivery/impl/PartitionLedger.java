package io.berth.delivery.impl;

import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

import io.berth.delivery.InboundRecord;

/**
 * What the dispatcher holds of one partition while this consumer owns it: the records whose outcome
 * is not known yet, those that ended uncommitted, and one past the last record that ended committable.
 * From them it knows which records a revocation must wait for, and the offset that is safe to commit.
 *
 * <pre>
 *  offsets:   40 41 42 43 44 45 46
 *  outcome:    ✓  ✓  …  ✓  ✗  …  ✓     ✓ committable  … in flight  ✗ ended uncommitted (abandoned)
 *  commit:          42                 the lowest offset whose outcome is not safe; 47 when every one is
 * </pre>
 */
final class PartitionLedger {

    private final TopicPartition partition;
    private final OffsetsInFlight<InboundRecord> inFlight = new OffsetsInFlight<>();
    private final NavigableSet<Long> uncommitted = new TreeSet<>();
    private long afterLastCommittable = -1;
    private boolean revoked;

    PartitionLedger(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** A record has arrived; once its partition is revoked it is withdrawn at once: it belongs to the next owner. */
    synchronized void admit(InboundRecord record) {
        inFlight.put(record.offset(), record);
        if (revoked) {
            record.withdraw();
        }
    }

    /** The record's outcome is known. */
    synchronized void settle(InboundRecord record, boolean committable) {
        inFlight.remove(record.offset(), record);
        if (committable) {
            afterLastCommittable = Math.max(afterLastCommittable, record.offset() + 1);
        } else {
            uncommitted.add(record.offset());
        }
    }

    /** From now on the partition is another consumer's: no record of it may start. */
    synchronized void revoke() {
        revoked = true;
    }

    /**
     * Withdraws every record in flight that has not started, and counts those that have: a revocation
     * waits until none is left.
     */
    synchronized int withdrawWaitingAndCountStarted() {
        int started = 0;
        for (int i = 0; i < inFlight.size(); i++) {
            if (!inFlight.valueAt(i).withdraw()) {
                started++;
            }
        }
        return started;
    }

    /** The offset to commit: below every record that is in flight or ended uncommitted; empty before any outcome. */
    synchronized OptionalLong committableOffset() {
        long lowestUnsafe = Long.MAX_VALUE;
        if (!inFlight.isEmpty()) {
            lowestUnsafe = inFlight.first();
        }
        if (!uncommitted.isEmpty()) {
            lowestUnsafe = Math.min(lowestUnsafe, uncommitted.first());
        }
        if (lowestUnsafe != Long.MAX_VALUE) {
            return OptionalLong.of(lowestUnsafe);
        }
        return afterLastCommittable < 0 ? OptionalLong.empty() : OptionalLong.of(afterLastCommittable);
    }
}
