package io.berth.cloudevents.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.bridge.http.InboundAuth;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /cloudevents}: one pushed record through its topic's dispatcher, answered once its
 * outcome is known ({@link PushAnswer}). Nothing here blocks the event loop: the request waits on the
 * outcome's future, bounded by {@code BERTH_CLOUDEVENTS_ANSWER_WITHIN}.
 *
 * <pre>
 *  caller not admitted (InboundAuth) ────────────────► 401
 *  not a readable event (PushedEvent) ───────────────► 400
 *  topic not the runs', change log's or a trigger's ─► 404
 *  record ─► dispatcher ─► outcome (PushedOutcomes) ─► PushAnswer: 200, 500 or 503
 * </pre>
 */
final class CloudEventsEndpoint {

    private static final Logger LOG = Logger.getLogger(CloudEventsEndpoint.class);

    /** Seconds a KafkaSource is asked to wait before it retries (it may keep to its own backoff). */
    static final int RETRY_AFTER_SECONDS = 5;

    private final InboundAuth auth;
    private final Map<String, RecordDispatcher> dispatchers;
    private final PushedOutcomes outcomes;
    private final Duration answerWithin;
    /** Offsets for events that carry none: negative, so they never meet a real one in a partition's ledger. */
    private final AtomicLong unnumbered = new AtomicLong();

    /** @param dispatchers the dispatcher of each topic Berth takes pushed records of */
    CloudEventsEndpoint(InboundAuth auth, Map<String, RecordDispatcher> dispatchers, PushedOutcomes outcomes,
            Duration answerWithin) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.dispatchers = Map.copyOf(dispatchers);
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.answerWithin = Objects.requireNonNull(answerWithin, "answerWithin");
    }

    Map<String, RecordDispatcher> dispatchers() {
        return dispatchers;
    }

    void handle(RoutingContext context) {
        Context vertx = Vertx.currentContext();
        auth.admits(context).subscribe().with(admitted -> {
            if (!admitted) {
                answer(context, 401, "Present an API key (X-API-Key, or Authorization: Bearer) or an OIDC bearer token.");
                return;
            }
            PushedEvent event;
            try {
                byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
                event = PushedEvent.of(context.request().headers(), body);
            } catch (PushedEvent.InvalidCloudEvent invalid) {
                answer(context, 400, "Not a CloudEvent Berth can read: " + invalid.getMessage() + ".");
                return;
            }
            RecordDispatcher dispatcher = dispatchers.get(event.topic());
            if (dispatcher == null) {
                LOG.warnf("CloudEvents: event %s is a record of topic %s, which Berth takes none of (it takes %s)",
                        escape(event.id()), escape(event.topic()), dispatchers.keySet());
                answer(context, 404, "Berth takes no records of this topic; it takes " + dispatchers.keySet() + ".");
                return;
            }
            deliver(context, vertx, event, dispatcher);
        });
    }

    private void deliver(RoutingContext context, Context vertx, PushedEvent event, RecordDispatcher dispatcher) {
        long offset = event.offset() >= 0 ? event.offset() : -1 - unnumbered.getAndIncrement();
        // The outcome listener answers the request; the commit that acknowledges Kafka records has nothing to do.
        InboundRecord record = new InboundRecord(event.topic(), event.partition(), offset, event.key(), event.value(),
                event.time(), event.headers(), () -> CompletableFuture.completedFuture(null));
        CompletableFuture<RecordOutcome> outcome = outcomes.await(record);
        dispatcher.dispatch(record).subscribe().with(accepted -> { }, failure -> LOG.errorf(failure,
                "CloudEvents: %s could not be dispatched", record));
        Uni.createFrom().completionStage(outcome)
                .ifNoItem().after(answerWithin).recoverWithItem((RecordOutcome) null)
                .subscribe().with(ended -> {
                    outcomes.forget(record);
                    PushAnswer answer = PushAnswer.of(ended);
                    if (answer != PushAnswer.DONE) {
                        LOG.warnf("CloudEvents: %s (event %s) answered %d: %s", record, escape(event.id()),
                                answer.status, ended == null ? "no outcome within BERTH_CLOUDEVENTS_ANSWER_WITHIN ("
                                        + answerWithin.toSeconds() + " s)" : escape(ended.toString()));
                    }
                    vertx.runOnContext(ignored -> answer(context, answer.status, answer.message));
                });
    }

    static void answer(RoutingContext context, int status, String message) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
        }
        if (status == 503) {
            context.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        context.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(JsonNodeFactory.instance.objectNode().put("status", status).put("message", message).toString());
    }
}
