package io.berth.events.impl;

import java.util.Map;

import org.jboss.logging.Logger;

import io.berth.config.CommandMode;
import io.berth.config.KafkaClientConfig;
import io.berth.events.EventPublisher;
import io.berth.events.EventSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the publisher: Kafka when {@code BERTH_EVENTS_ENABLED=true}, with the connection Berth's
 * consumer uses (brokers, SASL), else nothing. Built at start-up, not on a run's first event: the
 * Kafka configuration may have to be fetched from Port, which must not happen on a handler's thread.
 */
@ApplicationScoped
final class EventsWiring {

    private static final Logger LOG = Logger.getLogger(EventsWiring.class);

    @Produces
    @ApplicationScoped
    @Startup
    EventPublisher publisher(EventSettings settings,
            @Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> connection, MeterRegistry registry) {
        if (!settings.enabled() || CommandMode.active()) {
            return EventPublisher.DISABLED;
        }
        LOG.infof("Lifecycle events on: %s.task.status, %s.task.completion", settings.topicPrefix(),
                settings.topicPrefix());
        return new KafkaEventPublisher(connection.get(), settings, registry);
    }

    /** After the runs have drained (their last events queued): lets the queue empty, then closes. */
    void close(@Disposes EventPublisher publisher) {
        if (publisher instanceof KafkaEventPublisher kafka) {
            kafka.close();
        }
    }
}
