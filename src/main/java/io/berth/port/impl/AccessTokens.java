package io.berth.port.impl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.berth.port.TokenObserver;
import io.smallrye.mutiny.Uni;

/**
 * Port's access token, fetched once and shared until shortly before it expires.
 *
 * <p>Why not quarkus-oidc-client: Port's token call is not OAuth2. It takes a JSON body
 * ({@code {"clientId","clientSecret"}}), not the form-encoded grant the OIDC client sends, and
 * answers {@code accessToken}/{@code expiresIn} instead of {@code access_token}/{@code expires_in}.
 * The OIDC client could be bent to it with a request filter rewriting the body, discovery turned
 * off and custom property names; this class is shorter than that configuration and says what it does.
 *
 * <pre>
 *  token() ──► cached & fresh? ── yes ──► value
 *                  │ no
 *                  ▼
 *           one fetch in flight (memoized Uni, shared by every caller)
 *                  │ fails ──► forgotten, so that the next caller fetches again
 *                  ▼
 *           cached until expiresAt - refreshMargin
 * </pre>
 *
 * A 401 on a call means Port revoked the token: {@link #invalidate(String)} forgets exactly that
 * token, so concurrent callers that saw the same 401 trigger a single new fetch.
 */
final class AccessTokens {

    /** A token and the instant it stops being used. */
    record Token(String value, Instant refreshAt) {
        @Override
        public String toString() {
            return "Token[***, refreshAt=" + refreshAt + "]";
        }
    }

    private final Supplier<Uni<TokenGrant>> fetch;
    private final Duration refreshMargin;
    private final Clock clock;
    private final AtomicReference<Uni<Token>> current = new AtomicReference<>();
    private final TokenObserver observer;
    private final AtomicBoolean fetchedOnce = new AtomicBoolean();

    /** What Port granted: the token and its lifetime. */
    record TokenGrant(String accessToken, Duration expiresIn) {
        @Override
        public String toString() {
            return "TokenGrant[***, expiresIn=" + expiresIn + "]";
        }
    }

    AccessTokens(Supplier<Uni<TokenGrant>> fetch, Duration refreshMargin, Clock clock) {
        this(fetch, refreshMargin, clock, TokenObserver.NONE);
    }

    /** @param observer told of each fetch (one per memoized fetch, however many callers share it) */
    AccessTokens(Supplier<Uni<TokenGrant>> fetch, Duration refreshMargin, Clock clock, TokenObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token valid for at least the refresh margin. */
    Uni<String> token() {
        return Uni.createFrom().deferred(() -> {
            Uni<Token> cached = current.get();
            Uni<Token> source = cached == null ? refresh(null) : cached;
            return source.onItem().transformToUni(token -> clock.instant().isBefore(token.refreshAt())
                    ? Uni.createFrom().item(token.value())
                    : refresh(source).map(Token::value));
        });
    }

    /** Forgets {@code value} if it is still the cached token: Port answered 401 with it. */
    void invalidate(String value) {
        Uni<Token> cached = current.get();
        if (cached == null) {
            return;
        }
        cached.subscribe().with(token -> {
            if (token.value().equals(value)) {
                current.compareAndSet(cached, null);
            }
        }, failure -> current.compareAndSet(cached, null));
    }

    private Uni<Token> refresh(Uni<Token> stale) {
        boolean renewal = fetchedOnce.get();
        Uni<Token> fresh = Uni.createFrom().deferred(fetch::get)
                .map(grant -> new Token(grant.accessToken(), refreshInstant(grant.expiresIn())))
                .invoke(token -> {
                    fetchedOnce.set(true);
                    observer.fetched(renewal);
                })
                .onFailure().invoke(failure -> observer.failed(renewal, failure))
                .memoize().indefinitely();
        Uni<Token> winner = current.compareAndSet(stale, fresh) ? fresh : current.get();
        if (winner == null) {
            // Another caller invalidated in between: take ours.
            current.compareAndSet(null, fresh);
            winner = current.get();
        }
        Uni<Token> chosen = winner;
        return chosen.onFailure().invoke(() -> current.compareAndSet(chosen, null));
    }

    private Instant refreshInstant(Duration expiresIn) {
        // Never refresh sooner than half the lifetime, whatever the margin: a short-lived token
        // must still serve more than one call.
        Duration margin = refreshMargin.compareTo(expiresIn.dividedBy(2)) > 0 ? expiresIn.dividedBy(2) : refreshMargin;
        return clock.instant().plus(expiresIn).minus(margin);
    }
}
