package io.berth.delivery.impl;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.berth.delivery.ConsumerRoster;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * A channel's rebalance listener that keeps its {@link ConsumerRoster.Member} up to date, then
 * hands each call on to {@code next} (the channel's own listener).
 */
public final class RosterRebalance implements KafkaConsumerRebalanceListener {

    private final ConsumerRoster.Member member;
    private final KafkaConsumerRebalanceListener next;
    private final Set<TopicPartition> owned = new HashSet<>();

    public RosterRebalance(ConsumerRoster.Member member, KafkaConsumerRebalanceListener next) {
        this.member = Objects.requireNonNull(member, "member");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        synchronized (owned) {
            owned.addAll(partitions);
            member.assigned(owned.size());
        }
        next.onPartitionsAssigned(consumer, partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        next.onPartitionsRevoked(consumer, partitions);
        synchronized (owned) {
            owned.removeAll(partitions);
            member.assigned(owned.size());
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        next.onPartitionsLost(consumer, partitions);
        synchronized (owned) {
            owned.removeAll(partitions);
            member.lost(owned.size());
        }
    }
}
