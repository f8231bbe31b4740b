package io.berth.triggers;

import java.util.Map;

import io.berth.delivery.RecordDispatcher;

/**
 * The triggers whose records are pushed to Berth over HTTP ({@code io.berth.cloudevents}) instead of
 * consumed: each trigger's own dispatcher, by the topic it reads, so that a pushed record goes through
 * the same delivery core (target, retries, dead-letter topic) as a consumed one. Empty unless
 * {@code BERTH_CLOUDEVENTS_ENABLED=true}, when no trigger starts a Kafka consumer of its own.
 */
public interface PushedTriggers {

    /** Each pushed trigger's dispatcher by its topic; ready once Berth has started. */
    Map<String, RecordDispatcher> dispatchersByTopic();
}
