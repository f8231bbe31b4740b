package io.berth.webhook;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.Secret;
import io.berth.outbound.Outbound;
import io.berth.outbound.Proxies;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.berth.tracing.Tracing;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.mutiny.core.Vertx;

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
 *
 * <p>An attempt follows redirects as requests does ({@link Redirect}), up to
 * {@link WebhookLimits#maxRedirects()}; it must end, redirects and the whole answer included, within
 * {@link WebhookLimits#timeout()}, and reads at most {@link WebhookLimits#maxAnswerBytes()} of the
 * answer ({@link WebhookExchange}).
 */
final class WebhookSender {

    private final WebhookExchange exchange;
    private final WebhookLimits limits;
    private final RetryPolicy retryPolicy;
    private final Optional<Secret> clientSecret;
    /**
     * The last url {@link #sendOnce} found sendable: a bridge subscription sends every record to one
     * url, which need not be parsed again for each.
     */
    private volatile String lastSendable;

    /** Without proxies. */
    WebhookSender(HttpClient client, WebhookLimits limits, RetryPolicy retryPolicy, Optional<Secret> clientSecret) {
        this(client, Proxies.none(), limits, retryPolicy, clientSecret);
    }

    /** @param proxies chosen for each request's url, redirects included ({@code HTTPS_PROXY}, {@code NO_PROXY}) */
    WebhookSender(HttpClient client, Proxies proxies, WebhookLimits limits, RetryPolicy retryPolicy,
            Optional<Secret> clientSecret) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.exchange = new WebhookExchange(client, proxies, limits.maxAnswerBytes());
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    }

    WebhookLimits limits() {
        return limits;
    }

    /**
     * @param verifySsl false accepts any certificate and host name ({@code WEBHOOK_VERIFY_SSL=false})
     * @param connectionsPerHost as many as runs may be in flight: Vert.x's default of 5 would cap
     *        every webhook at 5 concurrent calls whatever {@code BERTH_RUNS_CONCURRENCY} says
     * @param timeout bounds connecting too (the attempt's deadline bounds everything)
     */
    static HttpClient httpClient(Vertx vertx, boolean verifySsl, int connectionsPerHost, Duration timeout) {
        return httpClient(vertx, verifySsl, connectionsPerHost, timeout, Outbound.direct());
    }

    /** @param outbound the extra certificate authorities to trust besides the JDK's ({@code SSL_CERT_FILE}, ...) */
    static HttpClient httpClient(Vertx vertx, boolean verifySsl, int connectionsPerHost, Duration timeout,
            Outbound outbound) {
        Objects.requireNonNull(vertx, "vertx");
        HttpClientOptions options = new HttpClientOptions()
                .setTrustAll(!verifySsl)
                .setVerifyHost(verifySsl)
                // Redirects are not followed by Vert.x (RequestOptions' default): Redirect decides
                // what each hop carries.
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                // Berth makes each request's span itself (Tracing.request), child of its run's: Vert.x's
                // own would take its parent from whatever the event loop's context held.
                .setTracingPolicy(TracingPolicy.IGNORE);
        if (verifySsl) {
            outbound.trustManagers().ifPresent(trust -> options.setTrustOptions(TrustOptions.wrap(trust)));
        }
        return vertx.getDelegate().createHttpClient(options, new PoolOptions().setHttp1MaxSize(connectionsPerHost));
    }

    /**
     * @param idempotencyKey the run id, a change-log event's id, or null (none is sent)
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
            // Subscribed within the handler's span (Tracing.handler): each attempt is its child.
            Context trace = Context.current();
            long start = System.nanoTime();
            AtomicInteger attempts = new AtomicInteger();
            return Retrying.call(() -> {
                attempts.incrementAndGet();
                return attempt(request, idempotencyKey, what, trace);
            }, WebhookSender::classify, retryPolicy, what, "webhook")
                    .onItem().transform(response -> response.withAttempts(attempts.get(),
                            Duration.ofNanos(System.nanoTime() - start)))
                    .onFailure(failure -> !(failure instanceof WebhookUnreachableException))
                    .transform(failure -> new WebhookUnreachableException(what + " did not answer: "
                            + reason(failure) + " after " + attempts.get()
                            + (attempts.get() == 1 ? " attempt" : " attempts")));
        });
    }

    /**
     * One attempt of a request its caller composed whole (the bridge's: a record's bytes and
     * headers): nothing added, redirects followed, the whole exchange within the timeout, no retry.
     * Fails with the transport's failure ({@link #reason} says it safely).
     */
    Uni<WebhookResponse> sendOnce(String method, String url, MultiMap headers, byte[] body) {
        return Uni.createFrom().emitter(emitter -> emitter.onTermination(sendOnce(method, url, headers, body,
                (answer, failure) -> {
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(answer);
                    }
                })));
    }

    /**
     * As above, without a {@code Uni} (each bridge record's request): {@code done} gets exactly one of
     * the answer and the failure ({@link TimeoutException} past the timeout), unless cancelled first.
     *
     * @return what cancels the attempt, resetting its request
     */
    Runnable sendOnce(String method, String url, MultiMap headers, byte[] body,
            BiConsumer<WebhookResponse, Throwable> done) {
        if (!url.equals(lastSendable)) {
            if (!SafeUrl.isSendable(url)) {
                done.accept(null, new WebhookUnreachableException(
                        "Webhook url " + SafeUrl.of(url) + " is not an absolute http(s) url"));
                return () -> { };
            }
            lastSendable = url;
        }
        Attempt attempt = new Attempt(done);
        // Cancels the exchange in flight, which resets its connection.
        attempt.timer = Infrastructure.getDefaultWorkerPool().schedule(attempt::timedOut,
                limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        follow(new Hop(method, url, body, headers), 0, () -> "Webhook " + method + " " + SafeUrl.of(url), attempt);
        return attempt::cancel;
    }

    /** One attempt's hops and its deadline: the first of answer, failure, timeout and cancellation ends it. */
    private static final class Attempt extends AnsweredOnce {

        private volatile Runnable hop = () -> { };
        private volatile ScheduledFuture<?> timer;

        private Attempt(BiConsumer<WebhookResponse, Throwable> done) {
            super(done);
        }

        /** The hop in flight, cancelled with the attempt. */
        void sending(Runnable cancel) {
            hop = cancel;
            if (answered()) {
                cancel.run();
            }
        }

        void timedOut() {
            fail(new TimeoutException());
        }

        /** Stops the timer; cancels the hop in flight unless it answered (a timeout, a cancellation). */
        @Override
        void ending(WebhookResponse answer) {
            ScheduledFuture<?> scheduled = timer;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            if (answer == null) {
                hop.run();
            }
        }
    }

    private static RetryDecision classify(WebhookResponse response, Throwable failure) {
        return failure != null
                ? RetryRules.forWebhookFailure(failure)
                : RetryRules.forWebhook(response.statusCode(), response::header);
    }

    /** One attempt, a span of its own: the request, its redirects, the answer, all within the timeout. */
    private Uni<WebhookResponse> attempt(WebhookRequest request, String idempotencyKey, String what, Context trace) {
        return Tracing.of(trace).request(trace, request.method(), request.safeUrl(),
                span -> Uni.createFrom().deferred(() -> follow(firstHop(request, idempotencyKey, span), 0, () -> what))
                        // Cancels the exchange in flight, which resets its connection.
                        .ifNoItem().after(limits.timeout()).failWith(TimeoutException::new),
                WebhookResponse::statusCode);
    }

    /** @param what names the request in a failure's message: built only then, since it parses the url */
    private Uni<WebhookResponse> follow(Hop hop, int redirects, Supplier<String> what) {
        return Uni.createFrom().emitter(emitter -> {
            Attempt attempt = new Attempt((answer, failure) -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(answer);
                }
            });
            emitter.onTermination(attempt::cancel);
            follow(hop, redirects, what, attempt);
        });
    }

    /** Sends {@code hop} and the redirects it leads to, up to the limit; the attempt gets the last answer. */
    private void follow(Hop hop, int redirects, Supplier<String> what, Attempt attempt) {
        if (attempt.answered()) {
            return;
        }
        attempt.sending(exchange.send(hop, (response, failure) -> {
            if (failure != null) {
                attempt.fail(failure);
                return;
            }
            if (!Redirect.isRedirect(response.statusCode())) {
                attempt.complete(redirects == 0 ? response : response.withRedirects(redirects));
                return;
            }
            String location = response.header("Location");
            if (location == null || location.isBlank()) {
                attempt.fail(new WebhookUnreachableException(what.get() + " answered "
                        + response.statusCode() + " without a Location to follow"));
                return;
            }
            Optional<Hop> next = Redirect.next(hop, response.statusCode(), location)
                    .filter(target -> SafeUrl.isSendable(target.url()));
            if (next.isEmpty()) {
                attempt.fail(new WebhookUnreachableException(what.get() + " answered "
                        + response.statusCode() + " with a Location that is not an absolute http(s) url"));
            } else if (redirects >= limits.maxRedirects()) {
                attempt.fail(new WebhookUnreachableException(what.get() + " was redirected more than "
                        + limits.maxRedirects() + " times (BERTH_WEBHOOK_MAX_REDIRECTS), last to "
                        + SafeUrl.of(next.get().url())));
            } else {
                follow(next.get(), redirects + 1, what, attempt);
            }
        }));
    }

    /** The request the mapping made, with Berth's headers and, when there is a client secret, signed. */
    private Hop firstHop(WebhookRequest request, String idempotencyKey, Context span) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (var header : request.headers().properties()) {
            String name = header.getKey();
            if (header.getValue().isNull() || isSignatureHeader(name)) {
                continue;
            }
            JsonNode value = header.getValue();
            headers.set(name, value.isTextual() ? value.textValue() : PythonJson.write(value, true));
        }
        if (!headers.contains("Content-Type")) {
            headers.set("Content-Type", "application/json");
        }
        if (idempotencyKey != null && !headers.contains("Idempotency-Key")) {
            headers.set("Idempotency-Key", idempotencyKey);
        }
        // The attempt's span, as W3C traceparent (nothing when tracing is off), unless the mapping set one.
        Tracing.injectInto(span, (name, value) -> {
            if (!headers.contains(name)) {
                headers.set(name, value);
            }
        });
        byte[] body;
        if (clientSecret.isPresent()) {
            // Signed at each attempt, so that a retry carries a fresh timestamp.
            PortSignature.Signed signed = PortSignature.sign(request.body(), clientSecret.get(),
                    Instant.now().getEpochSecond());
            headers.set(PortSignature.TIMESTAMP_HEADER, signed.timestamp());
            headers.set(PortSignature.SIGNATURE_HEADER, signed.signature());
            body = signed.body();
        } else {
            body = PythonJson.write(request.body(), true).getBytes(StandardCharsets.US_ASCII);
        }
        return new Hop(request.method(), withQuery(request), body, headers);
    }

    /** The url with the mapping's query added, as requests adds it: None dropped, a list's items repeated. */
    private static String withQuery(WebhookRequest request) {
        QueryStringEncoder query = new QueryStringEncoder("");
        for (var param : request.query().properties()) {
            if (param.getValue().isArray()) {
                param.getValue().forEach(item -> {
                    if (!item.isNull()) {
                        query.addParam(param.getKey(), queryText(item));
                    }
                });
            } else if (!param.getValue().isNull()) {
                query.addParam(param.getKey(), queryText(param.getValue()));
            }
        }
        String encoded = query.toString();
        if (encoded.isEmpty()) {
            return request.url();
        }
        String url = request.url();
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String base = hash < 0 ? url : url.substring(0, hash);
        return base + (base.contains("?") ? "&" + encoded.substring(1) : encoded) + fragment;
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

    /** Why there was no answer, in words safe for Port and logs (no url, query or header). */
    String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Vert.x's timeout exception is a java.util.concurrent.TimeoutException; its message
            // quotes the path and query, so it is not used.
            if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return "no answer within " + limits.timeout().toMillis() + " ms";
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
