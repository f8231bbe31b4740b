package io.berth.webhook;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.BerthSettings;
import io.berth.config.WebhookSettings;
import io.berth.outbound.Outbound;
import io.berth.retry.RetryPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.mutiny.core.Vertx;

/**
 * A webhook whose request Berth composes itself (a topic trigger's: the envelope as body), sent by
 * the mapping file's {@link WebhookSender}: same retries ({@code RetryRules.forWebhook}), timeout,
 * TLS setting and {@code Idempotency-Key}; unsigned, since no Port run is involved.
 */
public final class DirectWebhook {

    private final WebhookSender sender;

    private DirectWebhook(WebhookSender sender) {
        this.sender = sender;
    }

    /**
     * @param connectionsPerHost how many calls may be in flight to one host
     * @param outbound the proxies and extra certificate authorities, as for the mapping file's webhooks
     */
    public static DirectWebhook create(Vertx vertx, WebhookSettings settings, BerthSettings.Webhook limits,
            int connectionsPerHost, Outbound outbound) {
        return new DirectWebhook(new WebhookSender(
                WebhookSender.httpClient(vertx, settings.verifySsl(), connectionsPerHost, settings.invokerTimeout(),
                        outbound),
                outbound.proxies(),
                new WebhookLimits(settings.invokerTimeout(), limits.maxAnswerBytes(), limits.maxRedirects()),
                RetryPolicy.of(limits.retry()), Optional.empty()));
    }

    /**
     * A webhook whose every attempt the caller makes itself ({@link #sendOnce}), each within
     * {@code timeout} (the bridge's per-subscription {@code timeout}).
     */
    public static DirectWebhook create(Vertx vertx, WebhookSettings settings, BerthSettings.Webhook limits,
            int connectionsPerHost, Duration timeout) {
        return new DirectWebhook(new WebhookSender(
                WebhookSender.httpClient(vertx, settings.verifySsl(), connectionsPerHost, timeout),
                new WebhookLimits(timeout, limits.maxAnswerBytes(), limits.maxRedirects()),
                RetryPolicy.of(limits.retry()), Optional.empty()));
    }

    /**
     * One attempt: {@code body} and {@code headers} sent as they are (no header added), redirects
     * followed, the answer read up to {@code BERTH_WEBHOOK_MAX_ANSWER_BYTES}; fails when there is no
     * answer within the timeout, or none at all ({@link #reason} names why without the url's query).
     *
     * @param body null for none
     */
    public Uni<WebhookResponse> sendOnce(String method, String url, Map<String, String> headers, byte[] body) {
        MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(multiMap::set);
        return sender.sendOnce(method, url, multiMap, body);
    }

    /**
     * As {@link #sendOnce(String, String, Map, byte[])}, without a {@code Uni} (a bridge record's
     * request): {@code done} gets exactly one of the answer and the failure, unless cancelled first.
     *
     * @return what cancels the request, resetting its connection
     */
    public Runnable sendOnce(String method, String url, Map<String, String> headers, byte[] body,
            BiConsumer<WebhookResponse, Throwable> done) {
        MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(multiMap::set);
        return sender.sendOnce(method, url, multiMap, body, done);
    }

    /** Why a call got no answer, in words safe for logs and dead letters (no url, query or header). */
    public String reason(Throwable failure) {
        return sender.reason(failure);
    }

    /**
     * @return the last answer after retries, whatever its status; fails with
     *         {@link WebhookUnreachableException} when there was none
     */
    public Uni<WebhookResponse> send(String method, String url, Map<String, String> headers, JsonNode body,
            String idempotencyKey) {
        ObjectNode headerNode = JsonNodeFactory.instance.objectNode();
        headers.forEach(headerNode::put);
        return sender.send(new WebhookRequest(method.toUpperCase(Locale.ROOT), url, Objects.requireNonNull(body),
                headerNode, JsonNodeFactory.instance.objectNode()), idempotencyKey);
    }

    /** Whether Berth can send to {@code url}: absolute http(s) with a host. */
    public static boolean isSendable(String url) {
        return SafeUrl.isSendable(url);
    }

    /** {@code url} without query string nor user info, for log lines and reasons. */
    public static String safeUrl(String url) {
        return SafeUrl.of(url);
    }
}
