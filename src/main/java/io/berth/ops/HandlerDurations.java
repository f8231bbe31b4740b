package io.berth.ops;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Handler duration histograms, one scheme for every capability: {@code berth_run_duration_seconds}
 * ({@link RunMetrics}), {@code berth_change_handler_duration_seconds{handler,result}} and
 * {@code berth_trigger_duration_seconds{trigger,result}}, with the same buckets. Labels come from
 * Berth's configuration (a Java change handler's class, {@code mapping[N]}, a trigger's id) and a
 * fixed set of results, never from a record.
 */
@Singleton
public final class HandlerDurations {

    /** Histogram buckets for Grafana's heatmaps and quantiles, from a quick handler to the 15 min timeout. */
    static final Duration[] BUCKETS = Stream.of(50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L,
            30_000L, 60_000L, 300_000L, 900_000L).map(Duration::ofMillis).toArray(Duration[]::new);

    /** What a label is when the work failed (the record goes to its dead letter, or the run fails). */
    public static final String FAILED = "failure";

    private static final String HANDLER_ROUTE = "handler ";
    private static final String MAPPING_ROUTE = "mapping#";

    private final MeterRegistry registry;

    @Inject
    public HandlerDurations(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records nothing: for handlers built without a registry (tests). */
    public static HandlerDurations none() {
        return new HandlerDurations(new CompositeMeterRegistry());
    }

    /** A histogram builder with the shared buckets. */
    static Timer.Builder histogram(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
    }

    /**
     * Times one change route ({@code handler X} or {@code mapping#N}) from subscription to its end:
     * {@code result} names the answer ({@code success}, ...), a failure is {@value #FAILED}.
     */
    public <T> Uni<T> changeHandler(String route, Supplier<Uni<T>> work, Function<T, String> result) {
        return timed("berth.change.handler.duration", "Time a change handler or mapping entry took with one event",
                "handler", routeLabel(route), work, result);
    }

    /** Times one trigger's handling of a record (its target's call): {@code fired}, {@code abandoned}, {@value #FAILED}. */
    public <T> Uni<T> trigger(String trigger, Supplier<Uni<T>> work, Function<T, String> result) {
        return timed("berth.trigger.duration", "Time a trigger's target took with one record",
                "trigger", trigger, work, result);
    }

    private <T> Uni<T> timed(String name, String description, String key, String value, Supplier<Uni<T>> work,
            Function<T, String> result) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return work.get().onTermination().invoke((item, failure, cancelled) -> {
                if (!cancelled) {
                    histogram(name, description).tag(key, value)
                            .tag("result", failure != null ? FAILED : result.apply(item))
                            .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
            });
        });
    }

    /** {@code handler AuditTrail} is {@code AuditTrail}, {@code mapping#2} is {@code mapping[2]}, as for runs. */
    static String routeLabel(String route) {
        if (route.startsWith(MAPPING_ROUTE)) {
            return "mapping[" + route.substring(MAPPING_ROUTE.length()) + "]";
        }
        return route.startsWith(HANDLER_ROUTE) ? route.substring(HANDLER_ROUTE.length()) : route;
    }
}
