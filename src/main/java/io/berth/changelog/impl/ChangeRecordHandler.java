package io.berth.changelog.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.berth.changelog.ChangeEvent;
import io.berth.changelog.ChangeOutcome;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.OrderedLanes;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.berth.delivery.UnusableRecord;
import io.berth.handlers.RunResult;
import io.berth.ops.HandlerDurations;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.PortPatience;
import io.berth.runs.RunReports;
import io.berth.tracing.TracedPortClient;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * What a record of the change log means, and what to call for it: the change log's part of the
 * delivery core ({@link io.berth.delivery.RecordDispatcher} holds the permits, dead letters and
 * outcomes).
 *
 * <pre>
 *  handle(record)
 *   ├─ parse ─ unusable ──────────────────────────► UnusableRecord(reason): the core dead-letters it
 *   ├─ changelogDestination.agent not true ───────► NotForAgent (committed, DEBUG line)
 *   ├─ route ─ no handler, no mapping ────────────► NotClaimed (another agent's)
 *   └─ lane of its entity (events of one entity in order, others concurrently)
 *        ├─ no context.runId: each route in turn ─ all took it ─► Delivered
 *        │    a route failed past its retries ──► UnusableRecord(route: reason): dead-lettered
 *        └─ context.runId: log "picked up" ─ each route ─ reports ─ terminal PATCH ─► Reported
 *             Port unreachable for the terminal status: retried until it answers or Berth stops
 *   Berth stopping before the outcome was safe ───► Abandoned (redelivered)
 * </pre>
 */
final class ChangeRecordHandler implements RecordHandler {

    private static final Logger LOG = Logger.getLogger(ChangeRecordHandler.class);

    /** Between rounds of the Port client's own retries while Port is unreachable for a terminal status. */
    /** Pause between rounds of retries while Port is unreachable, as for runs. */
    private static final Duration PORT_OUTAGE_PAUSE = Duration.ofSeconds(5);

    private final ChangeEventParser parser;
    private final ChangeRouter router;
    private final Supplier<PortClient> port;
    private final StopSignal stop;
    private final PortPatience patience;
    private final HandlerDurations durations;
    private final OrderedLanes lanes = new OrderedLanes();

    /** @param port resolved only for events that carry a run */
    ChangeRecordHandler(ChangeEventParser parser, ChangeRouter router, Supplier<PortClient> port, StopSignal stop) {
        this(parser, router, port, stop, HandlerDurations.none());
    }

    /** @param durations times each route's handling of an event (berth_change_handler_duration_seconds) */
    ChangeRecordHandler(ChangeEventParser parser, ChangeRouter router, Supplier<PortClient> port, StopSignal stop,
            HandlerDurations durations) {
        this.durations = Objects.requireNonNull(durations, "durations");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.router = Objects.requireNonNull(router, "router");
        this.port = Objects.requireNonNull(port, "port");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.patience = new PortPatience(PORT_OUTAGE_PAUSE, stop::raised);
    }

    @Override
    public Uni<RecordOutcome> handle(InboundRecord record) {
        return Uni.createFrom().deferred(() -> {
            Optional<ChangeEvent> parsed = parser.parse(record);
            if (parsed.isEmpty()) {
                LOG.debugf("%s: change event not addressed to an agent (changelogDestination.agent is not true); "
                        + "committed, not handled", record);
                return Uni.createFrom().item(new ChangeOutcome.NotForAgent());
            }
            ChangeEvent event = parsed.get();
            List<ChangeRoute> routes = router.route(event);
            if (routes.isEmpty()) {
                LOG.debugf("%s change event %s: no change handler selects it and no mapping is enabled for it; "
                        + "left to other agents", record, escape(event.describe()));
                return Uni.createFrom().item(new ChangeOutcome.NotClaimed(event.describe()));
            }
            LOG.infof("%s change event %s → %s", record, escape(event.describe()), names(routes));
            // The record's span (Tracing.record), current again when its turn comes: its webhooks' parent.
            Context trace = Context.current();
            return lanes.submit(record, lane(record, event), () -> Tracing.within(trace, () -> event.runId().isPresent()
                    ? reported(record, event, routes, trace)
                    : delivered(event, routes)));
        });
    }

    /** Each route in turn; the first that fails past its retries dead-letters the event with its reason. */
    private Uni<RecordOutcome> delivered(ChangeEvent event, List<ChangeRoute> routes) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ChangeRoute route : routes) {
            all = all.chain(() -> durations.changeHandler(route.name(), () -> route.deliver(event), done -> "success")
                    .onFailure(ChangeRecordHandler::notFatal)
                    .transform(failure -> failure instanceof UnusableRecord ? failure
                            : new UnusableRecord(route.name() + ": " + reasonOf(failure))));
        }
        return all.map(done -> (RecordOutcome) new ChangeOutcome.Delivered(event.describe(), names(routes)))
                .onFailure(ChangeRecordHandler::notFatal).recoverWithUni(failure -> stop.raised()
                        ? Uni.createFrom().item(abandoned(event, "stopping before every route took the event"))
                        : Uni.createFrom().failure(new UnusableRecord("change event " + event.describe() + ": "
                                + (failure instanceof UnusableRecord unusable ? unusable.reason() : reasonOf(failure)))));
    }

    /** As for a run: Berth logs that it picked the event up, the routes report, then the terminal status. */
    private Uni<RecordOutcome> reported(InboundRecord record, ChangeEvent event, List<ChangeRoute> routes, Context trace) {
        String where = record.toString();
        String runId = event.runId().orElseThrow();
        // Each report a span, child of the event's, wherever the routes' callbacks send it from.
        PortClient client = new TracedPortClient(port.get(), trace);
        ChangeRunContext run = new ChangeRunContext(event, client, where);
        run.log("Berth picked up change event " + event.describe() + ", handled by " + String.join(", ", names(routes)));
        Uni<RunResult> result = Uni.createFrom().item(RunResult.success());
        for (ChangeRoute route : routes) {
            // The first failure is the result; the later routes still get the event.
            result = result.chain(before -> durations.changeHandler(route.name(), () -> route.run(event, run),
                            mine -> mine instanceof RunResult.Failed ? HandlerDurations.FAILED : "success")
                    .map(mine -> before instanceof RunResult.Failed ? before : mine));
        }
        return result.call(run::close)
                .chain(outcome -> reportEnd(run.reports(), where, runId, outcome)
                        .map(sent -> sent
                                ? new ChangeOutcome.Reported(event.describe(), runId, names(routes), status(outcome))
                                : abandoned(event, "stopping before the terminal status was reported")));
    }

    /** True once Port has the terminal status (or refused it for good, logged); false if Berth stopped first. */
    private Uni<Boolean> reportEnd(RunReports reports, String where, String runId, RunResult result) {
        String status = status(result);
        if (status == null) {
            return Uni.createFrom().item(true);
        }
        return patience.untilAnswered(() -> reports.end(result), where + " terminal status of " + runId)
                .map(answered -> answered.isPresent())
                .onFailure(PortCallException.class).recoverWithItem(refused -> {
                    LOG.errorf("%s run %s: Port refused the terminal status %s of a change event: %s", where,
                            escape(runId), status, refused.getMessage());
                    return true;
                });
    }

    private static String status(RunResult result) {
        return result instanceof RunResult.Succeeded ? "SUCCESS" : result instanceof RunResult.Failed ? "FAILURE" : null;
    }

    /** Events of one entity in order; without an entity, of one run; else of one partition. */
    private static String lane(InboundRecord record, ChangeEvent event) {
        if (event.entity().isPresent()) {
            return "entity:" + event.blueprint().orElse("") + "/" + event.entity().get();
        }
        return event.runId().map(run -> "run:" + run).orElse("partition:" + record.partition());
    }

    private static List<String> names(List<ChangeRoute> routes) {
        return routes.stream().map(ChangeRoute::name).toList();
    }

    private static RecordOutcome abandoned(ChangeEvent event, String reason) {
        return new RecordOutcome.Abandoned(event.id(), reason);
    }

    /** Out of memory is Berth's state, not the event's: the core leaves the record to be delivered again. */
    private static boolean notFatal(Throwable failure) {
        return !(failure instanceof OutOfMemoryError);
    }

    private static String reasonOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
