package io.berth.bridge.impl;

import java.util.Map;

import io.berth.bridge.OutboundAuth;
import io.berth.webhook.DirectWebhook;
import io.smallrye.mutiny.Uni;

/**
 * What a subscription adds to each request to authenticate (Debezium's HTTP sink shape: one small
 * interface, one implementation per scheme). Values are secrets: never logged.
 */
interface OutboundCredentials {

    /** The headers to add to the next request. Fails with an {@link java.io.IOException} when none can be had now. */
    Uni<Map<String, String>> headers();

    /**
     * The headers to add to the next request when they are at hand, without waiting (a static header,
     * none); null when they must be had through {@link #headers()}.
     */
    default Map<String, String> atHand() {
        return null;
    }

    /**
     * The webhook answered 401 to the headers last given: forget them.
     *
     * @return whether fresh ones may succeed, so that the request is worth sending once more at once
     */
    boolean rejected();

    OutboundCredentials NONE = new OutboundCredentials() {
        @Override
        public Uni<Map<String, String>> headers() {
            return Uni.createFrom().item(Map.of());
        }

        @Override
        public Map<String, String> atHand() {
            return Map.of();
        }

        @Override
        public boolean rejected() {
            return false;
        }
    };

    /** @param tokenCalls sends the token requests of OAuth2 client credentials */
    static OutboundCredentials of(java.util.Optional<OutboundAuth> auth, DirectWebhook tokenCalls) {
        if (auth.isEmpty()) {
            return NONE;
        }
        if (auth.get() instanceof OutboundAuth.StaticHeader header) {
            Map<String, String> headers = Map.of(header.name(), header.value().reveal());
            return new OutboundCredentials() {
                @Override
                public Uni<Map<String, String>> headers() {
                    return Uni.createFrom().item(headers);
                }

                @Override
                public Map<String, String> atHand() {
                    return headers;
                }

                @Override
                public boolean rejected() {
                    return false; // the same value would be refused again
                }
            };
        }
        return new ClientCredentialsTokens((OutboundAuth.ClientCredentials) auth.get(), tokenCalls,
                java.time.Clock.systemUTC());
    }
}
