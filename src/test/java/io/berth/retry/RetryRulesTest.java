package io.berth.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class RetryRulesTest {

    static Function<String, String> headers(Map<String, String> values) {
        return name -> values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static final Function<String, String> NONE = headers(Map.of());

    @Test
    void deadLettersRetryOnlyWhatKafkaCallsRetriable() {
        assertThat(RetryRules.forDeadLetterFailure(new org.apache.kafka.common.errors.TimeoutException("metadata")))
                .isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forDeadLetterFailure(new IllegalStateException("wrapped",
                new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved")))).isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forDeadLetterFailure(new org.apache.kafka.common.errors.RecordTooLargeException("big")))
                .isEqualTo(RetryDecision.DONE);
        assertThat(RetryRules.forDeadLetterFailure(new org.apache.kafka.common.errors.TopicAuthorizationException("no")))
                .isEqualTo(RetryDecision.DONE);
        assertThat(RetryRules.forDeadLetterFailure(new IllegalStateException("closed"))).isEqualTo(RetryDecision.DONE);
    }

    @Test
    void theBridgeRetriesTimeoutsTooEarlyRateLimitsAndServerErrorsAndNoOther4xx() {
        for (int status : new int[] { 408, 425, 429, 500, 502, 503, 504, 599 }) {
            assertThat(RetryRules.forBridge(status, NONE)).as("%d", status).isEqualTo(RetryDecision.RETRY);
        }
        for (int status : new int[] { 200, 204, 302, 400, 401, 403, 404, 409, 413, 422 }) {
            assertThat(RetryRules.forBridge(status, NONE)).as("%d", status).isEqualTo(RetryDecision.DONE);
        }
        assertThat(RetryRules.forBridge(429, headers(Map.of("Retry-After", "7"))))
                .isEqualTo(RetryDecision.retryAfter(java.time.Duration.ofSeconds(7)));
        assertThat(RetryRules.forBridge(503, headers(Map.of("Retry-After", "2"))))
                .isEqualTo(RetryDecision.retryAfter(java.time.Duration.ofSeconds(2)));
        assertThat(RetryRules.forBridgeFailure(new java.net.ConnectException("refused"))).isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forBridgeFailure(new java.util.concurrent.TimeoutException())).isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forBridgeFailure(new IllegalStateException("bug"))).isEqualTo(RetryDecision.DONE);
    }

    @Test
    void portRetriesRateLimitsAndGatewayErrorsOnly() {
        for (int status : new int[] { 429, 502, 503, 504 }) {
            assertThat(RetryRules.forPort(status, NONE)).as("%d", status).isInstanceOf(RetryDecision.Retry.class);
        }
        for (int status : new int[] { 200, 400, 401, 404, 413, 422, 500 }) {
            assertThat(RetryRules.forPort(status, NONE)).as("%d", status).isEqualTo(RetryDecision.DONE);
        }
    }

    @Test
    void webhooksRetryTimeoutsRateLimitsAndEveryServerError() {
        for (int status : new int[] { 408, 429, 500, 501, 503 }) {
            assertThat(RetryRules.forWebhook(status, NONE)).as("%d", status).isInstanceOf(RetryDecision.Retry.class);
        }
        for (int status : new int[] { 200, 302, 400, 401, 404, 409, 422 }) {
            assertThat(RetryRules.forWebhook(status, NONE)).as("%d", status).isEqualTo(RetryDecision.DONE);
        }
    }

    @Test
    void honoursRetryAfterInSecondsAndAsADate() {
        assertThat(RetryRules.forPort(503, headers(Map.of("Retry-After", "7"))))
                .isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(7)));
        String inTenSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.now().plusSeconds(10).atZone(java.time.ZoneOffset.UTC));
        RetryDecision.Retry retry = (RetryDecision.Retry) RetryRules.forPort(429,
                headers(Map.of("Retry-After", inTenSeconds)));
        assertThat(retry.notBefore()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(8),
                Duration.ofSeconds(10)));
    }

    @Test
    void readsTheRateLimitResetOnlyOnA429() {
        String reset = Long.toString(Instant.now().getEpochSecond() + 30);
        RetryDecision.Retry limited = (RetryDecision.Retry) RetryRules.forPort(429,
                headers(Map.of("x-ratelimit-reset", reset)));
        assertThat(limited.notBefore()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(28),
                Duration.ofSeconds(30)));
        // Every Port answer carries the header: on a 503 it says nothing about when to retry.
        assertThat(RetryRules.forPort(503, headers(Map.of("x-ratelimit-reset", reset)))).isEqualTo(RetryDecision.RETRY);
    }

    @Test
    void retriesTransportFailuresButNotProgrammingErrors() {
        assertThat(RetryRules.forPortFailure(new ConnectException("refused"))).isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forWebhookFailure(new RuntimeException(new IOException("reset")))).isEqualTo(RetryDecision.RETRY);
        assertThat(RetryRules.forPortFailure(new IllegalArgumentException("bug"))).isEqualTo(RetryDecision.DONE);
    }

    @Test
    void backoffGrowsWithinItsBoundsAndJitter() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), 2.0, 0.25, Duration.ofSeconds(1), 10,
                Duration.ofMinutes(1));
        assertThat(policy.delayAfter(1)).isBetween(Duration.ofMillis(75), Duration.ofMillis(125));
        assertThat(policy.delayAfter(3)).isBetween(Duration.ofMillis(300), Duration.ofMillis(500));
        assertThat(policy.delayAfter(20)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
    }
}
