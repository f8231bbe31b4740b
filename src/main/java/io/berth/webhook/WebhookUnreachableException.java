package io.berth.webhook;

/**
 * The webhook gave no answer at all, after every attempt Berth's retry policy allowed: connection
 * refused, unknown host, TLS failure, timeout. The message is safe to show in Port and in logs: a
 * url without query string, the reason, the attempts; never a header or a body.
 */
public final class WebhookUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WebhookUnreachableException(String message) {
        super(message);
    }
}
