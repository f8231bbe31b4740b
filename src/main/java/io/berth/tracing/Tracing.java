package io.berth.tracing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.berth.delivery.DirectUni;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.UnusableRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * Berth's spans. A consumed record gets a span from the delivery core ({@link #record}); what it
 * leads to (the handler, Port calls, webhook requests, Kafka publishes) gets child spans from
 * {@link #span}. The parent is always passed explicitly, as an OpenTelemetry {@link Context}: a record's
 * work hops between the Kafka thread, Vert.x event loops, workers and other records' completions
 * (ordered lanes), where a thread-bound "current span" would be another record's. The record's
 * context also carries this {@code Tracing} ({@link #of}), so code below the delivery core needs no
 * tracer of its own.
 *
 * <pre>
 *  run span (CONSUMER, parent: the record's traceparent, else a new trace)
 *   ├─ handler mapping[0]              (INTERNAL)
 *   │    ├─ webhook POST               (CLIENT; its traceparent goes in the request)
 *   │    └─ publish orders             (PRODUCER; its traceparent goes in the record's headers)
 *   └─ Port PATCH /v1/actions/runs/{run_id}   (CLIENT)
 *
 *  batch of topic T (INTERNAL, a trace of its own, linked to each of its records' spans)
 *   └─ webhook POST                    (CLIENT; its traceparent goes in the request)
 * </pre>
 *
 * <p>Spans carry coordinates, ids, methods, url templates (a webhook's url without query or user
 * info) and status codes: never a header, a token or a body.
 */
public final class Tracing {

    private static final ContextKey<Tracing> KEY = ContextKey.named("berth-tracing");
    /** Set in a Port call's span: the PortClient bean's own spans ({@link PortCallSpans}) skip calls already traced. */
    private static final ContextKey<Boolean> PORT_CALL = ContextKey.named("berth-port-call");
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop());

    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("berth.outcome");
    private static final AttributeKey<String> ACTION = AttributeKey.stringKey("berth.action");
    private static final AttributeKey<String> HANDLER = AttributeKey.stringKey("berth.handler");
    private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String name) {
            if (headers == null) {
                return null;
            }
            // Kafka header names are case-sensitive; producers write traceparent in any case.
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.berth");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** No spans: what the delivery core uses when it is given no tracing (unit tests). */
    public static Tracing off() {
        return OFF;
    }

    /** The tracing that made {@code context}'s span, or {@link #off()}. */
    public static Tracing of(Context context) {
        Tracing tracing = context == null ? null : context.get(KEY);
        return tracing == null ? OFF : tracing;
    }

    /**
     * One consumed record: a CONSUMER span named after what the record is ({@code source}: "run",
     * "change event", ...), child of the producer's {@code traceparent} header when valid. While
     * {@code handling} is called and its answer subscribed, the span is current (the handler reads it
     * with {@link Context#current()}) and the record's coordinates are in the MDC. The span ends with
     * the record's outcome ({@code berth.outcome}), or ERROR when the handler failed (the core
     * dead-letters the record).
     */
    public Uni<RecordOutcome> record(String source, InboundRecord record, Supplier<Uni<RecordOutcome>> handling) {
        if (this == OFF) {
            // No span: no traceparent to extract, no attributes to build, no outcome to set. The MDC stays.
            return subscribedWithin(Context.root(), RecordMdc.of(record), handling);
        }
        Context parent = propagator.extract(Context.root(), record.headers(), HEADERS);
        Attributes attributes = Attributes.of(MESSAGING_SYSTEM, "kafka", DESTINATION, record.topic(),
                PARTITION, Integer.toString(record.partition()), OFFSET, record.offset(), OPERATION, "process");
        return span(parent, source, SpanKind.CONSUMER, attributes, RecordMdc.of(record),
                context -> handling.get().invoke(outcome -> {
                    if (outcome != null) {
                        Span.fromContext(context).setAttribute(OUTCOME, outcome.label());
                    }
                }));
    }

    /**
     * A span around {@code work}: started when the answer is subscribed, current (with {@code mdc}'s
     * fields) while {@code work} is called and its answer subscribed, ended when it ends; a failure
     * sets ERROR with the failure's class (an unusable record's reason too), a cancellation
     * {@code berth.outcome=cancelled}.
     *
     * @param work given the span's context: the parent for what it calls, and where to add attributes
     */
    public <T> Uni<T> span(Context parent, String name, SpanKind kind, Attributes attributes, RecordMdc mdc,
            Function<Context, Uni<T>> work) {
        return span(parent, name, kind, attributes, List.of(), mdc, false, work);
    }

    /** A Port call's CLIENT span ({@link TracedPortClient}): calls made within it are not traced again. */
    <T> Uni<T> portCall(Context parent, String name, Attributes attributes, Function<Context, Uni<T>> work) {
        return span(parent, name, SpanKind.CLIENT, attributes, List.of(), RecordMdc.NONE, true, work);
    }

    /** True within a Port call's span. */
    static boolean inPortCall(Context context) {
        return Boolean.TRUE.equals(context.get(PORT_CALL));
    }

    private <T> Uni<T> span(Context parent, String name, SpanKind kind, Attributes attributes, List<SpanContext> links,
            RecordMdc mdc, boolean portCall, Function<Context, Uni<T>> work) {
        Objects.requireNonNull(parent, "parent");
        if (this == OFF) {
            // No span, so nothing to make current: the work gets the parent, and only the MDC is applied.
            return mdc == RecordMdc.NONE ? Uni.createFrom().deferred(() -> work.apply(parent))
                    : subscribedWithin(parent, mdc, () -> work.apply(parent));
        }
        return Uni.createFrom().deferred(() -> {
            SpanBuilder builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind)
                    .setAllAttributes(attributes);
            links.forEach(builder::addLink);
            Span span = builder.startSpan();
            Context traced = parent.with(span).with(KEY, this);
            Context context = portCall ? traced.with(PORT_CALL, Boolean.TRUE) : traced;
            return subscribedWithin(context, mdc, () -> work.apply(context))
                    .onTermination().invoke((item, failure, cancelled) -> {
                        if (failure != null) {
                            span.setStatus(StatusCode.ERROR, failure instanceof UnusableRecord unusable
                                    ? unusable.reason() : failure.getClass().getName());
                        } else if (cancelled) {
                            span.setAttribute(OUTCOME, "cancelled");
                        }
                        span.end();
                    });
        });
    }

    /**
     * Work for several records of one partition at once (a bridge batch, one request for all):
     * {@code batch of topic T}, a span of a trace of its own (its records may each belong to another),
     * linked to each record's span (OpenTelemetry span links; the SDK keeps the first 128). Current
     * while {@code work} is called and its answer subscribed, so its requests are its children. With
     * the records' spans from no tracing, no span.
     *
     * @param records the spans of the batch's records, as {@link #record} made them current
     */
    public static <T> Uni<T> batch(List<Context> records, String topic, int partition, Function<Context, Uni<T>> work) {
        Tracing tracing = OFF;
        for (int i = 0; i < records.size() && tracing == OFF; i++) {
            tracing = of(records.get(i));
        }
        if (tracing == OFF) { // neither links nor attributes to make, for every batch of an untraced Berth
            return Uni.createFrom().deferred(() -> work.apply(Context.root()));
        }
        List<SpanContext> links = records.stream().map(record -> Span.fromContext(record).getSpanContext())
                .filter(SpanContext::isValid).toList();
        Attributes attributes = Attributes.of(MESSAGING_SYSTEM, "kafka", DESTINATION, topic,
                PARTITION, Integer.toString(partition), BATCH_SIZE, (long) records.size(), OPERATION, "process");
        return tracing.span(Context.root(), "batch of topic " + topic, SpanKind.INTERNAL, attributes, links,
                RecordMdc.NONE, false, work);
    }

    /** Names the run a record's span is about ({@code berth.run.id}, {@code berth.action}), once parsed. */
    public static void describeRun(Context recordSpan, String runId, String action) {
        Span.fromContext(recordSpan).setAttribute(TracedPortClient.RUN_ID, runId).setAttribute(ACTION, action);
    }

    /**
     * The handler's span ({@code handler NAME}), child of the run's: current, with the run's MDC,
     * while the handler is called and its answer subscribed (a webhook or a publish it starts then is
     * its child).
     */
    public <T> Uni<T> handler(Context run, String handler, RecordMdc mdc, Supplier<Uni<T>> work) {
        return span(run, "handler " + handler, SpanKind.INTERNAL, Attributes.of(HANDLER, handler), mdc,
                context -> work.get());
    }

    /**
     * One HTTP request to a webhook ({@code webhook METHOD}, CLIENT): {@code work} gets the span's
     * context, whose trace it sends ({@link #inject}); the answer's status is recorded, 4xx and 5xx as
     * ERROR.
     *
     * @param safeUrl the url without query string or user info (they may hold credentials)
     */
    public <T> Uni<T> request(Context parent, String method, String safeUrl, Function<Context, Uni<T>> work,
            ToIntFunction<T> status) {
        return span(parent, "webhook " + method, SpanKind.CLIENT,
                Attributes.of(HTTP_METHOD, method, URL, safeUrl), RecordMdc.NONE,
                context -> work.apply(context).invoke(answer -> {
                    int code = status.applyAsInt(answer);
                    Span span = Span.fromContext(context).setAttribute(HTTP_STATUS, (long) code);
                    if (code >= 400) {
                        span.setStatus(StatusCode.ERROR);
                    }
                }));
    }

    /**
     * One record sent to Kafka ({@code publish TOPIC}, PRODUCER): {@code work} gets the span's context,
     * whose trace it writes in the record's headers ({@link #inject}).
     */
    public <T> Uni<T> publish(Context parent, String topic, Function<Context, Uni<T>> work) {
        return span(parent, "publish " + topic, SpanKind.PRODUCER, Attributes.of(MESSAGING_SYSTEM, "kafka",
                DESTINATION, topic, OPERATION, "send"), RecordMdc.NONE, work);
    }

    /** Writes {@code context}'s trace (W3C {@code traceparent}) with {@code put}: a request's or a record's headers. */
    public void inject(Context context, BiConsumer<String, String> put) {
        propagator.inject(context, put, (carrier, name, value) -> carrier.accept(name, value));
    }

    /** The trace headers of {@code context}, to send with a request ({@link #inject}). */
    public static void injectInto(Context context, BiConsumer<String, String> put) {
        of(context).inject(context, put);
    }

    /**
     * {@code work} with {@code context} current while it is called and its answer subscribed: for work
     * that starts later, elsewhere (a record's turn in its lane), whose webhooks and publishes read
     * their parent from {@link Context#current()}.
     */
    public static <T> Uni<T> within(Context context, Supplier<Uni<T>> work) {
        return subscribedWithin(context, RecordMdc.NONE, work);
    }

    /**
     * Subscribes {@code work}'s answer with {@code context} current and {@code mdc} applied, so that
     * what runs synchronously on subscription (deferred bodies, the first request's assembly) sees
     * both; cancelling the answer cancels the work.
     */
    static <T> Uni<T> subscribedWithin(Context context, RecordMdc mdc, Supplier<Uni<T>> work) {
        // A context of no tracing has no span to make current. Making it current anyway is not free:
        // Quarkus's context storage copies the whole MDC at each attach and each close, twice per record
        // and per call.
        boolean untraced = of(context) == OFF;
        if (untraced && mdc == RecordMdc.NONE) {
            return Uni.createFrom().deferred(work::get);
        }
        // Every record passes here (its MDC at least): one DirectUni and one plain subscriber, not an
        // emitter and Mutiny's decorated callbacks. An error thrown by work fails the answer (DirectUni).
        return DirectUni.of(completion -> {
            Forwarding<T> forwarding = new Forwarding<>(completion);
            try (Scope current = untraced ? Scope.noop() : context.makeCurrent(); Scope fields = mdc.apply()) {
                work.get().subscribe().withSubscriber(forwarding);
            }
            return forwarding::cancel;
        });
    }

    /** Hands the work's answer on; cancels the work's subscription when the answer is cancelled. */
    private static final class Forwarding<T> implements UniSubscriber<T> {

        private final DirectUni.Completion<T> completion;
        private volatile UniSubscription subscription;
        private volatile boolean cancelled;

        Forwarding(DirectUni.Completion<T> completion) {
            this.completion = completion;
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            this.subscription = subscription;
            if (cancelled) {
                subscription.cancel();
            }
        }

        @Override
        public void onItem(T item) {
            completion.complete(item);
        }

        @Override
        public void onFailure(Throwable failure) {
            completion.fail(failure);
        }

        void cancel() {
            cancelled = true;
            UniSubscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
