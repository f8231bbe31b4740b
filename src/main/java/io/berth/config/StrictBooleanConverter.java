package io.berth.config;

import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

import jakarta.annotation.Priority;

/**
 * Reads every boolean setting as {@code true} or {@code false} only (any case). The default
 * converter reads anything else as false, so a typo such as {@code WEBHOOK_VERIFY_SSL=ture} would
 * silently turn certificate checks off; this one stops start-up with the property and the fix.
 */
@Priority(200)
public final class StrictBooleanConverter implements Converter<Boolean> {

    private static final long serialVersionUID = 1L;

    @Override
    public Boolean convert(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        return switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + trimmed + "' is not a boolean: write true or false");
        };
    }
}
