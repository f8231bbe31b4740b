package io.berth.bridge.http;

import java.util.Locale;

import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.RoutingContext;

/**
 * The bridge's error answers, in kafka-hooks' shape (http-errors-enhanced's serialisation), so a
 * kafka-hooks client reads them as before:
 * {@code {"code": "HTTP_ERROR_NOT_FOUND", "statusCode": 404, "error": "Not Found", "message": "Topic x not found."}}.
 */
final class ErrorAnswers {

    /** Seconds a caller is asked to wait when the broker is unavailable. */
    static final int RETRY_AFTER_SECONDS = 5;

    private ErrorAnswers() {
    }

    static void send(RoutingContext context, int status, String message) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        String phrase = phrase(status);
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("code", "HTTP_ERROR_" + phrase.toUpperCase(Locale.ROOT).replace(' ', '_'))
                .put("statusCode", status)
                .put("error", phrase)
                .put("message", message);
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
        }
        if (status == 503) {
            context.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        context.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .end(body.toString());
    }

    static void unauthorized(RoutingContext context) {
        send(context, 401, "Present an API key (X-API-Key, or Authorization: Bearer) or an OIDC bearer token.");
    }

    /** The status a failed send is answered with: 413 too large, 503 broker unavailable, else 500. */
    static int status(Throwable failure) {
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
            return 413;
        }
        if (failure instanceof RetriableException) { // timeouts, no leader, network: it may work later
            return 503;
        }
        return 500;
    }

    /** What a failed send is answered with; Kafka's messages name brokers and topics, never credentials. */
    static String message(Throwable failure) {
        return switch (status(failure)) {
            case 413 -> "The record is larger than the broker accepts.";
            case 503 -> "Kafka is unavailable (" + failure.getClass().getSimpleName() + "): try again later.";
            default -> "Kafka refused the record (" + failure.getClass().getSimpleName() + ").";
        };
    }

    static void sendFailure(RoutingContext context, Throwable failure) {
        send(context, status(failure), message(failure));
    }

    private static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
    }
}
