package io.berth.triggers.impl;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.berth.triggers.RunningTriggers;
import io.berth.triggers.RunningTriggers.TriggerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ready once every trigger's consumer has joined its group, as the runs consumer's check does for
 * the runs: each trigger is connected to its brokers and consuming. Up with no triggers; a trigger whose
 * records are pushed (no consumer) does not hold it back.
 */
@Readiness
@ApplicationScoped
final class TriggersReadiness implements HealthCheck {

    private final RunningTriggers triggers;

    @Inject
    TriggersReadiness(RunningTriggers triggers) {
        this.triggers = triggers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("berth-triggers").up();
        for (TriggerStatus status : triggers.statuses()) {
            if (status.pushed()) {
                answer.withData(status.definition().id(), "records pushed on POST /cloudevents");
                continue;
            }
            if (!status.joined()) {
                answer.down();
            }
            answer.withData(status.definition().id(), status.joined()
                    ? "joined " + status.definition().consumerGroup() + ", " + status.assignedPartitions() + " partitions"
                    : "not joined " + status.definition().consumerGroup() + " yet");
        }
        return answer.build();
    }
}
