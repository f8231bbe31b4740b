package io.berth.events.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class EventSettingsCheckTest {

    @Test
    void acceptsTheDefaults() {
        assertThat(EventSettingsCheck.problems(new TestSettings(false, "berth", Duration.ofMinutes(5), 33554432, 10000)))
                .isEmpty();
    }

    @Test
    void namesEachVariableThatCannotWorkAndHowToFixIt() {
        assertThat(EventSettingsCheck.problems(new TestSettings(true, "my topics", Duration.ofMillis(100), 10, 0)))
                .satisfiesExactly(
                        prefix -> assertThat(prefix).startsWith("BERTH_EVENTS_TOPIC_PREFIX 'my topics' must be")
                                .contains("BERTH_EVENTS_TOPIC_PREFIX=berth"),
                        delivery -> assertThat(delivery).startsWith("BERTH_EVENTS_DELIVERY_TIMEOUT must be between 1s"),
                        buffer -> assertThat(buffer).startsWith("BERTH_EVENTS_BUFFER_MEMORY must be at least 1048576"),
                        queue -> assertThat(queue).isEqualTo("BERTH_EVENTS_QUEUE_CAPACITY must be at least 1, was 0"));
    }
}
