package io.berth.outbound;

import java.util.Objects;
import java.util.Optional;

import io.berth.config.Secret;

/**
 * An HTTP proxy from {@code HTTP_PROXY}, {@code HTTPS_PROXY} or {@code ALL_PROXY}.
 *
 * @param variable the variable it came from, for messages
 * @param username from the url's user info, percent-decoded as requests decodes it
 */
public record ProxyAddress(String host, int port, Optional<String> username, Optional<Secret> password,
        String variable) {

    public ProxyAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(variable, "variable");
    }

    /** The proxy as log lines may show it: without its credentials. */
    @Override
    public String toString() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + " (" + variable + ")";
    }
}
