package io.berth.polling.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** port-agent's backoff between failed claims. */
class BackoffTest {

    @Test
    void startsAtTheInitialPauseAndGrowsByTheFactorUpToTheMaximum() {
        Backoff backoff = new Backoff(TestPollingSettings.defaults(), () -> 0.0);

        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void addsUpToTheJitterShareOfThePause() {
        Backoff highest = new Backoff(TestPollingSettings.defaults(), () -> 0.999_999);

        assertThat(highest.next()).isBetween(Duration.ofMillis(1099), Duration.ofMillis(1100));
        assertThat(highest.next()).isBetween(Duration.ofMillis(2199), Duration.ofMillis(2200));
    }

    @Test
    void startsOverAfterASuccessfulClaim() {
        Backoff backoff = new Backoff(TestPollingSettings.defaults(), () -> 0.0);
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
}
