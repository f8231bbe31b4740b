package io.berth.config;

import java.math.BigDecimal;
import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Reads a duration the way port-agent writes one, a number of seconds that may have decimals
 * ({@code 30}, {@code 7.5}), or the Quarkus way ({@code 1500ms}, {@code 2m}, {@code PT30S}).
 */
public final class SecondsOrDurationConverter implements Converter<Duration> {

    private static final long serialVersionUID = 1L;

    @Override
    public Duration convert(String value) {
        String trimmed = value.trim();
        try {
            BigDecimal seconds = new BigDecimal(trimmed);
            return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            return DurationConverter.parseDuration(trimmed);
        }
    }
}
