package io.berth.bridge.impl;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.berth.bridge.BridgeOutcome;
import io.berth.bridge.Subscription;
import io.berth.delivery.ControlCharacters;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.OrderedLanes;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.berth.tracing.Tracing;
import io.berth.webhook.DirectWebhook;
import io.berth.webhook.WebhookResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * A subscription's part of the delivery core: each record becomes a request to the webhook, tried
 * while {@link RetryRules#forBridge} says it can succeed later. Permits, dead letters and commits
 * are the dispatcher's.
 *
 * <pre>
 *  handle(record) ─► lane (ordering: key | partition | none)
 *   └─ attempt n = 1.. (subscription's retries, waits: retryDelay or backoff, at least Retry-After)
 *        headers: subscription's, the record's (hop-by-hop ones dropped), x-plt-kafka-hooks-key,
 *                 x-plt-kafka-hooks-attempt: n (includeAttemptInRequests), traceparent, auth
 *        body: the record's value, unchanged
 *        401 with OAuth2 ─► token renewed, sent once more within the attempt
 *   ├─ answer below 400 ─────────────────────────────► Delivered
 *   ├─ Berth stopping ───────────────────────────────► Abandoned (redelivered)
 *   └─ final 4xx, or retries spent ──────────────────► UnusableRecord(reason, DeliveryFailure): dead letter
 * </pre>
 *
 * A batched subscription's {@link Batcher} sends each batch through {@link #deliverBatch} instead:
 * the same attempts, waits and verdicts, for the whole batch at once.
 */
final class SubscriptionHandler implements RecordHandler {

    static final String KEY_HEADER = "x-plt-kafka-hooks-key";
    static final String ATTEMPT_HEADER = "x-plt-kafka-hooks-attempt";

    /** Headers of a record that describe its own Kafka hop, not the request: the HTTP client sets its own. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "proxy-authorization",
            TraceParent.HEADER);

    private final Subscription subscription;
    private final DirectWebhook webhook;
    private final OutboundCredentials credentials;
    private final RetryPolicy policy;
    private final StopSignal stop;
    private final Clock clock;
    private final OrderedLanes lanes = new OrderedLanes();
    /** The url without query nor user info, for spans: parsed once, not per request. */
    private final String safeUrl;
    /** {@code "to POST https://host/path"}, for log lines: built once, not per record (it parses the url). */
    private final String target;

    SubscriptionHandler(Subscription subscription, DirectWebhook webhook, OutboundCredentials credentials,
            RetryPolicy policy, StopSignal stop, Clock clock) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.safeUrl = DirectWebhook.safeUrl(subscription.url());
        this.target = " to " + subscription.method() + " " + safeUrl;
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        String lane = subscription.ordering().lane(record);
        // The record's span (Tracing.record): each request is its child.
        Context span = Context.current();
        return lane == null ? deliver(record, span) : lanes.submit(lane, () -> deliver(record, span));
    }

    private Uni<RecordOutcome> deliver(InboundRecord record, Context span) {
        TraceParent trace = TraceParent.continuing(header(record, TraceParent.HEADER));
        return deliver(record::toString, "", record.value(), attempt -> recordHeaders(record, attempt, trace), span);
    }

    /**
     * One request for a whole batch (a JSON array, {@link BatchBody}), retried as one: each record of
     * the batch gets the same outcome. Its headers: {@code Content-Type: application/json}, the
     * subscription's, the attempt and the traceparent of the request's span, child of the batch's
     * (a new trace without tracing); the records' keys and headers are in the body.
     */
    Uni<RecordOutcome> deliverBatch(List<InboundRecord> records, byte[] body) {
        TraceParent trace = TraceParent.continuing(null);
        InboundRecord first = records.get(0);
        String batch = "a batch of " + records.size() + (records.size() == 1 ? " record" : " records") + " of "
                + ControlCharacters.escape(first.topic()) + "[" + first.partition() + "], offsets " + first.offset() + " to "
                + records.get(records.size() - 1).offset();
        return deliver(() -> batch, " (" + batch + ")", body, attempt -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.putAll(subscription.headers());
            attemptAndTrace(headers, attempt, trace);
            return headers;
        }, Context.current()); // the batch's span (Tracing.batch, current while the Batcher calls this)
    }

    /**
     * Sends {@code body} until it is delivered, refused for good, or its attempts are spent.
     *
     * @param what names the request in log lines: built only for one (a retry, a last attempt failed)
     * @param context appended to a dead letter's reason
     * @param headers the headers of attempt n (authentication is added here)
     * @param span the record's span, parent of each request's
     */
    private Uni<RecordOutcome> deliver(Supplier<String> what, String context, byte[] body,
            IntFunction<Map<String, String>> headers, Context span) {
        List<DeliveryFailure.Attempt> failed = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        return Retrying.call(() -> attempt(body, headers, attempts.incrementAndGet(), failed, span), this::classify,
                policy, () -> what.get() + target, "bridge")
                .onItemOrFailure().transformToUni((answer, failure) -> outcome(answer, failure, attempts.get(), failed,
                        context));
    }

    private RetryDecision classify(WebhookResponse answer, Throwable failure) {
        if (stop.raised()) {
            return RetryDecision.DONE;
        }
        return failure != null ? RetryRules.forBridgeFailure(failure)
                : RetryRules.forBridge(answer.statusCode(), answer::header);
    }

    /** One attempt, and each of its failures recorded for the dead letter. */
    private Uni<WebhookResponse> attempt(byte[] body, IntFunction<Map<String, String>> headers, int number,
            List<DeliveryFailure.Attempt> failed, Context span) {
        Instant requestedAt = clock.instant();
        return send(body, headers.apply(number), span)
                .onItem().transformToUni(answer -> answer.statusCode() == 401 && credentials.rejected()
                        ? send(body, headers.apply(number), span) : Uni.createFrom().item(answer))
                .invoke(answer -> {
                    if (!answer.ok()) {
                        failed.add(new DeliveryFailure.Attempt(number, requestedAt, answer.statusCode(),
                                "status " + answer.statusCode(), KafkaHooksDeadLetter.excerpt(answer.text())));
                    }
                })
                .onFailure().invoke(failure -> failed.add(new DeliveryFailure.Attempt(number, requestedAt, null,
                        webhook.reason(failure), null)));
    }

    /** One request, a span of its own whose traceparent it sends (with tracing off, TraceParent's). */
    private Uni<WebhookResponse> send(byte[] body, Map<String, String> attemptHeaders, Context span) {
        return credentials.headers().onItem().transformToUni(auth -> Tracing.of(span).request(span,
                subscription.method(), safeUrl, request -> {
                    Map<String, String> headers = new LinkedHashMap<>(attemptHeaders);
                    if (Span.fromContext(request).getSpanContext().isValid()) {
                        Tracing.injectInto(request, headers::put);
                    }
                    headers.putAll(auth);
                    return webhook.sendOnce(subscription.method(), subscription.url(), headers, body);
                }, WebhookResponse::statusCode));
    }

    private Map<String, String> recordHeaders(InboundRecord record, int attempt, TraceParent trace) {
        Map<String, String> headers = new LinkedHashMap<>(subscription.headers());
        record.headers().forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        if (record.key() != null) {
            headers.put(KEY_HEADER, record.key());
        }
        attemptAndTrace(headers, attempt, trace);
        return headers;
    }

    private void attemptAndTrace(Map<String, String> headers, int attempt, TraceParent trace) {
        if (subscription.includeAttempt()) {
            headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
        }
        headers.put(TraceParent.HEADER, trace.nextSpan());
    }

    private Uni<RecordOutcome> outcome(WebhookResponse answer, Throwable failure, int attempts,
            List<DeliveryFailure.Attempt> failed, String context) {
        if (answer != null && answer.ok()) {
            return Uni.createFrom().item(new BridgeOutcome.Delivered(subscription.topic(), answer.statusCode(),
                    attempts));
        }
        if (stop.raised()) {
            return Uni.createFrom().item(new RecordOutcome.Abandoned(null, "stopping before the webhook accepted it"));
        }
        String tried = " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
        String reason;
        if (answer == null) {
            reason = "webhook did not answer: " + webhook.reason(failure) + tried;
        } else if (RetryRules.forBridge(answer.statusCode(), answer::header) == RetryDecision.DONE) {
            reason = "webhook answered " + answer.statusCode() + ", which is not retried" + tried;
        } else {
            reason = "webhook answered " + answer.statusCode() + tried;
        }
        return Uni.createFrom().failure(new UnusableRecord("topic " + subscription.topic() + ": " + reason + context,
                new DeliveryFailure(failed, subscription.attempts())));
    }

    private static String header(InboundRecord record, String name) {
        for (Map.Entry<String, String> header : record.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
