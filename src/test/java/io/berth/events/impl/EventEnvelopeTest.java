package io.berth.events.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    @Test
    void writesTimestampsAsIsoUtcWithMicrosecondsAndZ() {
        assertThat(EventEnvelope.timestamp(Instant.parse("2024-07-09T14:25:30.123456789Z")))
                .isEqualTo("2024-07-09T14:25:30.123456Z");
        assertThat(EventEnvelope.timestamp(Instant.parse("2024-07-09T14:35:00Z"))).isEqualTo("2024-07-09T14:35:00.000000Z");
    }
}
