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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.berth.bridge.BridgeOutcome;
import io.berth.bridge.Subscription;
import io.berth.delivery.ControlCharacters;
import io.berth.delivery.DirectUni;
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
import io.smallrye.mutiny.subscription.Cancellable;

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
    /** Off: no span per request, and the record's context is not read (no Context.current() per record). */
    private final Tracing tracing;
    private final OrderedLanes lanes = new OrderedLanes();
    /** The url without query nor user info, for spans: parsed once, not per request. */
    private final String safeUrl;
    /** {@code "to POST https://host/path"}, for log lines: built once, not per record (it parses the url). */
    private final String target;

    SubscriptionHandler(Subscription subscription, DirectWebhook webhook, OutboundCredentials credentials,
            RetryPolicy policy, StopSignal stop, Clock clock, Tracing tracing) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.safeUrl = DirectWebhook.safeUrl(subscription.url());
        this.target = " to " + subscription.method() + " " + safeUrl;
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        String lane = subscription.ordering().lane(record);
        // The record's span (Tracing.record): each request is its child.
        Context span = tracing == Tracing.off() ? Context.root() : Context.current();
        TraceParent trace = TraceParent.continuing(header(record, TraceParent.HEADER));
        IntFunction<Map<String, String>> headers = attempt -> recordHeaders(record, attempt, trace);
        if (lane == null) {
            return deliver(record::toString, "", record.value(), headers, span);
        }
        // One Uni for the record, its turn in the lane included: see DirectUni.
        return DirectUni.of(completion -> {
            Delivery delivery = new Delivery(record::toString, "", record.value(), headers, span, completion);
            lanes.enter(lane, ended -> delivery.start(ended));
            return delivery::cancel;
        });
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
        return DirectUni.of(completion -> {
            Delivery delivery = new Delivery(what, context, body, headers, span, completion);
            delivery.start(null);
            return delivery::cancel;
        });
    }

    private RetryDecision classify(WebhookResponse answer, Throwable failure) {
        if (stop.raised()) {
            return RetryDecision.DONE;
        }
        return failure != null ? RetryRules.forBridgeFailure(failure)
                : RetryRules.forBridge(answer.statusCode(), answer::header);
    }

    /**
     * One record's (or batch's) attempts, as callbacks rather than a chain of Mutiny operators: a
     * record took some forty of them, each with its context-propagation wrapper ({@link DirectUni}).
     * Its attempts run one after another, so their state needs no lock.
     */
    private final class Delivery {

        private final Supplier<String> what;
        private final String context;
        private final byte[] body;
        private final IntFunction<Map<String, String>> headers;
        private final Context span;
        private final DirectUni.Completion<RecordOutcome> completion;
        private final List<DeliveryFailure.Attempt> failed = new CopyOnWriteArrayList<>();
        private volatile int attempts;
        /** Cancels the retries (the attempt in flight or the wait); null until started. */
        private volatile Runnable retries;
        /** Cancels the request in flight. */
        private volatile Runnable request = () -> { };
        private volatile boolean cancelled;
        /** What ends the record's turn in its lane, or null when it has none. */
        private Runnable laneEnded;

        private Delivery(Supplier<String> what, String context, byte[] body, IntFunction<Map<String, String>> headers,
                Context span, DirectUni.Completion<RecordOutcome> completion) {
            this.what = what;
            this.context = context;
            this.body = body;
            this.headers = headers;
            this.span = span;
            this.completion = completion;
        }

        /** @param laneEnded run once the outcome is known (the next record of the lane may start), or null */
        void start(Runnable laneEnded) {
            this.laneEnded = laneEnded;
            if (cancelled) {
                endLane();
                return;
            }
            retries = Retrying.call(this::attempt, SubscriptionHandler.this::classify, policy,
                    () -> what.get() + target, "bridge", this::ended);
        }

        void cancel() {
            cancelled = true;
            Runnable running = retries;
            if (running != null) {
                running.run();
                endLane();
            }
        }

        /** One attempt, and each of its failures recorded for the dead letter; a 401 that renewed the credentials sends it once more. */
        private Runnable attempt(int number, BiConsumer<WebhookResponse, Throwable> done) {
            attempts = number;
            Instant requestedAt = clock.instant();
            send(headers.apply(number), (answer, failure) -> {
                if (failure == null && answer.statusCode() == 401 && credentials.rejected() && !cancelled) {
                    send(headers.apply(number), (again, failed) -> recorded(number, requestedAt, again, failed, done));
                } else {
                    recorded(number, requestedAt, answer, failure, done);
                }
            });
            return () -> request.run();
        }

        private void recorded(int number, Instant requestedAt, WebhookResponse answer, Throwable failure,
                BiConsumer<WebhookResponse, Throwable> done) {
            try {
                if (failure != null) {
                    failed.add(new DeliveryFailure.Attempt(number, requestedAt, null, webhook.reason(failure), null));
                } else if (!answer.ok()) {
                    failed.add(new DeliveryFailure.Attempt(number, requestedAt, answer.statusCode(),
                            "status " + answer.statusCode(), KafkaHooksDeadLetter.excerpt(answer.text())));
                }
            } finally { // whatever happened above, the attempt ends (a callback's exception would be Vert.x's alone)
                done.accept(answer, failure);
            }
        }

        /** One request with the credentials' headers: a span of its own, whose traceparent it sends, when tracing is on. */
        private void send(Map<String, String> attemptHeaders, BiConsumer<WebhookResponse, Throwable> done) {
            Map<String, String> auth = credentials.atHand();
            if (auth != null) {
                send(attemptHeaders, auth, done);
                return;
            }
            // A token to fetch first (OAuth2 client credentials): its wait is what a cancellation cancels.
            AtomicBoolean had = new AtomicBoolean();
            Cancellable waiting = credentials.headers().subscribe().with(found -> {
                had.set(true);
                send(attemptHeaders, found, done);
            }, failure -> {
                had.set(true);
                done.accept(null, failure);
            });
            if (!had.get()) {
                request = waiting::cancel;
            }
        }

        private void send(Map<String, String> attemptHeaders, Map<String, String> auth,
                BiConsumer<WebhookResponse, Throwable> done) {
            Tracing traced = Tracing.of(span);
            if (traced == Tracing.off()) {
                // Without tracing, TraceParent's header stays (no span whose traceparent would replace it).
                Map<String, String> all = attemptHeaders;
                if (!auth.isEmpty()) {
                    all = new LinkedHashMap<>(attemptHeaders);
                    all.putAll(auth);
                }
                request = webhook.sendOnce(subscription.method(), subscription.url(), all, body, done);
                return;
            }
            Cancellable inSpan = traced.request(span, subscription.method(), safeUrl, requestSpan -> {
                Map<String, String> all = new LinkedHashMap<>(attemptHeaders);
                if (Span.fromContext(requestSpan).getSpanContext().isValid()) {
                    Tracing.injectInto(requestSpan, all::put);
                }
                all.putAll(auth);
                return DirectUni.<WebhookResponse>of(answer -> webhook.sendOnce(subscription.method(),
                        subscription.url(), all, body, (response, failure) -> {
                            if (failure != null) {
                                answer.fail(failure);
                            } else {
                                answer.complete(response);
                            }
                        }));
            }, WebhookResponse::statusCode).subscribe().with(response -> done.accept(response, null),
                    failure -> done.accept(null, failure));
            request = inSpan::cancel;
        }

        /** The last attempt's outcome: delivered, abandoned (Berth stopping), or unusable (dead-lettered). */
        private void ended(WebhookResponse answer, Throwable failure) {
            endLane();
            try {
                if (answer != null && answer.ok()) {
                    completion.complete(new BridgeOutcome.Delivered(subscription.topic(), answer.statusCode(),
                            attempts));
                } else if (stop.raised()) {
                    completion.complete(new RecordOutcome.Abandoned(null, "stopping before the webhook accepted it"));
                } else {
                    completion.fail(unusable(answer, failure, attempts, failed, context));
                }
            } catch (RuntimeException fault) { // a fault: the dispatcher dead-letters the record with its class
                completion.fail(fault);
            }
        }

        private void endLane() {
            Runnable lane = laneEnded;
            laneEnded = null;
            if (lane != null) {
                lane.run();
            }
        }
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

    /** Why the record cannot be delivered after its last attempt: its dead letter's reason and attempts. */
    private UnusableRecord unusable(WebhookResponse answer, Throwable failure, int attempts,
            List<DeliveryFailure.Attempt> failed, String context) {
        String tried = " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
        String reason;
        if (answer == null) {
            reason = "webhook did not answer: " + webhook.reason(failure) + tried;
        } else if (RetryRules.forBridge(answer.statusCode(), answer::header) == RetryDecision.DONE) {
            reason = "webhook answered " + answer.statusCode() + ", which is not retried" + tried;
        } else {
            reason = "webhook answered " + answer.statusCode() + tried;
        }
        return new UnusableRecord("topic " + subscription.topic() + ": " + reason + context,
                new DeliveryFailure(failed, subscription.attempts()));
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
