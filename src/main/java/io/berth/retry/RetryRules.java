package io.berth.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.common.errors.RetriableException;

import io.vertx.core.VertxException;

/**
 * The one place that decides what is worth retrying.
 *
 * <ul>
 *   <li>Port's API ({@link #forPort}): 429, 502, 503, 504 and connection errors, as Port's rate
 *       limit documentation advises; {@code Retry-After} or {@code x-ratelimit-reset} sets the
 *       earliest next attempt. Everything else, 401 included (handled by re-authentication), is final.
 *   <li>Webhooks ({@link #forWebhook}): connection errors, timeouts, 408, 429 and every 5xx
 *       (RFC 9110 §15.5.9, §15.6: the request may succeed later); other 4xx are the caller's
 *       mistake and fail at once.
 *   <li>The bridge's webhooks ({@link #forBridge}): connection errors, timeouts, 408, 425 (RFC 8470
 *       §5.2: too early, try later), 429 and every 5xx, each waiting at least what {@code Retry-After}
 *       says; any other 4xx is final at once and the record goes to the dead-letter topic
 *       (kafka-hooks retries every status ≥ 400 alike).
 *   <li>Dead letters ({@link #forDeadLetterFailure}): what Kafka calls retriable (broker, leader or
 *       topic not available yet, timeouts); a record too large, a refused authorization or a
 *       serialization error fails the same way on every try.
 *   <li>Java trigger handlers ({@link #forHandlerFailure}): every failure, unless the handler
 *       declared the record undeliverable ({@link io.berth.delivery.UnusableRecord}).
 * </ul>
 */
public final class RetryRules {

    private RetryRules() {
    }

    /**
     * @param header reads a response header by name (case-insensitive), null when absent
     */
    public static RetryDecision forPort(int status, Function<String, String> header) {
        return switch (status) {
            case 429 -> withServerHint(header, true);
            case 502, 503, 504 -> withServerHint(header, false);
            default -> RetryDecision.DONE;
        };
    }

    /** Same as {@link #forPort(int, Function)} for a call that produced no response. */
    public static RetryDecision forPortFailure(Throwable failure) {
        return isTransportFailure(failure) ? RetryDecision.RETRY : RetryDecision.DONE;
    }

    public static RetryDecision forWebhook(int status, Function<String, String> header) {
        if (status == 408 || status == 429 || status >= 500) {
            return withServerHint(header, status == 429);
        }
        return RetryDecision.DONE;
    }

    public static RetryDecision forWebhookFailure(Throwable failure) {
        return isTransportFailure(failure) ? RetryDecision.RETRY : RetryDecision.DONE;
    }

    public static RetryDecision forBridge(int status, Function<String, String> header) {
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return withServerHint(header, false);
        }
        return RetryDecision.DONE;
    }

    /** A bridge request that got no answer: connection refused or reset, no answer in time, no token. */
    public static RetryDecision forBridgeFailure(Throwable failure) {
        return isTransportFailure(failure) ? RetryDecision.RETRY : RetryDecision.DONE;
    }

    public static RetryDecision forDeadLetterFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return RetryDecision.RETRY;
            }
        }
        return RetryDecision.DONE;
    }

    /** A Java handler's failure: its code knows best; only its own verdict of "never" is final. */
    public static RetryDecision forHandlerFailure(Throwable failure) {
        return failure instanceof io.berth.delivery.UnusableRecord ? RetryDecision.DONE : RetryDecision.RETRY;
    }

    /** Connection refused or reset, DNS failure, timeout: the request may not have been processed. */
    static boolean isTransportFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof ConnectException
                    || t instanceof VertxException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * {@code Retry-After} applies to any retried status (RFC 9110 §10.2.3). {@code x-ratelimit-reset}
     * comes with every Port answer, so it says when to retry only when the answer is a rate limit.
     */
    private static RetryDecision withServerHint(Function<String, String> header, boolean rateLimited) {
        Duration retryAfter = parseRetryAfter(header.apply("Retry-After"));
        if (retryAfter == null && rateLimited) {
            retryAfter = parseEpochReset(header.apply("x-ratelimit-reset"));
        }
        return retryAfter == null ? RetryDecision.RETRY : RetryDecision.retryAfter(retryAfter);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * {@code x-ratelimit-reset}: the epoch second at which the window resets (Port's meaning). A value
     * too small to be an epoch second is read as seconds from now, the other common meaning.
     */
    static Duration parseEpochReset(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number < 1_000_000_000L) {
                return Duration.ofSeconds(Math.max(0, number));
            }
            Duration until = Duration.between(Instant.now(), Instant.ofEpochSecond(number));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (NumberFormatException | ArithmeticException unparseable) {
            return null;
        }
    }
}
