package io.berth.runs.impl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

import io.berth.delivery.InboundRecord;

/**
 * Which runs are old enough to be asked about in Port before they are handled
 * ({@code BERTH_RUNS_REPLAY_CHECK_AFTER}).
 *
 * <p>Why: a record whose run id this process does not remember may still be a run that ended long
 * ago: produced again by someone with write access to the topic (a signed record stays valid
 * forever), or by a tool that copies topics. Its age is the oldest of its verified signature time
 * (which no one without the client secret can change) and its Kafka timestamp. Past the bound,
 * the dispatcher asks Port for the run's status (one GET) and skips a run Port has ended; fresh
 * runs, the usual case, cost nothing.
 */
final class ReplayCheck {

    private final Duration after;
    private final Clock clock;

    ReplayCheck(Duration after, Clock clock) {
        this.after = Objects.requireNonNull(after, "after");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (after.isNegative()) {
            throw new IllegalArgumentException("BERTH_RUNS_REPLAY_CHECK_AFTER must not be negative, was " + after);
        }
    }

    /** @param signedAt the run's verified signature time, or null for an unsigned run */
    boolean due(InboundRecord record, Instant signedAt) {
        Instant limit = clock.instant().minus(after);
        return Stream.concat(Stream.ofNullable(signedAt), record.timestamp().stream())
                .anyMatch(stamp -> stamp.isBefore(limit));
    }

}
