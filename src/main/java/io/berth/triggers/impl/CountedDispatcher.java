package io.berth.triggers.impl;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.berth.delivery.PolledConsumer;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;

/**
 * A pushed trigger's dispatcher: tells the trigger's activity of each record taken, as its consumer
 * would, so that its records in flight still count up before their outcomes count them down.
 */
final class CountedDispatcher implements RecordDispatcher {

    private final RecordDispatcher dispatcher;
    private final PolledConsumer.Activity activity;

    CountedDispatcher(RecordDispatcher dispatcher, PolledConsumer.Activity activity) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    @Override
    public Uni<Void> dispatch(InboundRecord record) {
        activity.taken();
        return dispatcher.dispatch(record);
    }

    @Override
    public void drain() {
        dispatcher.drain();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        dispatcher.assigned(partitions);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> partitions, Duration bound) {
        return dispatcher.revoke(partitions, bound);
    }
}
