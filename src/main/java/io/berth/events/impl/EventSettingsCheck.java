package io.berth.events.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.berth.config.StartupRefusals;
import io.berth.events.EventSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Stops start-up when the lifecycle events' settings cannot work; says which variable and how. */
@ApplicationScoped
final class EventSettingsCheck {

    /** Kafka topic names: letters, digits, '.', '_', '-', at most 249 characters with the suffixes. */
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final long MIN_BUFFER = 1024 * 1024;

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, EventSettings settings) {
        List<String> problems = problems(settings);
        StartupRefusals.refuse(problems); // validate records them and goes on
    }

    static List<String> problems(EventSettings settings) {
        List<String> problems = new ArrayList<>();
        if (!TOPIC_PREFIX.matcher(settings.topicPrefix()).matches()) {
            problems.add("BERTH_EVENTS_TOPIC_PREFIX '" + settings.topicPrefix() + "' must be 1 to 200 letters, digits, "
                    + "'.', '_' or '-' (it starts Kafka topic names), e.g. BERTH_EVENTS_TOPIC_PREFIX=berth");
        }
        Duration delivery = settings.deliveryTimeout();
        if (delivery.compareTo(Duration.ofSeconds(1)) < 0 || delivery.toMillis() > Integer.MAX_VALUE) {
            problems.add("BERTH_EVENTS_DELIVERY_TIMEOUT must be between 1s and 24d, was " + delivery
                    + ", e.g. BERTH_EVENTS_DELIVERY_TIMEOUT=5m");
        }
        if (settings.bufferMemory() < MIN_BUFFER) {
            problems.add("BERTH_EVENTS_BUFFER_MEMORY must be at least " + MIN_BUFFER + " bytes, was "
                    + settings.bufferMemory());
        }
        if (settings.queueCapacity() < 1) {
            problems.add("BERTH_EVENTS_QUEUE_CAPACITY must be at least 1, was " + settings.queueCapacity());
        }
        return problems;
    }
}
