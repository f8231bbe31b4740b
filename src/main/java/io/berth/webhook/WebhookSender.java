package io.berth.webhook;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Sends a {@link WebhookRequest} as port-agent's {@code _request} does, with what port-agent lacks:
 * retries ({@link RetryRules#forWebhook}) and an {@code Idempotency-Key} so that a receiver can
 * recognise a retried or redelivered run.
 *
 * <p>Each attempt carries:
 * <pre>
 *   Content-Type: application/json     unless the mapping set one
 *   Idempotency-Key: {runId}           when there is a run id, unless the mapping set one
 *   X-Port-Timestamp, X-Port-Signature over exactly the body bytes sent (when a client secret is set)
 * </pre>
 */
final class WebhookSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebClient client;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final Optional<Secret> clientSecret;

    WebhookSender(WebClient client, Duration timeout, RetryPolicy retryPolicy, Optional<Secret> clientSecret) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    }

    /**
     * @param verifySsl false accepts any certificate and host name ({@code WEBHOOK_VERIFY_SSL=false})
     * @param connectionsPerHost as many as runs may be in flight: Vert.x's default of 5 would cap
     *        every webhook at 5 concurrent calls whatever {@code BERTH_RUNS_CONCURRENCY} says
     */
    static WebClient webClient(Vertx vertx, boolean verifySsl, int connectionsPerHost) {
        Objects.requireNonNull(vertx, "vertx");
        return WebClient.create(vertx, new WebClientOptions()
                .setTrustAll(!verifySsl)
                .setVerifyHost(verifySsl)
                .setMaxPoolSize(connectionsPerHost)
                // A redirect would carry the mapping's headers (tokens) to wherever it points: not followed.
                .setFollowRedirects(false));
    }

    /**
     * @param idempotencyKey the run id, or null (a change-log message)
     * @return the last answer, whatever its status; fails with {@link WebhookUnreachableException}
     *         when there was none
     */
    Uni<WebhookResponse> send(WebhookRequest request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        if (!SafeUrl.isSendable(request.url())) {
            return Uni.createFrom().failure(new WebhookUnreachableException(
                    "Webhook url " + request.safeUrl() + " is not an absolute http(s) url"));
        }
        String what = "Webhook " + request.method() + " " + request.safeUrl();
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            AtomicInteger attempts = new AtomicInteger();
            return Retrying.call(() -> {
                attempts.incrementAndGet();
                return attempt(request, idempotencyKey);
            }, WebhookSender::classify, retryPolicy, what)
                    .onItem().transform(response -> response.withAttempts(attempts.get(),
                            Duration.ofNanos(System.nanoTime() - start)))
                    .onFailure(failure -> !(failure instanceof WebhookUnreachableException))
                    .transform(failure -> new WebhookUnreachableException(what + " did not answer: "
                            + reason(failure) + " after " + attempts.get()
                            + (attempts.get() == 1 ? " attempt" : " attempts")));
        });
    }

    private static RetryDecision classify(WebhookResponse response, Throwable failure) {
        return failure != null
                ? RetryRules.forWebhookFailure(failure)
                : RetryRules.forWebhook(response.statusCode(), response::header);
    }

    private Uni<WebhookResponse> attempt(WebhookRequest request, String idempotencyKey) {
        HttpRequest<Buffer> http = client.requestAbs(HttpMethod.valueOf(request.method()), request.url())
                .timeout(timeout.toMillis());
        for (var param : request.query().properties()) {
            // requests drops None and repeats a list's items, as here.
            if (param.getValue().isArray()) {
                param.getValue().forEach(item -> {
                    if (!item.isNull()) {
                        http.addQueryParam(param.getKey(), queryText(item));
                    }
                });
            } else if (!param.getValue().isNull()) {
                http.addQueryParam(param.getKey(), queryText(param.getValue()));
            }
        }
        boolean contentType = false;
        boolean idempotency = false;
        for (var header : request.headers().properties()) {
            String name = header.getKey();
            if (header.getValue().isNull() || isSignatureHeader(name)) {
                continue;
            }
            contentType |= name.equalsIgnoreCase("Content-Type");
            idempotency |= name.equalsIgnoreCase("Idempotency-Key");
            JsonNode value = header.getValue();
            http.putHeader(name, value.isTextual() ? value.textValue() : PythonJson.write(value, true));
        }
        if (!contentType) {
            http.putHeader("Content-Type", "application/json");
        }
        if (idempotencyKey != null && !idempotency) {
            http.putHeader("Idempotency-Key", idempotencyKey);
        }
        byte[] body;
        if (clientSecret.isPresent()) {
            // Signed at each attempt, so that a retry carries a fresh timestamp.
            PortSignature.Signed signed = PortSignature.sign(request.body(), clientSecret.get(),
                    Instant.now().getEpochSecond());
            http.putHeader(PortSignature.TIMESTAMP_HEADER, signed.timestamp());
            http.putHeader(PortSignature.SIGNATURE_HEADER, signed.signature());
            body = signed.body();
        } else {
            body = PythonJson.write(request.body(), true).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return http.sendBuffer(Buffer.buffer(body)).onItem().transform(WebhookSender::toResponse);
    }

    private static boolean isSignatureHeader(String name) {
        // Berth signs each request itself; a mapping's own values would be wrong.
        return name.equalsIgnoreCase(PortSignature.TIMESTAMP_HEADER)
                || name.equalsIgnoreCase(PortSignature.SIGNATURE_HEADER);
    }

    /** A query value as requests writes it ({@code str(value)}); objects as compact JSON. */
    private static String queryText(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        if (value.isNumber()) {
            return PythonJson.number(value);
        }
        return PythonJson.write(value, true);
    }

    private static WebhookResponse toResponse(HttpResponse<Buffer> http) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (String name : http.headers().names()) {
            headers.put(name, String.join(", ", http.headers().getAll(name)));
        }
        String text = http.body() == null ? "" : http.bodyAsString();
        return new WebhookResponse(http.statusCode(), headers, text, parseJson(text), 1, Duration.ZERO);
    }

    private static JsonNode parseJson(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** Why there was no answer, in words safe for Port and logs (no url, query or header). */
    String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Vert.x's timeout exception is a java.util.concurrent.TimeoutException; its message
            // quotes the path and query, so it is not used.
            if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed";
            }
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("closed")) {
                return "connection closed";
            }
        }
        return failure.getClass().getSimpleName();
    }
}
