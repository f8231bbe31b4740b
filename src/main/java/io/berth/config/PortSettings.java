package io.berth.config;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Port organisation Berth works for. Set through port-agent's environment variables:
 * {@code PORT_ORG_ID}, {@code PORT_CLIENT_ID}, {@code PORT_CLIENT_SECRET}, {@code PORT_API_BASE_URL}.
 */
@ConfigMapping(prefix = "port")
public interface PortSettings {

    /** {@code PORT_ORG_ID}: names the topics ({@code {org}.runs}) and prefixes the consumer group. */
    Optional<String> orgId();

    /** {@code PORT_CLIENT_ID}. */
    Optional<String> clientId();

    /** {@code PORT_CLIENT_SECRET}: authenticates to Port, verifies signatures, decrypts inputs. */
    Optional<Secret> clientSecret();

    /** {@code PORT_API_BASE_URL}: Port's API (EU by default; US: {@code https://api.us.port.io}). */
    @WithDefault("https://api.port.io")
    URI apiBaseUrl();
}
