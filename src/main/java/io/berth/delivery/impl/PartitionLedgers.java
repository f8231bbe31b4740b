package io.berth.delivery.impl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.berth.delivery.InboundRecord;

/**
 * The {@link PartitionLedger} of each partition a dispatcher has records of. A revoked partition's
 * ledger stays, revoked, until the partition is assigned again, so that a record of it arriving late
 * is withdrawn rather than started; a record already admitted keeps its own ledger to the end.
 */
final class PartitionLedgers {

    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();

    /** The record's partition's ledger, with the record in it. */
    PartitionLedger admit(InboundRecord record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionLedger ledger;
        synchronized (ledgers) {
            ledger = ledgers.computeIfAbsent(partition, PartitionLedger::new);
        }
        ledger.admit(record);
        return ledger;
    }

    /** Fresh ledgers for partitions this consumer now owns. */
    void assigned(Collection<TopicPartition> partitions) {
        synchronized (ledgers) {
            partitions.forEach(partition -> ledgers.put(partition, new PartitionLedger(partition)));
        }
    }

    /** The ledgers of partitions this consumer no longer owns, each marked revoked. */
    List<PartitionLedger> revoke(Collection<TopicPartition> partitions) {
        List<PartitionLedger> revoked = new ArrayList<>();
        synchronized (ledgers) {
            for (TopicPartition partition : partitions) {
                PartitionLedger ledger = ledgers.computeIfAbsent(partition, PartitionLedger::new);
                ledger.revoke();
                revoked.add(ledger);
            }
        }
        return revoked;
    }

    /** Every ledger: on shutdown every partition is given up. */
    List<PartitionLedger> all() {
        synchronized (ledgers) {
            return List.copyOf(ledgers.values());
        }
    }
}
