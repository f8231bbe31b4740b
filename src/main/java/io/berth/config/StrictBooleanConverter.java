package io.berth.config;

import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A boolean that is {@code true} or {@code false} (any case) and nothing else. SmallRye's own
 * converter reads any other text, a typo such as {@code ture} included, as false: for a setting like
 * {@code WEBHOOK_VERIFY_SSL} that fails open, so the typo stops start-up instead.
 */
public final class StrictBooleanConverter implements Converter<Boolean> {

    private static final long serialVersionUID = 1L;

    @Override
    public Boolean convert(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false, was '" + value + "'");
        };
    }
}
