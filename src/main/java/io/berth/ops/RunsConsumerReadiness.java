package io.berth.ops;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.berth.config.RunsConsumption;
import io.berth.runs.impl.AssignmentWatermarks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ready once the runs consumer has joined its group: Berth is connected to Kafka and consuming.
 * With no partition assigned it stays ready (it is a standby for its group) and says so. A Berth
 * that runs triggers alone has no runs consumer to wait for (its triggers have their own check).
 */
@Readiness
@ApplicationScoped
final class RunsConsumerReadiness implements HealthCheck {

    private final AssignmentWatermarks assignment;
    private final boolean consumed;

    @Inject
    RunsConsumerReadiness(AssignmentWatermarks assignment,
            @ConfigProperty(name = RunsConsumption.CHANNEL_ENABLED, defaultValue = "true") boolean consumed) {
        this.assignment = assignment;
        this.consumed = consumed;
    }

    @Override
    public HealthCheckResponse call() {
        if (!consumed) {
            return HealthCheckResponse.named("berth-runs-consumer").up().withData("consumed", false).build();
        }
        return HealthCheckResponse.named("berth-runs-consumer")
                .status(assignment.joined())
                .withData("joined", assignment.joined())
                .withData("assignedPartitions", assignment.assignedPartitions())
                .build();
    }
}
