package io.berth.bridge.impl;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.bridge.OutboundAuth;
import io.berth.webhook.DirectWebhook;
import io.berth.webhook.WebhookResponse;
import io.smallrye.mutiny.Uni;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a bearer token fetched from the token url with the
 * client id and secret in HTTP Basic (§2.3.1), cached until shortly before {@code expires_in} says
 * it ends, and fetched again when the webhook answers 401. Concurrent requests share one fetch.
 *
 * <pre>
 *  headers() ─ cached token still valid? ─► {Authorization: Bearer token}
 *            └ no ─► one POST grant_type=client_credentials[&amp;scope=..] shared by every caller
 *                     ├─ 200 {access_token, expires_in} ─► cached until expires_in − margin
 *                     └─ anything else ─► TokenUnavailable (an IOException: the attempt is retried)
 *  rejected() (a 401) ─► the cached token is forgotten
 * </pre>
 *
 * The secret and the token appear in no message: a refused token request says only its status.
 */
final class ClientCredentialsTokens implements OutboundCredentials {

    /** Tokens are renewed this long before they expire, or at half their life when shorter. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    /** A token answer without {@code expires_in}: kept this long. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final OutboundAuth.ClientCredentials credentials;
    private final DirectWebhook calls;
    private final Clock clock;
    private Token token;
    private Uni<Token> fetching;

    ClientCredentialsTokens(OutboundAuth.ClientCredentials credentials, DirectWebhook calls, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** No token could be had: the attempt failed without reaching the webhook, and may be retried. */
    static final class TokenUnavailable extends IOException {
        private static final long serialVersionUID = 1L;

        TokenUnavailable(String message) {
            super(message);
        }
    }

    private record Token(String value, Instant renewAt) {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    @Override
    public Uni<Map<String, String>> headers() {
        return current().map(t -> Map.of("Authorization", "Bearer " + t.value()));
    }

    @Override
    public synchronized boolean rejected() {
        token = null;
        return true;
    }

    private synchronized Uni<Token> current() {
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return Uni.createFrom().item(token);
        }
        if (fetching == null) {
            fetching = fetch().onItemOrFailure().invoke((fetched, failure) -> {
                synchronized (this) {
                    if (fetched != null) {
                        token = fetched;
                    }
                    fetching = null;
                }
            }).memoize().indefinitely();
        }
        return fetching;
    }

    private Uni<Token> fetch() {
        String basic = Base64.getEncoder().encodeToString((form(credentials.clientId()) + ":"
                + form(credentials.clientSecret().reveal())).getBytes(StandardCharsets.UTF_8));
        String body = "grant_type=client_credentials" + credentials.scope().map(s -> "&scope=" + form(s)).orElse("");
        Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Accept", "application/json", "Authorization", "Basic " + basic);
        String where = "the token url " + DirectWebhook.safeUrl(credentials.tokenUrl().toString());
        return Uni.createFrom().deferred(() -> calls.sendOnce("POST", credentials.tokenUrl().toString(), headers,
                body.getBytes(StandardCharsets.UTF_8)))
                .onFailure().transform(failure -> new TokenUnavailable(where + " did not answer: "
                        + calls.reason(failure)))
                .onItem().transformToUni(answer -> token(answer, where));
    }

    private Uni<Token> token(WebhookResponse answer, String where) {
        JsonNode json = answer.json();
        if (answer.statusCode() != 200 || json == null || !json.path("access_token").isTextual()
                || json.get("access_token").textValue().isBlank()) {
            return Uni.createFrom().failure(new TokenUnavailable(where + " answered " + answer.statusCode()
                    + (answer.statusCode() == 200 ? " without an access_token" : "")));
        }
        Duration lifetime = json.path("expires_in").canConvertToLong() && json.get("expires_in").asLong() > 0
                ? Duration.ofSeconds(json.get("expires_in").asLong()) : DEFAULT_LIFETIME;
        Duration margin = MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? MARGIN : lifetime.dividedBy(2);
        return Uni.createFrom().item(new Token(json.get("access_token").textValue(),
                clock.instant().plus(lifetime).minus(margin)));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
