package io.berth.retry;

import java.time.Duration;
import java.util.Optional;

/** What {@link RetryRules} decided about one attempt's outcome. */
public sealed interface RetryDecision {

    RetryDecision DONE = new Done();
    RetryDecision RETRY = new Retry(Optional.empty());

    /** The server said when to come back: wait at least this long. */
    static RetryDecision retryAfter(Duration atLeast) {
        return new Retry(Optional.of(atLeast));
    }

    /** The outcome is final (a success, or an error that retrying cannot fix). */
    record Done() implements RetryDecision {
    }

    /** Try again, no sooner than {@code notBefore} when the server gave a hint. */
    record Retry(Optional<Duration> notBefore) implements RetryDecision {
    }
}
