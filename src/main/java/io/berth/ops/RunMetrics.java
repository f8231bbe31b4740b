package io.berth.ops;

import java.util.concurrent.TimeUnit;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.runs.RunOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Counts records by outcome ({@code berth_records_total{outcome}}) and times finished runs by
 * action and result ({@code berth_run_duration_seconds{action,result}}). Labels carry no run ids:
 * their number stays bounded.
 */
@ApplicationScoped
final class RunMetrics implements RecordOutcomeListener {

    private final MeterRegistry registry;

    @Inject
    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        Counter.builder("berth.records")
                .description("Records of the runs topic, by outcome")
                .tag("outcome", outcome.label())
                .register(registry)
                .increment();
        if (outcome instanceof RunOutcome.Finished finished) {
            Timer.builder("berth.run.duration")
                    .description("Time from a run's pick-up to its reported end")
                    .tag("action", finished.action())
                    .tag("result", finished.label())
                    .register(registry)
                    .record(finished.took().toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
