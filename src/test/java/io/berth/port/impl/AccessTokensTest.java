package io.berth.port.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class AccessTokensTest {

    final MutableClock clock = new MutableClock();
    final AtomicInteger fetches = new AtomicInteger();
    boolean failNext;

    final AccessTokens tokens = new AccessTokens(() -> Uni.createFrom().item(() -> {
        int n = fetches.incrementAndGet();
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("Port is down");
        }
        return new AccessTokens.TokenGrant("token-" + n, Duration.ofHours(3));
    }), Duration.ofMinutes(5), clock);

    @Test
    void fetchesOnceForManyCallersWithinTheTokensLifetime() {
        List<String> seen = IntStream.range(0, 100).mapToObj(i -> tokens.token().await().indefinitely()).toList();

        assertThat(seen).containsOnly("token-1");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void refreshesShortlyBeforeExpiry() {
        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-1");

        clock.advance(Duration.ofHours(3).minusMinutes(6));
        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-2");
        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void forgetsARevokedTokenOnceEvenWhenManyCallersSawIt() {
        String revoked = tokens.token().await().indefinitely();

        tokens.invalidate(revoked);
        tokens.invalidate(revoked);
        String fresh = tokens.token().await().indefinitely();
        tokens.invalidate(revoked); // a late caller's 401 with the old token must not discard the new one

        assertThat(fresh).isEqualTo("token-2");
        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void doesNotCacheAFailedFetch() {
        failNext = true;
        assertThatThrownBy(() -> tokens.token().await().indefinitely()).hasMessage("Port is down");

        assertThat(tokens.token().await().indefinitely()).isEqualTo("token-2");
    }

    @Test
    void tellsItsObserverOfEachFetchOnceWhateverTheNumberOfCallersFirstFetchThenRenewals() {
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        AccessTokens observed = new AccessTokens(() -> Uni.createFrom().item(() -> {
            int n = fetches.incrementAndGet();
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("Port is down");
            }
            return new AccessTokens.TokenGrant("token-" + n, Duration.ofHours(3));
        }), Duration.ofMinutes(5), clock, new io.berth.port.TokenObserver() {
            @Override
            public void fetched(boolean renewal) {
                told.add(renewal ? "renewed" : "fetched");
            }

            @Override
            public void failed(boolean renewal, Throwable failure) {
                told.add((renewal ? "renewal" : "fetch") + " failed: " + failure.getMessage());
            }
        });

        IntStream.range(0, 10).forEach(i -> observed.token().await().indefinitely());
        clock.advance(Duration.ofHours(3));
        failNext = true;
        assertThatThrownBy(() -> observed.token().await().indefinitely()).hasMessage("Port is down");
        observed.token().await().indefinitely();

        assertThat(told).containsExactly("fetched", "renewal failed: Port is down", "renewed");
    }

    @Test
    void hidesTheTokenInItsTextForm() {
        assertThat(new AccessTokens.TokenGrant("secret-token", Duration.ofHours(3)).toString())
                .doesNotContain("secret-token");
        assertThat(new AccessTokenRequest("id", "client-secret").toString()).doesNotContain("client-secret");
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
