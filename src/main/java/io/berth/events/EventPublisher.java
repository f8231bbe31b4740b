package io.berth.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.opentelemetry.context.Context;

/**
 * Sends events to Kafka without making the caller wait: {@link #publish} queues the event and
 * returns; delivery, its retries and its failures (logged, counted) happen elsewhere. Events
 * published one after another with the same key reach the topic in that order.
 */
public interface EventPublisher {

    /** What publishes when lifecycle events are off: nothing. */
    EventPublisher DISABLED = (topic, key, event) -> {
    };

    /** Queues {@code event} for {@code topic}, keyed by {@code key}. Never blocks, never throws. */
    void publish(String topic, String key, ObjectNode event);

    /**
     * The same, the record carrying {@code trace}'s W3C {@code traceparent} header (the run's span),
     * so that its consumers continue the run's trace. Publishers that keep no headers ignore it.
     */
    default void publish(String topic, String key, ObjectNode event, Context trace) {
        publish(topic, key, event);
    }
}
