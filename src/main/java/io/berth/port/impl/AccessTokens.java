package io.berth.port.impl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 *           one fetch in flight (a future, shared by every caller)
 *                  │ fails ──► forgotten, so that the next caller fetches again
 *                  ▼
 *           cached until expiresAt - refreshMargin
 * </pre>
 *
 * A 401 on a call means Port revoked the token: {@link #invalidate(String)} forgets exactly that
 * token, so concurrent callers that saw the same 401 trigger a single new fetch.
 *
 * <p>Why a future and not a memoized {@code Uni}: Mutiny's context propagation gives each operator
 * the contexts current where it was assembled. A memoized {@code Uni} shared by every caller kept
 * those of the call that first fetched (at start-up, a CDI request context since destroyed), and
 * re-entering them on every later call left a new request context active on the caller's Vert.x
 * context: every Port call after a run's first then looked up the REST client's incoming headers
 * (an exception thrown and caught per call). Each caller now assembles its own wait.
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
    /** The fetch in flight or done; null before the first and after a failed one or a 401. */
    private final AtomicReference<CompletableFuture<Token>> current = new AtomicReference<>();
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

    /** @param observer told of each fetch (one per fetch, however many callers share it) */
    AccessTokens(Supplier<Uni<TokenGrant>> fetch, Duration refreshMargin, Clock clock, TokenObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token valid for at least the refresh margin. */
    Uni<String> token() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Token> cached = current.get();
            Token ready = cached != null && cached.isDone() && !cached.isCompletedExceptionally() ? cached.join() : null;
            if (ready != null && clock.instant().isBefore(ready.refreshAt())) {
                return Uni.createFrom().item(ready.value()); // the common case: nothing to wait for
            }
            CompletableFuture<Token> source = cached == null ? refresh(null) : cached;
            return waitFor(source).onItem().transformToUni(token -> clock.instant().isBefore(token.refreshAt())
                    ? Uni.createFrom().item(token.value())
                    : waitFor(refresh(source)).map(Token::value));
        });
    }

    /** Forgets {@code value} if it is still the cached token: Port answered 401 with it. */
    void invalidate(String value) {
        CompletableFuture<Token> cached = current.get();
        if (cached == null) {
            return;
        }
        cached.whenComplete((token, failure) -> {
            if (failure != null || token.value().equals(value)) {
                current.compareAndSet(cached, null);
            }
        });
    }

    /**
     * The cached fetch, or a new one if {@code stale} is still what is cached. A failed fetch is
     * forgotten before its waiters hear of it, so that their next call fetches again.
     */
    private CompletableFuture<Token> refresh(CompletableFuture<Token> stale) {
        CompletableFuture<Token> fresh = new CompletableFuture<>();
        CompletableFuture<Token> expected = stale;
        while (!current.compareAndSet(expected, fresh)) {
            CompletableFuture<Token> other = current.get();
            if (other != null) {
                return other; // another caller's fetch: share it
            }
            expected = null; // invalidated in between: ours goes in its place
        }
        boolean renewal = fetchedOnce.get();
        Uni.createFrom().deferred(fetch::get).subscribe().with(grant -> {
            Token token = new Token(grant.accessToken(), refreshInstant(grant.expiresIn()));
            fetchedOnce.set(true);
            observer.fetched(renewal);
            fresh.complete(token);
        }, failure -> {
            current.compareAndSet(fresh, null);
            observer.failed(renewal, failure);
            fresh.completeExceptionally(failure);
        });
        return fresh;
    }

    /**
     * A caller's own view of the shared fetch: assembled on the caller's side, so that its callbacks
     * carry the caller's context, and a copy, so that a caller giving up cancels only its wait.
     */
    private static Uni<Token> waitFor(CompletableFuture<Token> fetch) {
        return Uni.createFrom().completionStage(fetch.copy());
    }

    private Instant refreshInstant(Duration expiresIn) {
        // Never refresh sooner than half the lifetime, whatever the margin: a short-lived token
        // must still serve more than one call.
        Duration margin = refreshMargin.compareTo(expiresIn.dividedBy(2)) > 0 ? expiresIn.dividedBy(2) : refreshMargin;
        return clock.instant().plus(expiresIn).minus(margin);
    }
}
