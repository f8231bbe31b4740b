package io.berth.bridge;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import io.berth.config.Secret;

/**
 * How a subscription authenticates to its webhook (what the Kafka Connect HTTP sinks offer): a
 * static header whose value comes from an environment variable, or OAuth2 client credentials.
 * Values are {@link Secret}s: they print as {@code ***}.
 */
public sealed interface OutboundAuth {

    /**
     * {@code "auth": {"header": {"name": "Authorization", "env": "ORDERS_TOKEN"}}}.
     *
     * @param variable the environment variable the value was read from, for messages
     */
    record StaticHeader(String name, Secret value, String variable) implements OutboundAuth {
        public StaticHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(variable, "variable");
        }
    }

    /**
     * {@code "auth": {"oauth2": {"tokenUrl", "clientId", "clientSecret", "scope"}}}: a token from
     * {@code tokenUrl} (RFC 6749 §4.4), cached until shortly before it expires and fetched again
     * when the webhook answers 401.
     */
    record ClientCredentials(URI tokenUrl, String clientId, Secret clientSecret, Optional<String> scope)
            implements OutboundAuth {
        public ClientCredentials {
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(scope, "scope");
        }
    }
}
