package io.berth.bridge;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.berth.delivery.Ordering;

/**
 * One entry of the file's {@code topics}: a topic whose records are delivered to a webhook. The
 * first fields are kafka-hooks' own, with its defaults; the rest are Berth's.
 *
 * @param method {@code method}: POST (default), PUT, PATCH or DELETE
 * @param headers {@code headers}: sent with every request (the record's own headers override them)
 * @param attempts {@code retries}: kafka-hooks' name for attempts in all, the first included (default 3)
 * @param retryDelay {@code retryDelay}: the fixed wait between attempts (default 1000 ms), unless
 *        {@link #backoff} is given
 * @param deadLetterTopic {@code dlq}: a topic name; {@code true} or absent: {@code plt-kafka-hooks-dlq};
 *        {@code false}: empty (a failed record is logged and dropped, as kafka-hooks does)
 * @param includeAttempt {@code includeAttemptInRequests}: send {@code x-plt-kafka-hooks-attempt} (default true)
 * @param backoff Berth's {@code backoff}: exponential waits between attempts instead of the fixed delay
 * @param timeout Berth's {@code timeout}: one attempt, from connecting to the answer's last byte (default 30 s)
 * @param ordering Berth's {@code ordering}: {@code key} (default), {@code partition} or {@code none}
 * @param maxInFlight Berth's {@code maxInFlight}: records of one partition in flight (default: the
 *        file's {@code concurrency})
 * @param batch Berth's {@code batch}: deliver records as JSON arrays
 * @param auth Berth's {@code auth}: outbound authentication
 */
public record Subscription(String topic, String url, String method, Map<String, String> headers, int attempts,
        Duration retryDelay, Optional<String> deadLetterTopic, boolean includeAttempt, Optional<Backoff> backoff,
        Duration timeout, Ordering ordering, int maxInFlight, Optional<Batch> batch, Optional<OutboundAuth> auth) {

    /** kafka-hooks' default dead-letter topic. */
    public static final String DEFAULT_DLQ = "plt-kafka-hooks-dlq";

    public Subscription {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(auth, "auth");
    }

    /**
     * {@code "backoff": {"initial": 500, "multiplier": 2, "max": 30000, "jitter": 0.2}}: milliseconds
     * or durations ({@code "2s"}).
     *
     * @param jitter the wait varies randomly by this fraction either way, in [0, 1)
     */
    public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
    }

    /**
     * {@code "batch": {"maxRecords": 100, "maxBytes": 1048576, "linger": 50}}: a JSON array of at
     * most {@code maxRecords} records and {@code maxBytes} of request body (a record larger than that
     * alone is sent alone), sent when full or {@code linger} after its first record.
     */
    public record Batch(int maxRecords, int maxBytes, Duration linger) {
    }

    @Override
    public String toString() {
        // Headers may hold credentials: only what names the subscription.
        return "Subscription[" + topic + " -> " + method + " " + io.berth.webhook.DirectWebhook.safeUrl(url) + "]";
    }
}
