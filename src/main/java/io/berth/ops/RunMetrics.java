package io.berth.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.runs.RunOutcome;
import io.berth.runs.RunReceived;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.handlers.JavaHandlers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Counts runs received by action as they are parsed ({@code berth_runs_received_total{action}}; a
 * record that is no usable run is {@value #UNKNOWN_ACTION}), records by outcome
 * ({@code berth_records_total{outcome}}) and times finished runs by
 * action and result ({@code berth_run_duration_seconds{action,result}}, a histogram; its
 * {@code _count} is the runs completed). Labels carry no run ids
 * and only actions this Berth knows, so their number stays bounded whatever the records say: a
 * Java handler's action is its own label, a run of a mapping-file entry is labelled by the entry
 * ({@code mapping[2]}: one entry may serve any action), anything else is {@value #OTHER_ACTION}.
 */
@Singleton // called for every record: see RecordOutcomeListener
final class RunMetrics implements RecordOutcomeListener, RunReceived.Listener {

    static final String OTHER_ACTION = "other";
    static final String UNKNOWN_ACTION = "unknown";
    private static final String MAPPING_ROUTE = "mapping#";

    private final MeterRegistry registry;
    private final Predicate<String> javaAction;
    // Meters by label, found once: a builder's register() makes an id and looks it up on every call,
    // three times per run. The labels are bounded (above), so are these.
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    @Inject
    RunMetrics(MeterRegistry registry, JavaHandlers javaHandlers) {
        this(registry, action -> javaHandlers.route(action).isPresent());
    }

    RunMetrics(MeterRegistry registry, Predicate<String> javaAction) {
        this.registry = registry;
        this.javaAction = javaAction;
    }

    /** Once parsed and routed, before the handler: the same action labels as the duration's, to compare. */
    @Override
    public void onReceived(RunReceived run) {
        String action = run.action() == null ? UNKNOWN_ACTION : actionLabel(run.action(), run.route());
        received.computeIfAbsent(action, label -> Counter.builder("berth.runs.received")
                .description("Records of the runs topic parsed, by the run's action")
                .tag("action", label)
                .register(registry)).increment();
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        records.computeIfAbsent(outcome.label(), label -> Counter.builder("berth.records")
                .description("Records of the runs topic, by outcome")
                .tag("outcome", label)
                .register(registry)).increment();
        if (outcome instanceof RunOutcome.Finished finished) {
            String action = actionLabel(finished.action(), finished.handler());
            durations.computeIfAbsent(action + '\n' + finished.label(), key -> HandlerDurations
                    .histogram("berth.run.duration", "Time from a run's pick-up to its reported end")
                    .tag("action", action)
                    .tag("result", finished.label())
                    .register(registry)).record(finished.took().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** @param route what took the run, or null when nothing here claims it */
    private String actionLabel(String action, String route) {
        if (route != null && route.startsWith(MAPPING_ROUTE)) {
            return "mapping[" + route.substring(MAPPING_ROUTE.length()) + "]";
        }
        return action != null && javaAction.test(action) ? action : OTHER_ACTION;
    }
}
