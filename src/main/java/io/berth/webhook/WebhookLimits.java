package io.berth.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * What one webhook request may cost.
 *
 * @param timeout the whole exchange of one attempt: connecting, sending, every redirect and the
 *        answer's last byte ({@code WEBHOOK_INVOKER_TIMEOUT})
 * @param maxAnswerBytes the answer is read up to this many bytes, the rest left unread
 *        ({@code BERTH_WEBHOOK_MAX_ANSWER_BYTES})
 * @param maxRedirects redirects followed; one more fails the request ({@code BERTH_WEBHOOK_MAX_REDIRECTS})
 */
record WebhookLimits(Duration timeout, int maxAnswerBytes, int maxRedirects) {

    /** Port accepts bodies up to 1 MiB: a larger answer could not be reported whole anyway. */
    static final int DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;
    static final int DEFAULT_MAX_REDIRECTS = 10;

    WebhookLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxAnswerBytes < 1) {
            throw new IllegalArgumentException("maxAnswerBytes must be at least 1, was " + maxAnswerBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be at least 0, was " + maxRedirects);
        }
    }

    static WebhookLimits withTimeout(Duration timeout) {
        return new WebhookLimits(timeout, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_REDIRECTS);
    }
}
