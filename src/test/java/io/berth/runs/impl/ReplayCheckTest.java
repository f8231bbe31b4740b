package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;

/** BERTH_RUNS_REPLAY_CHECK_AFTER: which runs are old enough to be asked about in Port first. */
class ReplayCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:14:03Z");
    private final ReplayCheck check = new ReplayCheck(Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    private static InboundRecord produced(Instant at) {
        return new InboundRecord("org.runs", 0, 1, "k", new byte[0], at, () -> CompletableFuture.completedFuture(null));
    }

    @Test
    void aRunSignedLongAgoIsCheckedEvenWhenItsRecordIsNew() {
        assertThat(check.due(produced(NOW), Instant.parse("2001-09-09T01:46:40Z"))).isTrue();
        assertThat(check.due(produced(NOW), NOW.minus(Duration.ofMinutes(6)))).isTrue();
    }

    @Test
    void aRecordProducedLongAgoIsCheckedSignedOrNot() {
        assertThat(check.due(produced(NOW.minus(Duration.ofHours(1))), null)).isTrue();
        assertThat(check.due(produced(NOW.minus(Duration.ofHours(1))), NOW)).isTrue();
    }

    @Test
    void freshRunsAndRunsWithoutAnyTimeAreNotChecked() {
        assertThat(check.due(produced(NOW.minus(Duration.ofMinutes(4))), NOW.minus(Duration.ofMinutes(4)))).isFalse();
        assertThat(check.due(produced(NOW.plus(Duration.ofMinutes(1))), null)).isFalse();
        assertThat(check.due(produced(null), null)).isFalse();
    }

    @Test
    void aNegativeBoundIsRefusedWithTheVariable() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReplayCheck(Duration.ofSeconds(-1), Clock.systemUTC()))
                .withMessageContaining("BERTH_RUNS_REPLAY_CHECK_AFTER");
    }
}
