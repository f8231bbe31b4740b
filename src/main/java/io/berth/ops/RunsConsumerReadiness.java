package io.berth.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.berth.runs.impl.AssignmentWatermarks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ready once the runs consumer has joined its group: Berth is connected to Kafka and consuming.
 * With no partition assigned it stays ready (it is a standby for its group) and says so.
 */
@Readiness
@ApplicationScoped
final class RunsConsumerReadiness implements HealthCheck {

    private final AssignmentWatermarks assignment;

    @Inject
    RunsConsumerReadiness(AssignmentWatermarks assignment) {
        this.assignment = assignment;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("berth-runs-consumer")
                .status(assignment.joined())
                .withData("joined", assignment.joined())
                .withData("assignedPartitions", assignment.assignedPartitions())
                .build();
    }
}
