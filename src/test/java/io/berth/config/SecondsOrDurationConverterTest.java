package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SecondsOrDurationConverterTest {

    final SecondsOrDurationConverter converter = new SecondsOrDurationConverter();

    @Test
    void readsPortAgentsSecondsWithOrWithoutDecimals() {
        assertThat(converter.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("7.5")).isEqualTo(Duration.ofMillis(7_500));
        assertThat(converter.convert(" 0.25 ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void readsQuarkusDurations() {
        assertThat(converter.convert("1500ms")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void mapsPortAgentsOffsetResetNames() {
        assertThat(ConfigurationProblems.offsetReset("largest")).isEqualTo("latest");
        assertThat(ConfigurationProblems.offsetReset("smallest")).isEqualTo("earliest");
        assertThat(ConfigurationProblems.offsetReset("EARLIEST")).isEqualTo("earliest");
        assertThat(ConfigurationProblems.offsetReset("sometimes")).isNull();
    }
}
