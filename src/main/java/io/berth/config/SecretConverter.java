package io.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads a configuration value into a {@link Secret}. */
public final class SecretConverter implements Converter<Secret> {

    private static final long serialVersionUID = 1L;

    @Override
    public Secret convert(String value) {
        return value == null || value.isEmpty() ? null : Secret.of(value);
    }
}
