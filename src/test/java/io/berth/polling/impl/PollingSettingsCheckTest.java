package io.berth.polling.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.berth.config.Streamer;

/** Bad POLLING_* values and STREAMER_NAME stop start-up with the variable and a value that works. */
class PollingSettingsCheckTest {

    @Test
    void acceptsPortAgentsDefaults() {
        assertThat(PollingSettingsCheck.problems(TestPollingSettings.defaults())).isEmpty();
    }

    @Test
    void refusesEachValueThatCannotWorkNamingItsVariable() {
        TestPollingSettings bad = new TestPollingSettings(Duration.ZERO, 0, Duration.ZERO, Duration.ofSeconds(-1), 0.5,
                1.5, Duration.ZERO);

        assertThat(PollingSettingsCheck.problems(bad)).containsExactly(
                "POLLING_INTERVAL_SECONDS must be longer than zero, was 0.0 s: set e.g. POLLING_INTERVAL_SECONDS=10",
                "POLLING_RUNS_BATCH_SIZE must be at least 1, was 0: set e.g. POLLING_RUNS_BATCH_SIZE=100",
                "POLLING_INITIAL_BACKOFF_SECONDS must be longer than zero, was 0.0 s: set e.g. "
                        + "POLLING_INITIAL_BACKOFF_SECONDS=1",
                "POLLING_MAX_BACKOFF_SECONDS (-1.0 s) must not be shorter than POLLING_INITIAL_BACKOFF_SECONDS (0.0 s): "
                        + "set e.g. POLLING_MAX_BACKOFF_SECONDS=300",
                "POLLING_BACKOFF_FACTOR must be at least 1 (1 keeps the pause constant), was 0.5: set e.g. "
                        + "POLLING_BACKOFF_FACTOR=2.0",
                "POLLING_BACKOFF_JITTER_FACTOR (or POLLING_JITTER_FACTOR) must be from 0 to 1, was 1.5: set e.g. "
                        + "POLLING_BACKOFF_JITTER_FACTOR=0.1",
                "POLLING_MAX_FAILURE_DURATION_SECONDS must be longer than zero, was 0.0 s: set e.g. "
                        + "POLLING_MAX_FAILURE_DURATION_SECONDS=3600");
    }

    @Test
    void readsStreamerNamesInAnyCaseAndRefusesOthersNamingTheAllowedValues() {
        assertThat(Streamer.parse(" polling ")).contains(Streamer.POLLING);
        assertThat(Streamer.parse("KAFKA")).contains(Streamer.KAFKA);
        assertThat(Streamer.parse("WEBHOOK")).isEmpty();
        assertThat(Streamer.problem("WEBHOOK")).isEqualTo("STREAMER_NAME must be KAFKA (the runs topic, the default) "
                + "or POLLING (claim runs from Port's API, no Kafka), was 'WEBHOOK'");
    }
}
